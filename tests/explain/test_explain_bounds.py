"""The bounds of one explanation: derivations read per triple (shortest first), evidence read per
asserted triple, both said in the answer; cycles still end. On a small built fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from live_server import LiveServer, start_server, stop_server

from conflict_graph import iris
from conflict_graph.pipeline import inputs
from conflict_graph.reasoning import DERIVATIONS_FILE, DerivationIndex, materialize, write_derivations
from conflict_graph.reasoning.explain import Bounds
from conflict_graph.reasoning.explainer import Explainer

EX = "https://example.org/"
ONTOLOGY = """
@prefix ex: <https://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ex:A rdfs:subClassOf ex:C . ex:E rdfs:subClassOf ex:C .
ex:B rdfs:subClassOf ex:C . ex:D rdfs:subClassOf ex:B .
ex:C0 rdfs:subClassOf ex:C1 . ex:C1 owl:equivalentClass ex:C2 .
"""
# x is a C four ways: from A and from E (height 1), from B and from D (height 2: x a B, D ⊑ C are
# inferred). x a A is stated by three sentences; y is a C1 and a C2, each from the other.
SOURCE = """
@prefix ex: <https://example.org/> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix cg: <https://w3id.org/conflict-graph/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
ex:x a ex:A , ex:E , ex:D . ex:y a ex:C0 .
ex:statement a cg:TripleStatement ; rdf:subject ex:x ; rdf:predicate rdf:type ; rdf:object ex:A ;
    cg:evidence ex:e30 , ex:e10 , ex:e20 .
""" + "".join(f"""
ex:e{n} prov:entity ex:q{n} ; cg:epistemicStatus cg:Stated ; cg:wording "sentence {n}" .
ex:q{n} a cg:Quote ; cg:sentenceId "S{n}" ; prov:value "The sentence {n}." ; oa:hasSelector ex:sel{n} .
ex:sel{n} a oa:TextPositionSelector ; oa:start {n} ; oa:end {n + 5} .
""" for n in (30, 10, 20))


def term(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
X_IS_C = (term("x"), TYPE, term("C"))
X_IS_A = (term("x"), TYPE, term("A"))
Y_IS_C1 = (term("y"), TYPE, term("C1"))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DerivationIndex]:
    folder = tmp_path_factory.mktemp("bounds")
    (folder / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")
    (folder / "source.ttl").write_text(SOURCE, encoding="utf-8")
    loaded = inputs.load([
        inputs.InputFile(folder / "ontology.ttl", "turtle", str(iris.ONTOLOGY_GRAPH), "ontology"),
        inputs.InputFile(folder / "source.ttl", "turtle", str(iris.source_graph("bounds")), "source")])
    report = materialize(loaded.dataset)
    assert report.engine is not None
    write_derivations(folder / DERIVATIONS_FILE, report.engine, loaded.dataset)
    with DerivationIndex.open(folder) as opened:
        yield opened


def test_every_derivation_is_read_when_the_bound_allows(index: DerivationIndex) -> None:
    explanation = Explainer(index, Bounds(max_alternatives=20)).explain(X_IS_C)
    root = explanation.root
    assert [root.height] + [a.height for a in root.alternatives] == [1, 1, 2, 2]
    assert root.alternatives_omitted == 0 and not explanation.truncated
    assert explanation.to_json()["cut"] == {"steps": 0, "alternatives": 0, "evidence": 0}


def test_alternatives_beyond_the_bound_are_cut_shortest_first(index: DerivationIndex) -> None:
    explanation = Explainer(index, Bounds(max_alternatives=2)).explain(X_IS_C)
    root = explanation.root
    assert (root.derivation, root.height) == (0, 1)
    assert [a.height for a in root.alternatives] == [1]  # the two of height 2 were not read
    assert root.alternatives_omitted == 2 and explanation.truncated
    data = explanation.to_json()
    assert data["tree"]["alternatives_omitted"] == 2 and data["truncated"] is True
    assert data["cut"] == {"steps": 0, "alternatives": 2, "evidence": 0}
    assert data["limits"]["max_alternatives"] == 2


def test_a_derivation_beyond_the_bound_cannot_be_asked_for(index: DerivationIndex) -> None:
    from conflict_graph.errors import InputError

    with pytest.raises(InputError, match="derivation 3 does not exist; this triple has 4 .*only the first 2"):
        Explainer(index, Bounds(max_alternatives=2)).explain(X_IS_C, derivation=3)


def test_evidence_beyond_the_bound_is_cut_first_sentences_first(index: DerivationIndex) -> None:
    full = Explainer(index, Bounds(max_evidence=20)).explain(X_IS_A)
    assert [e.quote.start for e in full.root.evidence if e.quote] == [10, 20, 30]
    assert full.root.evidence_omitted == 0 and not full.truncated
    cut = Explainer(index, Bounds(max_evidence=2)).explain(X_IS_A)
    assert [e.quote.sentence_id for e in cut.root.evidence if e.quote] == ["S10", "S20"]
    assert cut.root.evidence_omitted == 1 and cut.truncated
    assert cut.to_json()["tree"]["evidence_omitted"] == 1
    assert cut.to_json()["cut"]["evidence"] == 1


def test_the_evidence_bound_applies_inside_a_tree(index: DerivationIndex) -> None:
    explanation = Explainer(index, Bounds(max_evidence=1)).explain(X_IS_C, derivation=0)
    stated = [s for s in explanation.steps() if s.triple == X_IS_A]
    assert stated and stated[0].evidence_omitted == 2
    assert explanation.to_json()["cut"]["evidence"] == 2


def test_a_premise_whose_read_derivations_all_loop_is_a_cycle_step(index: DerivationIndex) -> None:
    """y a C1 through y a C2 (derivation 1): the three shortest derivations of y a C2 all use
    y a C1 again, the fourth (from y a C0) does not."""
    y_is_c2 = (term("y"), TYPE, term("C2"))
    whole = Explainer(index, Bounds(max_alternatives=20)).explain(Y_IS_C1, derivation=1)
    (premise,) = [s for s in whole.root.premises if s.triple == y_is_c2]
    assert premise.status == "inferred"
    assert (term("y"), TYPE, term("C0")) in {p.triple for p in premise.premises}
    assert "cycle" not in {s.status for s in whole.steps()}
    bounded = Explainer(index, Bounds(max_alternatives=3)).explain(Y_IS_C1, derivation=1)
    (premise,) = [s for s in bounded.root.premises if s.triple == y_is_c2]
    assert premise.alternatives_omitted == 1
    assert [s.status for s in premise.premises if s.triple == Y_IS_C1] == ["cycle"]
    assert bounded.nodes < 10


@pytest.mark.parametrize("name", ["max_nodes", "max_depth", "max_alternatives", "max_evidence"])
def test_a_bound_below_one_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Bounds(**{name: 0})


def test_the_explainer_needs_nothing_but_the_derivation_store(index: DerivationIndex) -> None:
    """The fixture's folder holds no quads file and no query store, only derivations.sqlite."""
    explanation = Explainer(index).explain(X_IS_C)
    assert explanation.quotes and explanation.quotes[0].text == "The sentence 10."


