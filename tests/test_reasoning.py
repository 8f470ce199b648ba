"""OWL 2 RL materialization (OWL 2 Profiles §4.3), its cleaning rules and its error reports.

Each test builds a tiny dataset from tests/data/pipeline/reasoning and runs
:func:`conflict_graph.reasoning.materialize` on it, with the native engine and with owlrl (the
reference) alike. The noise counts are owlrl's: the native engine never derives the noise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conflict_graph.pipeline import inputs; from conflict_graph import iris
from conflict_graph.reasoning import REFLEXIVE_NOISE, ReasoningReport, materialize
from conflict_graph.reasoning.engine import RULES
from conflict_graph.errors import SettingError
from pipeline_support import PIPELINE

FIXTURES = PIPELINE / "reasoning"
CG = iris.CG
ID = iris.ID
ERR = "http://www.daml.org/2002/03/agents/agent-ont#"


REASONERS = ["native", "owlrl"]


def _reason(*names: str, extra: list[inputs.InputFile] | None = None,
            reasoner: str = "native") -> tuple[inputs.LoadedData, ReasoningReport]:
    files = [inputs.InputFile(FIXTURES / "ontology.ttl", "turtle", str(iris.ONTOLOGY_GRAPH), "ontology")]
    files += [inputs.InputFile(FIXTURES / n, "turtle", str(iris.source_graph(Path(n).stem)), "source")
              for n in names]
    loaded = inputs.load(files + (extra or []))
    return loaded, materialize(loaded.dataset, reasoner=reasoner)


@pytest.fixture(scope="module", params=REASONERS)
def consistent(request: pytest.FixtureRequest) -> tuple[inputs.LoadedData, ReasoningReport]:
    return _reason("consistent.ttl", reasoner=request.param)


@pytest.fixture(scope="module")
def by_owlrl() -> tuple[inputs.LoadedData, ReasoningReport]:
    return _reason("consistent.ttl", reasoner="owlrl")


def _inferred(loaded: inputs.LoadedData) -> set[tuple]:
    return set(loaded.dataset.graph(iris.INFERRED_GRAPH))


def test_consistent_data_has_no_errors(consistent) -> None:
    _, report = consistent
    assert report.errors == ()
    assert report.inferred_triples > 0 and report.seconds > 0


def test_unknown_reasoner_is_refused() -> None:
    with pytest.raises(SettingError, match="unknown reasoner 'hermit'"):
        _reason("consistent.ttl", reasoner="hermit")


def test_subclass_typing_is_inferred(consistent) -> None:
    """cax-sco: T(?c1 rdfs:subClassOf ?c2), T(?x rdf:type ?c1) → T(?x rdf:type ?c2)."""
    loaded, _ = consistent
    assert (ID["org-tnla"], RDF.type, CG.Organization) in _inferred(loaded)


def test_inverse_property_is_inferred(consistent) -> None:
    """prp-inv1: T(?p1 owl:inverseOf ?p2), T(?x ?p1 ?y) → T(?y ?p2 ?x)."""
    loaded, _ = consistent
    assert (ID["org-alliance"], CG.hasMember, ID["org-tnla"]) in _inferred(loaded)


def test_inferred_graph_holds_no_asserted_triple(consistent) -> None:
    loaded, _ = consistent
    asserted = {t for g in loaded.dataset.graphs() if g.identifier != iris.INFERRED_GRAPH for t in g}
    assert asserted and not (_inferred(loaded) & asserted)


def test_literal_subject_triples_are_removed(consistent, by_owlrl) -> None:
    """owlrl's datatype rules type literals (``"8000"^^xsd:integer a xsd:integer``): not RDF."""
    loaded, _ = consistent
    assert by_owlrl[1].removed_noise["literal subject"] > 0
    assert not any(isinstance(s, Literal) for s, _, _ in _inferred(loaded))


@pytest.mark.parametrize("predicate", list(REFLEXIVE_NOISE))
def test_reflexive_triples_are_removed(consistent, by_owlrl, predicate: URIRef) -> None:
    """eq-ref, scm-cls, scm-op, scm-dp make ``x p x`` for every node, class or property."""
    loaded, _ = consistent
    assert by_owlrl[1].removed_noise[REFLEXIVE_NOISE[predicate]] > 0
    inferred = loaded.dataset.graph(iris.INFERRED_GRAPH)
    assert not any(s == o for s, _, o in inferred.triples((None, predicate, None)))


