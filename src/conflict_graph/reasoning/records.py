"""The records the OWL 2 RL engine keeps: derivations and inconsistencies, in public form.

A rule id is the name of an OWL 2 RL rule in the tables of OWL 2 Profiles §4.3
(https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules), e.g.
``cax-sco``, ``prp-inv1``, ``prp-trp``, ``scm-sco``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import pyoxigraph as ox

__all__ = ["RULE_SPEC", "Derivation", "Inconsistency", "Term", "Triple", "rule_link"]

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
Triple: TypeAlias = tuple[Term, Term, Term]

#: Where the rule tables of OWL 2 RL are specified.
RULE_SPEC = "https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules"


def rule_link(rule: str) -> str:
    """The spec table that defines ``rule`` (OWL 2 Profiles §4.3, tables 4-9)."""
    table = {"eq": "Equality", "prp": "Properties", "cls": "Classes", "cax": "Class_Axioms",
             "dt": "Datatypes", "scm": "Schema_Vocabulary"}.get(rule.split("-")[0])
    return f"https://www.w3.org/TR/owl2-profiles/#Semantics_of_{table}" if table else RULE_SPEC


@dataclass(frozen=True)
class Derivation:
    """One firing of an OWL 2 RL rule that concludes a triple.

    Attributes:
        rule: the rule id (``cax-sco``, ``prp-inv1``, ...).
        premises: the triples the rule matched, asserted or inferred, in the rule's order.
        height: the height of the derivation tree: 1 + the largest height of a premise, where an
            asserted triple has height 0 and an inferred one the height of its shortest derivation.
    """

    rule: str
    premises: tuple[Triple, ...]
    height: int


@dataclass(frozen=True)
class Inconsistency:
    """A rule whose conclusion is ``false`` (cax-dw, prp-irp, eq-diff1, ...) matched the closure.

    Attributes:
        rule: the rule id.
        premises: the triples it matched.
        message: one readable sentence naming the clash.
    """

    rule: str
    premises: tuple[Triple, ...]
    message: str
