"""Why a triple holds: its derivation tree, from the OWL 2 RL rule down to sentences.

:func:`explain` answers for one triple of the built dataset:

* an **asserted** triple explains itself: the named graphs that assert it and its evidence
  (:mod:`.evidence`: source document, sentence id, verbatim wording, character offsets,
  epistemic status and a caution when the sentence only claims, announces or hedges it);
* an **inferred** triple is explained by the OWL 2 RL/RDF rule that derived it (its id in the
  tables of OWL 2 Profiles §4.3, a one-sentence meaning and a link to the spec) and its premises,
  each explained in turn, down to asserted triples. The derivation index
  (:class:`~conflict_graph.reasoning.DerivationIndex`) lists derivations shortest first; the tree
  expands the first one whose premises do not lead back to a triple already on the path, and
  lists the others as alternatives (each can be expanded by asking for it, ``derivation=n``).
  A premise that would close a cycle is marked ``cycle`` and not expanded.

The work of one explanation is bounded before it is paid: at most ``max_nodes`` nodes and
``max_depth`` levels (a premise beyond either is marked ``cut``), at most ``max_alternatives``
derivations read per triple (the shortest; the step says how many more there are) and at most
``max_evidence`` pieces of evidence per asserted triple (first in sentence order; the step says
how many more). Whatever is cut, the explanation says ``truncated`` and counts what it left out.
Every read is an indexed lookup in the derivation store, whose evidence rows the build resolved
down to the sentences, so the cost of a step does not grow with the dataset.

A triple that is neither asserted nor inferred raises :class:`~conflict_graph.errors.NotFound`;
one whose terms occur nowhere in the dataset raises :class:`~conflict_graph.errors.InputError`
naming the unknown term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from ..errors import InputError, NotFound
from .evidence import Evidence, Quote
from .records import Derivation
from .rule_catalogue import Rule, rule
from .term_syntax import Term, Triple, nt, short

__all__ = ["DEFAULT_BOUNDS", "MAX_ALTERNATIVES", "MAX_DEPTH", "MAX_EVIDENCE", "MAX_NODES", "Alternative", "Bounds",
           "DerivationSource", "Explanation", "Step", "evidence_json", "explain", "explain_path",
           "ordered_derivations", "quote_json", "rule_json", "triple_json"]

#: Default bounds of one explanation tree.
MAX_NODES = 500
MAX_DEPTH = 40
#: Derivations of one triple read from the index (the first is expanded, the others listed).
MAX_ALTERNATIVES = 20
#: Pieces of evidence shown for one asserted triple.
MAX_EVIDENCE = 20


@dataclass(frozen=True)
class Bounds:
    """What one explanation may cost: tree nodes and levels, derivations read per triple,
    evidence rows read per asserted triple."""

    max_nodes: int = MAX_NODES
    max_depth: int = MAX_DEPTH
    max_alternatives: int = MAX_ALTERNATIVES
    max_evidence: int = MAX_EVIDENCE

    def __post_init__(self) -> None:
        for name in ("max_nodes", "max_depth", "max_alternatives", "max_evidence"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


#: The bounds of an explanation when none are given.
DEFAULT_BOUNDS = Bounds()


class DerivationSource(Protocol):
    """What :func:`explain` needs of a derivation index (``reasoning.DerivationIndex`` has it)."""

    def asserted_in(self, t: Triple) -> list[str]: ...
    def is_inferred(self, t: Triple) -> bool: ...
    def derivations(self, t: Triple, limit: int = 20) -> Sequence[Derivation]: ...
    def derivation_count(self, t: Triple) -> int: ...
    def evidence(self, t: Triple, limit: int = 20) -> tuple[Sequence[Evidence], int]: ...
    def knows(self, term: Term) -> bool: ...


@dataclass(frozen=True)
class Alternative:
    """A derivation of a triple other than the one expanded: its rule and premises, unexpanded.

    Attributes:
        index: its position among the triple's derivations (0 is the shortest).
        rule: the OWL 2 RL rule.
        premises: the premise triples.
        height: the height of its derivation tree.
    """

    index: int
    rule: Rule
    premises: tuple[Triple, ...]
    height: int


@dataclass(frozen=True)
class Step:
    """One node of an explanation tree: a triple and why it holds.

    Attributes:
        triple: the triple.
        status: ``asserted``; ``inferred`` (with ``rule`` and ``premises``); ``cycle`` (the triple
            is already on the path above, so it is not expanded again); ``cut`` (beyond the size or
            depth limit); ``unexplained`` (inferred, but no derivation is recorded).
        graphs: the named graphs asserting it (asserted triples).
        evidence: its evidence (asserted triples).
        rule: the rule of the expanded derivation (inferred triples).
        derivation: the index of the expanded derivation among the triple's derivations.
        height: the height of the expanded derivation.
        premises: the premises of the expanded derivation, each explained.
        alternatives: the triple's other derivations (among the first ``max_alternatives``).
        alternatives_omitted: how many derivations were not read (beyond ``max_alternatives``).
        evidence_omitted: how many pieces of evidence were not read (beyond ``max_evidence``).
    """

    triple: Triple
    status: str
    graphs: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    rule: Rule | None = None
    derivation: int | None = None
    height: int | None = None
    premises: tuple[Step, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    alternatives_omitted: int = 0
    evidence_omitted: int = 0


@dataclass(frozen=True)
class Explanation:
    """The answer of :func:`explain`.

    Attributes:
        root: the tree.
        nodes: how many steps it holds.
        truncated: True if a bound cut anything: a step (status ``cut``), derivations or evidence.
        quotes: the sentences behind it, in text order.
        bounds: every bound it was built with.
    """

    root: Step
    nodes: int
    truncated: bool
    quotes: tuple[Quote, ...] = field(default=())
    bounds: Bounds = field(default_factory=Bounds)

    @property
    def max_nodes(self) -> int:
        return self.bounds.max_nodes

    @property
    def max_depth(self) -> int:
        return self.bounds.max_depth

    def cut(self) -> dict[str, int]:
        """What the bounds left out: steps not expanded, derivations and evidence not read."""
        steps = self.steps()
        return {"steps": sum(1 for s in steps if s.status == "cut"),
                "alternatives": sum(s.alternatives_omitted for s in steps),
                "evidence": sum(s.evidence_omitted for s in steps)}

    @property
    def triple(self) -> Triple:
        return self.root.triple

    def steps(self) -> list[Step]:
        """Every step, depth first."""
        return _depth_first(self.root)

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``GET /explain`` (shape documented in ``docs/explanations.md``)."""
        return {
            "triple": triple_json(self.root.triple),
            "status": self.root.status,
            "tree": _step_json(self.root),
            "nodes": self.nodes,
            "truncated": self.truncated,
            "limits": {"max_nodes": self.max_nodes, "max_depth": self.max_depth,
                       "max_alternatives": self.bounds.max_alternatives,
                       "max_evidence": self.bounds.max_evidence},
            "cut": self.cut(),
            "sentences": [quote_json(q) for q in self.quotes],
        }