@pytest.mark.parametrize("reasoner", REASONERS)
def test_disjoint_classes_violation_is_an_error(reasoner: str) -> None:
    """cax-dw: T(?c1 owl:disjointWith ?c2), T(?x rdf:type ?c1), T(?x rdf:type ?c2) → false."""
    loaded, report = _reason("consistent.ttl", "disjoint.ttl", reasoner=reasoner)
    assert len(report.errors) == 1
    assert "Disjoint classes" in report.errors[0] and str(ID["place-lashio"]) in report.errors[0]
    if reasoner == "owlrl":
        assert report.removed_noise["error message"] == 2
    inferred = loaded.dataset.graph(iris.INFERRED_GRAPH)
    assert not list(inferred.triples((None, RDF.type, URIRef(ERR + "ErrorMessage"))))
    assert not list(inferred.triples((None, URIRef(ERR + "error"), None)))


def test_native_disjointness_is_recorded_with_its_premises() -> None:
    """The engine keeps the clash as a record: rule cax-dw and the three triples it matched."""
    _, report = _reason("consistent.ttl", "disjoint.ttl")
    assert report.engine is not None
    ((rule, premises, _),) = report.engine.inconsistencies
    terms = report.engine.terms.terms
    matched = {tuple(terms[i] for i in report.engine.facts[f]) for f in premises}  # type: ignore[union-attr]
    lashio = ID["place-lashio"]
    assert RULES[rule] == "cax-dw"
    assert {t[0] for t in matched if t[1] == RDF.type} == {lashio}
    assert any(t[1] == OWL.disjointWith for t in matched) and len(matched) == 3


@pytest.mark.parametrize("reasoner", REASONERS)
def test_same_as_to_an_external_iri_is_an_error(reasoner: str) -> None:
    _, report = _reason("consistent.ttl", "external-same-as.ttl", reasoner=reasoner)
    assert len(report.errors) == 1
    assert "owl:sameAs" in report.errors[0] and "wikidata.org/entity/Q7670590" in report.errors[0]
    assert "skos:exactMatch" in report.errors[0]


@pytest.mark.parametrize("reasoner", REASONERS)
def test_same_as_between_project_iris_is_allowed(reasoner: str) -> None:
    loaded, report = _reason("consistent.ttl", "internal-same-as.ttl", reasoner=reasoner)
    assert report.errors == ()
    other = ID["org-palaung-state-liberation-front-army"]
    assert (other, RDF.type, CG.ArmedGroup) in _inferred(loaded)


@pytest.mark.parametrize("reasoner", REASONERS)
def test_shapes_graph_is_not_reasoned_over(reasoner: str) -> None:
    shapes_file = PIPELINE / "validation" / "shapes.ttl"
    shapes = inputs.InputFile(shapes_file, "turtle", str(iris.SHAPES_GRAPH), "shapes")
    loaded, report = _reason("consistent.ttl", extra=[shapes], reasoner=reasoner)
    shape_nodes = set(loaded.dataset.graph(iris.SHAPES_GRAPH).subjects())
    assert report.errors == ()
    assert not any(s in shape_nodes or o in shape_nodes for s, _, o in _inferred(loaded))


@pytest.mark.parametrize("reasoner", REASONERS)
def test_materialize_replaces_a_previous_inferred_graph(reasoner: str) -> None:
    loaded, _ = _reason("consistent.ttl", reasoner=reasoner)
    stale = (ID["stale"], RDF.type, OWL.Thing)
    loaded.dataset.graph(iris.INFERRED_GRAPH).add(stale)
    again = materialize(loaded.dataset, reasoner=reasoner)
    assert stale not in _inferred(loaded)
    assert again.inferred_triples == len(_inferred(loaded))


def test_schema_entailments_are_kept(consistent) -> None:
    """scm-sco: subclass chains are closed (EthnicArmedOrganization ⊑ ArmedGroup ⊑ Organization)."""
    loaded, _ = consistent
    assert (CG.EthnicArmedOrganization, RDFS.subClassOf, CG.Organization) in _inferred(loaded)


def test_owl_thing_boilerplate_is_removed(consistent, by_owlrl) -> None:
    """cls-thing / scm-cls: "x a owl:Thing", "C ⊑ owl:Thing", "owl:Nothing ⊑ C" say nothing."""
    loaded, _ = consistent
    report = by_owlrl[1]
    inferred = _inferred(loaded)
    assert not [t for t in inferred if t[2] == OWL.Thing and t[1] in (RDF.type, RDFS.subClassOf,
                                                                        RDFS.domain, RDFS.range)]
    assert not [t for t in inferred if t[0] == OWL.Nothing]
    assert report.removed_noise["owl:Thing / owl:Nothing"] > 0


def test_axioms_about_the_built_in_vocabulary_are_removed(consistent, by_owlrl) -> None:
    """owlrl's datatype axioms (xsd:int a rdfs:Datatype, ...) are not facts about the data."""
    loaded, _ = consistent
    report = by_owlrl[1]
    built_in = ("http://www.w3.org/2001/XMLSchema#", str(RDF), str(RDFS), str(OWL))
    assert not [t for t in _inferred(loaded) if str(t[0]).startswith(built_in)]
    assert report.removed_noise["built-in vocabulary"] > 0
