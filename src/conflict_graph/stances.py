"""How a piece of evidence pulls against its fact (``cg:stance``, ontology section "Tension between
statements"), and what a reader is told about it wherever the evidence is shown: pages, the source
page and explanations. Evidence with no stance, or ``cg:Supports``, supports its fact.

Plain text only (no rdflib), so every process may import it.
"""

from __future__ import annotations

from .iri_text import ONTOLOGY_NAMESPACE

__all__ = ["AGAINST", "label", "note"]

#: The stances of evidence that does not support its fact, and what a reader is told of each.
AGAINST: dict[str, str] = {
    ONTOLOGY_NAMESPACE + "Overstates": "this sentence says more than the fact as recorded (it overstates it)",
    ONTOLOGY_NAMESPACE + "Weakens":
        "this sentence weakens or qualifies the fact: it is no support for it as recorded",
    ONTOLOGY_NAMESPACE + "Contradicts":
        "read literally, this sentence contradicts the fact: it is no support for it",
}


def label(stance: str) -> str:
    """``contradicts``, ``weakens``, ``overstates``: the stance's name, as a verb."""
    return stance.rsplit("#", 1)[-1].lower()


def note(stance: str) -> str:
    """What a reader is told about evidence with this stance (empty when it supports its fact)."""
    return AGAINST.get(stance, "")