def _depth_first(root: Step) -> list[Step]:
    """Every step of the tree under ``root``, depth first."""
    found: list[Step] = []
    pending = [root]
    while pending:
        step = pending.pop()
        found.append(step)
        pending.extend(reversed(step.premises))
    return found


def explain_path(triple: Triple, derivation: int | None = None) -> str:
    """The relative URL of a triple's explanation: ``/explain?subject=…&predicate=…&object=…``
    with each term in N-Triples syntax (the URL shape other pages link to)."""
    query = {"subject": nt(triple[0]), "predicate": nt(triple[1]), "object": nt(triple[2])}
    if derivation:
        query["derivation"] = str(derivation)
    return "/explain?" + urlencode(query)


def triple_json(triple: Triple) -> dict[str, str]:
    """A triple as JSON: each term in N-Triples syntax, a short label, and its explanation URL."""
    s, p, o = triple
    return {"subject": nt(s), "predicate": nt(p), "object": nt(o),
            "label": f"{short(s)} {short(p)} {short(o)}", "explain": explain_path(triple)}


def rule_json(value: Rule) -> dict[str, str]:
    return {"id": value.id, "name": value.name, "table": value.table, "spec": value.spec}


def quote_json(quote: Quote) -> dict[str, Any]:
    return {"iri": quote.iri, "sentence_id": quote.sentence_id, "text": quote.text,
            "start": quote.start, "end": quote.end, "source_text": quote.source_text}


def evidence_json(item: Evidence) -> dict[str, Any]:
    return {
        "via": item.via, "holder": item.holder, "evidence": item.iri,
        "status": item.status, "status_label": item.status_label, "caution": item.caution or None,
        "wording": item.wording, "wording_start": item.wording_start, "wording_end": item.wording_end,
        "claimants": [{"iri": iri, "label": label} for iri, label in item.claimants],
        "comment": item.comment,
        "quote": quote_json(item.quote) if item.quote else None,
        "document": item.document, "document_label": item.document_label,
    }


