"""The ids the OWL 2 RL engine works with: vocabulary terms, rule ids, and what counts as schema.

Rule ids are the names of the rules in OWL 2 Profiles §4.3 (tables 4-9); a derivation stores the
index of its rule in :data:`RULES`.
"""

from __future__ import annotations

from .terms import VOCABULARY

_I = {name: index for index, name in enumerate(VOCABULARY)}
TYPE, FIRST, REST, NIL = _I["type"], _I["first"], _I["rest"], _I["nil"]
SCO, SPO, DOMAIN, RANGE = _I["sco"], _I["spo"], _I["domain"], _I["range"]
SAME, DIFF, ALLDIFF, MEMBERS, DMEMBERS = (_I["sameAs"], _I["differentFrom"], _I["AllDifferent"],
                                          _I["members"], _I["distinctMembers"])
EQC, EQP, INV, THING, NOTHING = _I["eqc"], _I["eqp"], _I["inverseOf"], _I["Thing"], _I["Nothing"]
FUNC, IFP, IRR, SYM, ASYM, TRANS = (_I["FunctionalProperty"], _I["InverseFunctionalProperty"],
                                    _I["IrreflexiveProperty"], _I["SymmetricProperty"],
                                    _I["AsymmetricProperty"], _I["TransitiveProperty"])
CHAIN, PDW, ADP, ADC, HASKEY = (_I["chain"], _I["pdw"], _I["AllDisjointProperties"],
                                _I["AllDisjointClasses"], _I["hasKey"])
SRC, APROP, TIND, TVAL = (_I["sourceIndividual"], _I["assertionProperty"], _I["targetIndividual"],
                          _I["targetValue"])
INTER, UNION, COMP, ONEOF, DISJ = (_I["intersectionOf"], _I["unionOf"], _I["complementOf"],
                                   _I["oneOf"], _I["disjointWith"])
SVF, AVF, HV, ONP, ONCLASS, MAXC, MAXQC = (_I["svf"], _I["avf"], _I["hasValue"], _I["onProperty"],
                                           _I["onClass"], _I["maxCardinality"],
                                           _I["maxQualifiedCardinality"])

#: Rule ids (OWL 2 Profiles §4.3); a derivation stores the index of its rule in this tuple.
RULES: tuple[str, ...] = (
    "eq-sym", "eq-trans", "eq-rep-s", "eq-rep-p", "eq-rep-o", "eq-diff1", "eq-diff2", "eq-diff3",
    "prp-dom", "prp-rng", "prp-fp", "prp-ifp", "prp-irp", "prp-symp", "prp-asyp", "prp-trp",
    "prp-spo1", "prp-spo2", "prp-eqp1", "prp-eqp2", "prp-pdw", "prp-adp", "prp-inv1", "prp-inv2",
    "prp-key", "prp-npa1", "prp-npa2",
    "cls-nothing2", "cls-int1", "cls-int2", "cls-uni", "cls-com", "cls-svf1", "cls-svf2", "cls-avf",
    "cls-hv1", "cls-hv2", "cls-maxc1", "cls-maxc2", "cls-maxqc1", "cls-maxqc2", "cls-maxqc3",
    "cls-maxqc4", "cls-oo",
    "cax-sco", "cax-eqc1", "cax-eqc2", "cax-dw", "cax-adc",
    "dt-not-type",
    "scm-sco", "scm-eqc1", "scm-eqc2", "scm-spo", "scm-eqp1", "scm-eqp2", "scm-dom1", "scm-dom2",
    "scm-rng1", "scm-rng2", "scm-hv", "scm-svf1", "scm-svf2", "scm-avf1", "scm-avf2", "scm-int",
    "scm-uni",
)
R = {name: index for index, name in enumerate(RULES)}

#: Predicates whose triples are schema: taking one rebuilds the compiled rule tables.
SCHEMA_PREDICATES = frozenset({
    SCO, SPO, DOMAIN, RANGE, EQC, EQP, INV, CHAIN, PDW, INTER, UNION, COMP, ONEOF, DISJ, SVF, AVF,
    HV, ONP, ONCLASS, MAXC, MAXQC, HASKEY, MEMBERS, DMEMBERS, FIRST, REST})
#: Classes whose instances are schema (property characteristics and n-ary axioms).
SCHEMA_CLASSES = frozenset({FUNC, IFP, IRR, SYM, ASYM, TRANS, ADC, ADP, ALLDIFF})
#: Readings of one RDF list the rules consider at most (lists only branch under owl:sameAs).
MAX_LIST_READINGS = 64
#: Reflexive triples the cleaning removes: the engine never derives them.
_REFLEXIVE = frozenset({SAME, SCO, SPO, EQC, EQP})


#: Premises of a derivation: fact ids, in the order of the rule's body.
Premises = tuple[int, ...]
