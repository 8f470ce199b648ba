"""The consistency report: every OWL 2 RL inconsistency and every SHACL result, down to sentences.

An OWL 2 RL inconsistency is a rule whose conclusion is ``false`` (OWL 2 Profiles §4.3: cax-dw,
cls-nothing2, prp-irp, prp-asyp, prp-pdw, eq-diff1, cls-com, dt-not-type, ...) that matched the
closure; the engine records it with the triples it matched. Each of those premises is explained
like any triple (:func:`~conflict_graph.reasoning.explain.explain`): asserted premises with their
graphs and sentences, inferred ones through their derivations.

A SHACL result (SHACL §3.6) names a focus node, maybe a path and a value; its evidence is that of
the triple ``focus path value`` when there is one, else the evidence the focus node carries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import ConflictGraphError, NotFound
from .evidence import Evidence, Quote
from .explain import (
    MAX_DEPTH,
    Bounds,
    DerivationSource,
    Explanation,
    Step,
    evidence_json,
    explain,
    quote_json,
    rule_json,
)
from .records import Inconsistency
from .rule_catalogue import Rule, rule
from .term_syntax import Triple, parse_term
from .validation import Violation, summary

__all__ = ["ConsistencyReport", "ExplainedInconsistency", "ExplainedViolation", "InconsistencySource",
           "consistency_report"]

#: Size bound of the explanation of one premise of an inconsistency.
PREMISE_MAX_NODES = 100


class InconsistencySource(DerivationSource, Protocol):
    """A derivation index that also lists the inconsistencies of its closure and the evidence
    nodes carry themselves."""

    def inconsistencies(self) -> Sequence[Inconsistency]: ...
    def node_evidence(self, node: Any, limit: int = 20) -> tuple[Sequence[Evidence], int]: ...


@dataclass(frozen=True)
class ExplainedInconsistency:
    """One OWL 2 RL inconsistency: the rule, its message, and each premise explained."""

    rule: Rule
    message: str
    premises: tuple[Explanation, ...]

    def quotes(self) -> list[Quote]:
        return [quote for premise in self.premises for quote in premise.quotes]


@dataclass(frozen=True)
class ExplainedViolation:
    """One SHACL result with the evidence of what it is about."""

    violation: Violation
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ConsistencyReport:
    """The answer of :func:`consistency_report` (``conflict-graph validate``, ``GET /consistency``).

    Attributes:
        inconsistencies: every OWL 2 RL inconsistency, explained.
        violations: every SHACL result (violations, warnings, infos), with evidence.
    """

    inconsistencies: tuple[ExplainedInconsistency, ...]
    violations: tuple[ExplainedViolation, ...]

    @property
    def consistent(self) -> bool:
        """No OWL 2 RL inconsistency and no SHACL result of severity Violation."""
        return not self.inconsistencies and not any(
            v.violation.severity == "Violation" for v in self.violations)

    def summary(self) -> str:
        """Two lines: the SHACL verdict, then the OWL 2 RL verdict."""
        shacl = summary([v.violation for v in self.violations])
        if not self.inconsistencies:
            return shacl + "\nOWL 2 RL: consistent (no rule of the closure concludes false)."
        return shacl + f"\nOWL 2 RL: inconsistent ({len(self.inconsistencies)} inconsistency(ies))."

    def sentences(self) -> list[str]:
        """The sentence ids behind the problems, each once, in the order of the source text."""
        quotes: dict[str, Quote] = {}
        for item in self.inconsistencies:
            for quote in item.quotes():
                quotes.setdefault(quote.iri, quote)
        for violation in self.violations:
            for evidence in violation.evidence:
                if evidence.quote is not None:
                    quotes.setdefault(evidence.quote.iri, evidence.quote)
        ordered = sorted(quotes.values(), key=lambda q: (q.source_text or "", q.start or 0, q.sentence_id))
        return list(dict.fromkeys(q.sentence_id for q in ordered))

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``GET /consistency`` (documented in ``docs/explanations.md``)."""
        return {
            "consistent": self.consistent,
            "summary": self.summary(),
            "sentences": self.sentences(),
            "inconsistencies": [
                {"rule": rule_json(item.rule), "message": item.message,
                 "premises": [premise.to_json() for premise in item.premises]}
                for item in self.inconsistencies],
            "shacl": [
                {"severity": v.violation.severity, "message": v.violation.message,
                 "focus": v.violation.focus, "path": v.violation.path or None,
                 "value": v.violation.value or None, "shape": v.violation.shape,
                 "evidence": [evidence_json(e) for e in v.evidence],
                 "sentences": [quote_json(e.quote) for e in v.evidence if e.quote is not None]}
                for v in self.violations],
        }


def _violation_evidence(index: InconsistencySource, result: Violation, limit: int) -> tuple[Evidence, ...]:
    try:
        focus = parse_term(result.focus_term) if result.focus_term else None
        path = parse_term(result.path_term) if result.path_term else None
        value = parse_term(result.value_term) if result.value_term else None
    except ConflictGraphError:
        return ()
    if isinstance(focus, ox.Literal) or focus is None:
        return ()
    found: Sequence[Evidence] = ()
    if path is not None and value is not None:
        found, _ = index.evidence((focus, path, value), limit)
    return tuple(found or index.node_evidence(focus, limit)[0])


def _explain_premise(index: InconsistencySource, premise: Triple, bounds: Bounds) -> Explanation:
    try:
        return explain(index, premise, bounds=bounds)
    except NotFound:  # the engine matched it, so it holds; the index just cannot say why
        return Explanation(Step(premise, "unexplained"), 1, False, bounds=bounds)


def consistency_report(index: InconsistencySource, violations: Iterable[Violation] = (), *,
                       max_nodes: int = PREMISE_MAX_NODES) -> ConsistencyReport:
    """Explain every inconsistency the index records and every SHACL result given.

    Args:
        index: the derivation store (its inconsistencies, derivations and evidence).
        violations: SHACL results (from :func:`conflict_graph.reasoning.validation.validate`).
        max_nodes: the size bound of each premise's explanation.
    """
    bounds = Bounds(max_nodes=max_nodes, max_depth=MAX_DEPTH)
    explained = []
    for item in index.inconsistencies():
        premises = tuple(_explain_premise(index, premise, bounds) for premise in item.premises)
        explained.append(ExplainedInconsistency(rule(item.rule), item.message, premises))
    results = tuple(ExplainedViolation(v, _violation_evidence(index, v, bounds.max_evidence))
                    for v in violations)
    return ConsistencyReport(tuple(explained), results)