def _step_json(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {"triple": triple_json(step.triple), "status": step.status}
    if step.status == "asserted":
        data["graphs"] = list(step.graphs)
        data["evidence"] = [evidence_json(e) for e in step.evidence]
        data["evidence_omitted"] = step.evidence_omitted
    if step.rule is not None:
        data["derivation"] = {"index": step.derivation, "height": step.height, "rule": rule_json(step.rule),
                              "premises": [_step_json(p) for p in step.premises]}
        data["alternatives"] = [
            {"index": a.index, "height": a.height, "rule": rule_json(a.rule),
             "premises": [triple_json(p) for p in a.premises],
             "explain": explain_path(step.triple, a.index)}
            for a in step.alternatives]
        data["alternatives_omitted"] = step.alternatives_omitted
    return data


def ordered_derivations(derivations: Sequence[Derivation]) -> list[Derivation]:
    """Shortest first; ties by rule id, then premises, so the same data explains the same way."""
    return sorted(derivations, key=lambda d: (d.height, d.rule, [" ".join(map(nt, p)) for p in d.premises]))


@dataclass
class _Walk:
    """The state of one tree walk: the index, the bounds and what is left of them."""

    index: DerivationSource
    bounds: Bounds
    nodes: int = 0
    truncated: bool = False
    evidence_cache: dict[Triple, tuple[tuple[Evidence, ...], int]] = field(default_factory=dict)

    def evidence(self, triple: Triple) -> tuple[tuple[Evidence, ...], int]:
        """The first pieces of evidence of ``triple`` and how many were left out."""
        if triple not in self.evidence_cache:
            found, total = self.index.evidence(triple, self.bounds.max_evidence)
            self.evidence_cache[triple] = (tuple(found), max(0, total - len(found)))
        return self.evidence_cache[triple]

    def derivations(self, triple: Triple) -> tuple[list[Derivation], int]:
        """The shortest ``max_alternatives`` derivations of ``triple`` and how many were left out."""
        limit = self.bounds.max_alternatives
        found = ordered_derivations(self.index.derivations(triple, limit=limit))
        omitted = self.index.derivation_count(triple) - len(found) if len(found) == limit else 0
        return found, omitted

    def step(self, triple: Triple, path: frozenset[Triple], depth: int, chosen: int | None = None) -> Step:
        self.nodes += 1
        asserted = self.index.asserted_in(triple)
        if asserted:
            evidence, omitted = self.evidence(triple)
            self.truncated |= omitted > 0
            return Step(triple, "asserted", tuple(asserted), evidence, evidence_omitted=omitted)
        if triple in path:
            return Step(triple, "cycle")
        if depth >= self.bounds.max_depth or self.nodes > self.bounds.max_nodes:
            self.truncated = True
            return Step(triple, "cut")
        found, omitted = self.derivations(triple)
        if not found:
            return Step(triple, "unexplained")
        self.truncated |= omitted > 0
        if chosen is None:
            chosen = next((i for i, d in enumerate(found) if not set(d.premises) & (path | {triple})), 0)
        expanded = found[chosen]
        inner = path | {triple}
        premises = tuple(self.step(p, inner, depth + 1) for p in expanded.premises)
        alternatives = tuple(Alternative(i, rule(d.rule), tuple(d.premises), d.height)
                             for i, d in enumerate(found) if i != chosen)
        return Step(triple, "inferred", rule=rule(expanded.rule), derivation=chosen,
                    height=expanded.height, premises=premises, alternatives=alternatives,
                    alternatives_omitted=omitted)


def _check_terms(index: DerivationSource, triple: Triple) -> None:
    """Raise InputError naming the first term of ``triple`` that the dataset never uses."""
    for position, term in zip(("subject", "predicate", "object"), triple, strict=True):
        if not index.knows(term):
            raise InputError(f"{position}: {nt(term)} occurs nowhere in the dataset")


def explain(index: DerivationSource, triple: Triple, *, derivation: int | None = None,
            bounds: Bounds = DEFAULT_BOUNDS) -> Explanation:
    """Explain why ``triple`` holds in the built dataset.

    Args:
        index: the build's derivation store (derivations and evidence).
        triple: the triple to explain.
        derivation: which of the triple's derivations to expand (0 is the shortest; default: the
            shortest that does not loop back to the triple); one of the first ``max_alternatives``.
        bounds: what the explanation may cost.

    Raises:
        InputError: a term of the triple occurs nowhere in the dataset, or ``derivation`` is
            out of range.
        NotFound: the triple is neither asserted nor inferred.
    """
    walk = _Walk(index, bounds)
    if not index.asserted_in(triple) and not index.is_inferred(triple):
        _check_terms(index, triple)
        raise NotFound(f"{nt(triple[0])} {nt(triple[1])} {nt(triple[2])} is neither asserted nor "
                       "entailed under OWL 2 RL (the closure leaves out trivial triples such as "
                       "x rdf:type owl:Thing)")
    if derivation is not None:
        available = index.derivation_count(triple)
        served = min(available, bounds.max_alternatives)
        if not 0 <= derivation < max(served, 1) or (available == 0 and derivation):
            beyond = f"; only the first {served} are served" if available > served else ""
            raise InputError(f"derivation {derivation} does not exist; this triple has {available} "
                             f"derivation(s) (0 to {max(available - 1, 0)}){beyond}")
    root = walk.step(triple, frozenset(), 0, derivation)
    quotes: dict[str, Quote] = {}
    for step in _depth_first(root):
        for item in step.evidence:
            if item.quote is not None:
                quotes.setdefault(item.quote.iri, item.quote)
    ordered = sorted(quotes.values(), key=lambda q: (q.start if q.start is not None else 1 << 62, q.iri))
    return Explanation(root, walk.nodes, walk.truncated, tuple(ordered), bounds)
