"""Evidence nodes get readable, deterministic IRIs before validation and reasoning."""

from __future__ import annotations

from rdflib import BNode, Dataset, URIRef

from conflict_graph.query import store
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.pipeline.evidence_iris import name_evidence
from conflict_graph.iris import CG

DATA = """
@prefix cg: <https://w3id.org/conflict-graph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ex: <https://example.org/e/> .
@prefix q: <https://example.org/e/quote/> .
ex:fact cg:evidence [ prov:entity q:s05 ; cg:epistemicStatus cg:Stated ; cg:wording "took" ] ,
                    [ prov:entity q:s05 ; cg:epistemicStatus cg:Stated ; cg:wording "control" ] ,
                    [ prov:entity q:s06 ; cg:epistemicStatus cg:Claimed ] .
"""


def named(data: str) -> set[str]:
    dataset = Dataset()
    dataset.graph(URIRef("https://example.org/g")).parse(data=data, format="turtle")
    assert name_evidence(dataset) == 3
    graph = dataset.graph(URIRef("https://example.org/g"))
    assert not [o for o in graph.objects(None, CG.evidence) if isinstance(o, BNode)]
    return {str(o) for o in graph.objects(None, CG.evidence)}


def test_evidence_is_named_after_fact_sentence_and_status() -> None:
    assert named(DATA) == {"https://example.org/e/fact/evidence/s05-stated",
                           "https://example.org/e/fact/evidence/s05-stated-2",
                           "https://example.org/e/fact/evidence/s06-claimed"}


def test_the_same_data_gives_the_same_names() -> None:
    assert named(DATA) == named(DATA)


def test_the_built_graph_has_no_blank_evidence(real_build: BuildResult) -> None:
    opened = store.open_store(real_build.artifact)
    dataset = store.query_dataset(real_build.catalogue, "simple")
    ask = store.execute(opened, "PREFIX cg: <https://w3id.org/conflict-graph/ontology#> "
                                "ASK { ?fact cg:evidence ?e FILTER isBlank(?e) }", dataset)
    assert not bool(ask)
    cited = store.execute(opened, "PREFIX prov: <http://www.w3.org/ns/prov#> ASK { "
                          "<https://w3id.org/conflict-graph/id/assertion/control/nawnghkio-township-complete"
                          "/evidence/s06-claimed> prov:entity "
                          "<https://w3id.org/conflict-graph/id/quote/irrawaddy-2024-op1027-phase2/s06> }",
                          dataset)
    assert bool(cited)
