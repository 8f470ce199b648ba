"""Explanations and consistency reports as text for the terminal.

An explanation prints as an indented tree: each inferred triple with its rule (id, table, meaning)
and its premises below it; each asserted triple with its graphs and its evidence (sentence id,
status, a caution when the sentence only claims, announces or hedges it, the wording, the whole
sentence, the source document and the character offsets).
"""

from __future__ import annotations

from .consistency import ConsistencyReport, ExplainedInconsistency, ExplainedViolation
from .evidence import Evidence
from .explain import Explanation, Step
from .rule_catalogue import SPEC
from .term_syntax import Triple, short

__all__ = ["consistency_text", "explanation_text", "triple_text"]

_INDENT = "    "


def triple_text(triple: Triple) -> str:
    """A triple on one line, each term shortened where a prefix allows it."""
    return " ".join(short(term) for term in triple)


def _evidence_lines(item: Evidence, pad: str) -> list[str]:
    status = item.status_label or (item.status.rsplit("#", 1)[-1] if item.status else "no status")
    if item.quote is not None:
        head = f"{pad}evidence: sentence {item.quote.sentence_id} ({status})"
    else:
        head = f"{pad}evidence: {item.via} ({status})"
    lines = [head]
    if item.caution:
        lines.append(f"{pad}  NOTE: {item.caution}")
    if item.wording:
        where = f" [characters {item.wording_start}–{item.wording_end}]" if item.wording_start is not None else ""
        lines.append(f"{pad}  wording: “{item.wording}”{where}")
    if item.quote is not None:
        where = f" [characters {item.quote.start}–{item.quote.end}]" if item.quote.start is not None else ""
        lines.append(f"{pad}  sentence: “{item.quote.text}”{where}")
    if item.document:
        label = f"{item.document_label} " if item.document_label else ""
        lines.append(f"{pad}  source: {label}<{item.document}>")
    if item.comment:
        lines.append(f"{pad}  note: {item.comment}")
    return lines


def _step_lines(step: Step, depth: int) -> list[str]:
    pad = _INDENT * depth
    lines = [f"{pad}{triple_text(step.triple)}"]
    inner = pad + "  "
    if step.status == "asserted":
        lines.append(f"{inner}asserted in {', '.join(f'<{g}>' for g in step.graphs)}")
        for item in step.evidence:
            lines.extend(_evidence_lines(item, inner))
        if step.evidence_omitted:
            lines.append(f"{inner}(and {step.evidence_omitted} more piece(s) of evidence, not shown)")
    elif step.status == "inferred" and step.rule is not None:
        table = f", {step.rule.table}" if step.rule.table else ""
        lines.append(f"{inner}inferred by {step.rule.id} ({step.rule.name}{table}) from:")
        for premise in step.premises:
            lines.extend(_step_lines(premise, depth + 1))
        if step.alternatives:
            others = ", ".join(f"{a.index}: {a.rule.id}" for a in step.alternatives)
            lines.append(f"{inner}other derivations (--derivation N): {others}")
        if step.alternatives_omitted:
            lines.append(f"{inner}(and {step.alternatives_omitted} longer derivation(s), not read)")
    elif step.status == "cycle":
        lines.append(f"{inner}(already explained above: a cycle, not expanded again)")
    elif step.status == "cut":
        lines.append(f"{inner}(not expanded: the explanation reached its size or depth limit)")
    else:
        lines.append(f"{inner}(inferred, but no derivation is recorded for it)")
    return lines


def explanation_text(explanation: Explanation) -> str:
    """The whole explanation as an indented tree, with the rule tables' reference at the end."""
    lines = _step_lines(explanation.root, 0)
    if explanation.truncated:
        cut = explanation.cut()
        lines.append(f"(truncated to its bounds: {cut['steps']} step(s) not expanded, beyond "
                     f"{explanation.max_nodes} nodes or {explanation.max_depth} levels; "
                     f"{cut['alternatives']} derivation(s) and {cut['evidence']} piece(s) of evidence "
                     "not read)")
    if explanation.root.status != "asserted":
        lines.append(f"rules: OWL 2 RL/RDF rule tables, {SPEC}")
    return "\n".join(lines)


def _inconsistency_lines(number: int, item: ExplainedInconsistency) -> list[str]:
    lines = [f"{number}. [OWL 2 RL {item.rule.id}] {item.message}",
             f"   rule: {item.rule.name}" + (f" ({item.rule.table})" if item.rule.table else "")]
    for premise in item.premises:
        lines.extend("   " + line for line in explanation_text(premise).splitlines()
                     if not line.startswith("rules: "))
    return lines


def _violation_lines(number: int, item: ExplainedViolation) -> list[str]:
    result = item.violation
    lines = [f"{number}. [SHACL {result.severity}] {result.message}", f"   focus:   {result.focus}"]
    if result.path:
        lines.append(f"   path:    {result.path}")
    if result.value:
        lines.append(f"   value:   {result.value}")
    lines.append(f"   shape:   {result.shape}")
    for evidence in item.evidence:
        lines.extend(_evidence_lines(evidence, "   "))
    return lines


def consistency_text(report: ConsistencyReport) -> str:
    """Every OWL 2 RL inconsistency and SHACL result, each down to its sentences."""
    lines = [report.summary()]
    number = 0
    for inconsistency in report.inconsistencies:
        number += 1
        lines.extend(_inconsistency_lines(number, inconsistency))
    for violation in report.violations:
        number += 1
        lines.extend(_violation_lines(number, violation))
    return "\n".join(lines)
