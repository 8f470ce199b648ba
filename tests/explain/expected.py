"""What the article's explanations must say, written out by hand from the article and the ontology.

An outline keeps what a reader sees of each step: the triple (each term in N-Triples syntax), how
it holds (the rule of an inferred triple, the graphs of an asserted one) and, for an asserted
triple, each piece of evidence as (sentence id, status, wording, wording offsets, sentence offsets).
"""

from __future__ import annotations

from typing import Any

ID = "https://w3id.org/conflict-graph/id/"
CG = "https://w3id.org/conflict-graph/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ONTOLOGY = "https://w3id.org/conflict-graph/graph/ontology"
ARTICLE = "https://w3id.org/conflict-graph/graph/source/irrawaddy-2024-op1027-phase2"
DOCUMENT = ID + "source/irrawaddy-2024-op1027-phase2"
STATED = CG + "Stated"

S02_WORDING = ("The Brotherhood’s Myanmar Nationalities Democratic Alliance Army (MNDAA) and "
               "Ta’ang National Liberation Army (TNLA)")
TNLA_MEMBER_OF_ALLIANCE = (
    (f"<{ID}org/tnla>", f"<{ORG}memberOf>", f"<{ID}org/brotherhood-alliance>"),
    "asserted", (ARTICLE,),
    (("S02", STATED, S02_WORDING, 177, 292, 177, 487),),
)
MEMBER_OF_INVERSE = ((f"<{ORG}memberOf>", "<http://www.w3.org/2002/07/owl#inverseOf>", f"<{ORG}hasMember>"),
                     "asserted", (ONTOLOGY,), ())
#: Brotherhood Alliance org:hasMember TNLA: prp-inv1 over the ontology's inverse and sentence S02.
ALLIANCE_HAS_MEMBER_TNLA = (
    (f"<{ID}org/brotherhood-alliance>", f"<{ORG}hasMember>", f"<{ID}org/tnla>"),
    "prp-inv1", (MEMBER_OF_INVERSE, TNLA_MEMBER_OF_ALLIANCE),
)


def _term(text: str) -> str:
    """A term as the outline shows it: blank nodes (the ontology's restrictions) are relabelled
    on every build, so they all read ``_:restriction``."""
    return "_:restriction" if text.startswith("_:") else text


def outline(step: dict[str, Any]) -> tuple[Any, ...]:
    """The outline of one step of the ``/explain`` JSON (see the module docstring)."""
    triple = tuple(_term(step["triple"][k]) for k in ("subject", "predicate", "object"))
    if step["status"] == "asserted":
        evidence = tuple(
            (e["quote"]["sentence_id"] if e["quote"] else None, e["status"], e["wording"], e["wording_start"],
             e["wording_end"], e["quote"]["start"] if e["quote"] else None,
             e["quote"]["end"] if e["quote"] else None)
            for e in step["evidence"])
        return triple, "asserted", tuple(step["graphs"]), evidence
    if step["status"] == "inferred":
        derivation = step["derivation"]
        return triple, derivation["rule"]["id"], tuple(outline(p) for p in derivation["premises"])
    return triple, step["status"]


OWL = "http://www.w3.org/2002/07/owl#"
RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
S01_WORDING = "the Brotherhood Alliance of ethnic armies"
#: TNLA rdf:type cg:EthnicArmedOrganization: the alliance "of ethnic armies" (S01) has only ethnic
#: armies as members (an owl:allValuesFrom restriction on org:hasMember), and the TNLA is one (S02).
TNLA_IS_AN_ETHNIC_ARMY = (
    (f"<{ID}org/tnla>", RDF_TYPE, f"<{CG}EthnicArmedOrganization>"),
    "cls-avf", (
        (("_:restriction", f"<{OWL}allValuesFrom>", f"<{CG}EthnicArmedOrganization>"), "asserted", (ONTOLOGY,), ()),
        (("_:restriction", f"<{OWL}onProperty>", f"<{ORG}hasMember>"), "asserted", (ONTOLOGY,), ()),
        ((f"<{ID}org/brotherhood-alliance>", RDF_TYPE, "_:restriction"), "cax-sco", (
            ((f"<{CG}AllianceOfEthnicArmies>", RDFS_SUBCLASS, "_:restriction"), "asserted", (ONTOLOGY,), ()),
            ((f"<{ID}org/brotherhood-alliance>", RDF_TYPE, f"<{CG}AllianceOfEthnicArmies>"), "asserted",
             (ARTICLE,), (("S01", STATED, S01_WORDING, 88, 129, 0, 175),)),
        )),
        ALLIANCE_HAS_MEMBER_TNLA,
    ),
)

HQ = f"<{ID}site/missile-battalion-606-hq>"
UNIT = f"<{ID}unit/missile-battalion-606>"
#: Every derivation of "the Missile Battalion 606 headquarters is an installation": (rule, premises).
HQ_IS_AN_INSTALLATION = {
    ("cax-sco", ((f"<{CG}Headquarters>", RDFS_SUBCLASS, f"<{CG}Installation>"), (HQ, RDF_TYPE, f"<{CG}Headquarters>"))),
    ("cax-sco", ((f"<{CG}MilitaryPosition>", RDFS_SUBCLASS, f"<{CG}Installation>"),
                 (HQ, RDF_TYPE, f"<{CG}MilitaryPosition>"))),
    ("prp-dom", ((f"<{CG}installationOf>", "<http://www.w3.org/2000/01/rdf-schema#domain>", f"<{CG}Installation>"),
                 (HQ, f"<{CG}installationOf>", UNIT))),
    ("prp-rng", ((f"<{CG}hasInstallation>", "<http://www.w3.org/2000/01/rdf-schema#range>", f"<{CG}Installation>"),
                 (UNIT, f"<{CG}hasInstallation>", HQ))),
}
S06 = (1048, 1210)
