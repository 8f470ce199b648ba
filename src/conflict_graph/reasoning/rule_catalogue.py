"""The OWL 2 RL/RDF rules by their ids, as people read them in an explanation.

OWL 2 Web Ontology Language Profiles (Second Edition) §4.3, tables 4–9
(https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules): each rule
has an id (``prp-inv1``, ``cax-sco``), a table, and a meaning, given here as one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULES", "SPEC", "Rule", "rule"]

#: The section of the OWL 2 Profiles specification that holds the rule tables.
SPEC = "https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules"

_TABLES = {
    4: "Table 4: the semantics of equality",
    5: "Table 5: the semantics of axioms about properties",
    6: "Table 6: the semantics of classes",
    7: "Table 7: the semantics of class axioms",
    8: "Table 8: the semantics of datatypes",
    9: "Table 9: the semantics of schema vocabulary",
}


@dataclass(frozen=True)
class Rule:
    """One OWL 2 RL/RDF rule.

    Attributes:
        id: its id in the spec tables (``prp-inv1``).
        name: what it does, in one sentence.
        table: the spec table that defines it (``Table 5: …``), or ``""`` for a rule the tables do
            not list.
        spec: the IRI of the spec section holding the tables.
    """

    id: str
    name: str
    table: str
    spec: str = SPEC


_NAMES: dict[str, tuple[int, str]] = {
    "eq-ref": (4, "every resource is the same as itself"),
    "eq-sym": (4, "owl:sameAs is symmetric"),
    "eq-trans": (4, "owl:sameAs is transitive"),
    "eq-rep-s": (4, "a subject may be replaced by a resource it is the same as"),
    "eq-rep-p": (4, "a predicate may be replaced by a property it is the same as"),
    "eq-rep-o": (4, "an object may be replaced by a resource it is the same as"),
    "eq-diff1": (4, "inconsistent: two resources are both the same and different"),
    "eq-diff2": (4, "inconsistent: members of an owl:AllDifferent (owl:members) are the same"),
    "eq-diff3": (4, "inconsistent: members of an owl:AllDifferent (owl:distinctMembers) are the same"),
    "prp-ap": (5, "an annotation property is a property"),
    "prp-dom": (5, "the subject of a property is an instance of its domain"),
    "prp-rng": (5, "the object of a property is an instance of its range"),
    "prp-fp": (5, "two values of a functional property are the same"),
    "prp-ifp": (5, "two subjects of an inverse-functional property with one value are the same"),
    "prp-irp": (5, "inconsistent: an irreflexive property relates a resource to itself"),
    "prp-symp": (5, "a symmetric property holds in both directions"),
    "prp-asyp": (5, "inconsistent: an asymmetric property holds in both directions"),
    "prp-trp": (5, "a transitive property chains"),
    "prp-spo1": (5, "a sub-property implies its super-property"),
    "prp-spo2": (5, "a property chain implies the chained property"),
    "prp-eqp1": (5, "a property implies the properties equivalent to it"),
    "prp-eqp2": (5, "a property is implied by the properties equivalent to it"),
    "prp-pdw": (5, "inconsistent: two disjoint properties relate the same pair"),
    "prp-adp": (5, "inconsistent: pairwise disjoint properties relate the same pair"),
    "prp-inv1": (5, "a property implies its inverse, reversed"),
    "prp-inv2": (5, "the inverse of a property implies the property, reversed"),
    "prp-key": (5, "two instances with the same key values are the same"),
    "prp-npa1": (5, "inconsistent: a negative property assertion holds"),
    "prp-npa2": (5, "inconsistent: a negative data property assertion holds"),
    "cls-thing": (6, "owl:Thing is a class"),
    "cls-nothing1": (6, "owl:Nothing is a class"),
    "cls-nothing2": (6, "inconsistent: something is an instance of owl:Nothing"),
    "cls-int1": (6, "an instance of every class of an intersection is an instance of it"),
    "cls-int2": (6, "an instance of an intersection is an instance of each of its classes"),
    "cls-uni": (6, "an instance of a class of a union is an instance of the union"),
    "cls-com": (6, "inconsistent: something is an instance of a class and of its complement"),
    "cls-svf1": (6, "a value of the property in the class makes an instance of someValuesFrom"),
    "cls-svf2": (6, "any value of the property makes an instance of someValuesFrom owl:Thing"),
    "cls-avf": (6, "the values of the property of an allValuesFrom instance are in its class"),
    "cls-hv1": (6, "an instance of a hasValue restriction has the value"),
    "cls-hv2": (6, "having the value makes an instance of the hasValue restriction"),
    "cls-maxc1": (6, "inconsistent: a value of a property restricted to a maximum of 0 values"),
    "cls-maxc2": (6, "two values of a property restricted to 1 value are the same"),
    "cls-maxqc1": (6, "inconsistent: a qualified value of a property restricted to 0 such values"),
    "cls-maxqc2": (6, "inconsistent: a value of a property restricted to 0 values of owl:Thing"),
    "cls-maxqc3": (6, "two qualified values of a property restricted to 1 such value are the same"),
    "cls-maxqc4": (6, "two values of a property restricted to 1 value of owl:Thing are the same"),
    "cls-oo": (6, "each member of an owl:oneOf is an instance of the class"),
    "cax-sco": (7, "an instance of a class is an instance of its superclasses"),
    "cax-eqc1": (7, "an instance of a class is an instance of the classes equivalent to it"),
    "cax-eqc2": (7, "an instance of a class is an instance of the classes it is equivalent to"),
    "cax-dw": (7, "inconsistent: something is an instance of two disjoint classes"),
    "cax-adc": (7, "inconsistent: something is an instance of two of pairwise disjoint classes"),
    "dt-type1": (8, "a supported datatype is a datatype"),
    "dt-type2": (8, "a literal is an instance of its datatype"),
    "dt-eq": (8, "two literals with the same value are the same"),
    "dt-diff": (8, "two literals with different values are different"),
    "dt-not-type": (8, "inconsistent: a literal is not a value of its datatype"),
    "scm-cls": (9, "every class is a subclass and equivalent of itself, below owl:Thing"),
    "scm-sco": (9, "rdfs:subClassOf is transitive"),
    "scm-eqc1": (9, "equivalent classes are subclasses of each other"),
    "scm-eqc2": (9, "classes that are subclasses of each other are equivalent"),
    "scm-op": (9, "every object property is a sub-property and equivalent of itself"),
    "scm-dp": (9, "every datatype property is a sub-property and equivalent of itself"),
    "scm-spo": (9, "rdfs:subPropertyOf is transitive"),
    "scm-eqp1": (9, "equivalent properties are sub-properties of each other"),
    "scm-eqp2": (9, "properties that are sub-properties of each other are equivalent"),
    "scm-dom1": (9, "a domain's superclass is a domain"),
    "scm-dom2": (9, "a super-property's domain is a domain of the sub-property"),
    "scm-rng1": (9, "a range's superclass is a range"),
    "scm-rng2": (9, "a super-property's range is a range of the sub-property"),
    "scm-hv": (9, "hasValue restrictions on a property and its super-property are subclasses"),
    "scm-svf1": (9, "someValuesFrom restrictions on a class and its superclass are subclasses"),
    "scm-svf2": (9, "someValuesFrom restrictions on a property and its super-property are subclasses"),
    "scm-avf1": (9, "allValuesFrom restrictions on a class and its superclass are subclasses"),
    "scm-avf2": (9, "allValuesFrom restrictions on a property and its super-property are subclasses"),
    "scm-int": (9, "an intersection is a subclass of each of its classes"),
    "scm-uni": (9, "each class of a union is a subclass of the union"),
}

#: Every rule of tables 4–9, by id.
RULES: dict[str, Rule] = {rule_id: Rule(rule_id, name, _TABLES[table])
                          for rule_id, (table, name) in _NAMES.items()}


def rule(rule_id: str) -> Rule:
    """The rule with this id; an id the tables do not list is named by itself, with no table."""
    return RULES.get(rule_id) or Rule(rule_id, rule_id, "")