def test_the_text_form_says_what_was_cut(index: DerivationIndex) -> None:
    from conflict_graph.reasoning.explain_text import explanation_text

    text = explanation_text(Explainer(index, Bounds(max_alternatives=2, max_evidence=1)).explain(X_IS_C))
    assert "(and 2 longer derivation(s), not read)" in text
    assert "2 derivation(s) and 2 piece(s) of evidence not read" in text


@pytest.fixture(scope="module")
def bounded_server(real_cache_dir: Path, real_build: object) -> Iterator[LiveServer]:
    """``serve`` on the article, reading one derivation and one piece of evidence per triple."""
    server = start_server(["--workers", "1", "--explain-max-alternatives", "1"], real_cache_dir,
                          env={"CONFLICT_GRAPH_EXPLAIN_MAX_EVIDENCE": "1"})
    yield server
    stop_server(server.process)


def test_a_server_applies_its_bounds_and_says_so(bounded_server: LiveServer) -> None:
    """The headquarters is an installation four ways (test_explain_article.py): one is read."""
    query = urlencode({"subject": "id:site/missile-battalion-606-hq", "predicate": "rdf:type",
                       "object": "cg:Installation"})
    data = bounded_server.get("/explain?" + query).json()
    assert isinstance(data, dict)
    assert data["tree"]["derivation"]["rule"]["id"] == "cax-sco" and data["tree"]["alternatives"] == []
    assert data["tree"]["alternatives_omitted"] == 3 and data["truncated"] is True
    assert data["limits"]["max_alternatives"] == 1 and data["limits"]["max_evidence"] == 1
    assert data["cut"]["alternatives"] == 3
    page = " ".join(bounded_server.get("/explain?" + query, headers={"Accept": "text/html"}).text.split())
    assert "…and 3 longer derivation(s), not read" in page
    assert "left out 0 step(s), 3 derivation(s), 0 piece(s) of evidence" in page
