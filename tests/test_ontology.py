"""The shipped ontology's axioms do what its comment says, and it avoids what OWL 2 RL misuses.

Each test reasons with the native engine and with owlrl over the real
``ontology/conflict-graph.ttl`` plus a few triples.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Namespace, URIRef
from rdflib.namespace import OWL

from conflict_graph import iris
from conflict_graph.iris import CG
from conflict_graph.reasoning import ReasoningReport, materialize

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "conflict-graph.ttl"
EX = Namespace("https://example.org/ontology-test/")
ORG = Namespace("http://www.w3.org/ns/org#")
PREFIXES = """
@prefix cg:  <https://w3id.org/conflict-graph/ontology#> .
@prefix ex:  <https://example.org/ontology-test/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


@pytest.fixture(params=["native", "owlrl"])
def reasoner(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def reason(ontology: Graph, data: str, reasoner: str) -> tuple[Graph, ReasoningReport]:
    dataset = Dataset()
    graph = dataset.graph(iris.ONTOLOGY_GRAPH)
    for triple in ontology:
        graph.add(triple)
    dataset.graph(iris.source_graph("test")).parse(data=PREFIXES + data, format="turtle")
    report = materialize(dataset, reasoner=reasoner)
    return dataset.graph(iris.INFERRED_GRAPH), report


def test_a_town_cannot_be_its_township(ontology: Graph, reasoner: str) -> None:
    _, report = reason(ontology, "ex:nawnghkio a cg:Town, cg:Township .", reasoner)
    assert any("Disjoint" in error and "nawnghkio" in error for error in report.errors)


def test_a_unit_cannot_be_its_headquarters(ontology: Graph, reasoner: str) -> None:
    _, report = reason(ontology, "ex:nec a cg:RegionalMilitaryCommand, cg:Headquarters .", reasoner)
    assert any("Disjoint" in error and "nec" in error for error in report.errors)


def test_members_of_an_alliance_of_ethnic_armies_are_ethnic_armies(ontology: Graph, reasoner: str) -> None:
    inferred, report = reason(ontology, "ex:tnla org:memberOf ex:brotherhood . "
                                        "ex:brotherhood a cg:AllianceOfEthnicArmies .", reasoner)
    assert not report.errors
    assert (EX.tnla, RDF.type, CG.EthnicArmedOrganization) in inferred
    assert (EX.brotherhood, ORG.hasMember, EX.tnla) in inferred


def test_containment_is_transitive_and_a_capital_lies_in_its_region(ontology: Graph, reasoner: str) -> None:
    inferred, _ = reason(ontology, "ex:lashio cg:capitalOf ex:north . ex:north cg:locatedIn ex:state .", reasoner)
    assert (EX.lashio, CG.locatedIn, EX.north) in inferred
    assert (EX.lashio, CG.locatedIn, EX.state) in inferred


def test_adjacency_is_symmetric_but_not_transitive(ontology: Graph, reasoner: str) -> None:
    inferred, _ = reason(ontology, "ex:a cg:adjacentTo ex:b . ex:b cg:adjacentTo ex:c .", reasoner)
    assert (EX.b, CG.adjacentTo, EX.a) in inferred
    assert (EX.a, CG.adjacentTo, EX.c) not in inferred


def test_evidence_gives_stated_in_by_the_property_chain(ontology: Graph, reasoner: str) -> None:
    inferred, _ = reason(ontology, "ex:fact cg:evidence ex:evidence . ex:evidence prov:entity ex:quote .", reasoner)
    assert (EX.fact, CG.statedIn, EX.quote) in inferred
    assert (EX.fact, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), EX.quote) in inferred


@pytest.mark.parametrize("term", [OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.hasKey,
                                  OWL.maxCardinality, OWL.cardinality, OWL.maxQualifiedCardinality,
                                  OWL.sameAs, OWL.imports])
def test_no_axiom_that_would_merge_individuals_or_import_others(ontology: Graph, term: URIRef) -> None:
    """In OWL 2 RL these make owl:sameAs links (prp-fp, prp-ifp, prp-key, cls-maxc2) or load more."""
    assert not list(ontology.triples((None, None, term))) and not list(ontology.triples((None, term, None)))
