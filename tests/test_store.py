"""The query side: catalogue, entailment regimes, virtual graphs and the protocol dataset."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conflict_graph import iris; from conflict_graph.query import store
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.errors import DataLoadError, InputError, QuerySyntaxError
from conflict_graph.query.sparql_dataset import DatasetClause, dataset_clause, declared_prefixes

PREFIXES = f"PREFIX cg: <{iris.CG}>\nPREFIX id: <{iris.ID}>\n"
ORGS = PREFIXES + "SELECT ?x WHERE { ?x a cg:Organization } ORDER BY ?x"
SOURCE = str(iris.source_graph("demo-article"))
BACKGROUND = str(iris.background_graph("gazetteer"))


@pytest.fixture(scope="module")
def opened(project_build: BuildResult) -> tuple[store.Catalogue, ox.Store]:
    return project_build.catalogue, store.open_store(project_build.artifact)


def _values(result: ox.QuerySolutions, name: str = "x") -> list[str]:
    return [solution[name].value for solution in result]


def _run(opened: tuple[store.Catalogue, ox.Store], text: str, **kwargs: object) -> list[str]:
    catalogue, oxstore = opened
    return _values(store.execute(oxstore, text, store.query_dataset(catalogue, **kwargs)))  # type: ignore[arg-type]


def test_catalogue_sets(opened) -> None:
    catalogue, _ = opened
    assert catalogue.asserted_iris() == (str(iris.ONTOLOGY_GRAPH), SOURCE, str(iris.source_graph("single")),
                                         BACKGROUND)
    assert catalogue.inferred_iri() == str(iris.INFERRED_GRAPH)
    assert catalogue.graph(SOURCE).kind == "source"
    assert catalogue.graph("urn:nothing") is None
    assert store.Catalogue.from_json(catalogue.to_json()) == catalogue


def test_entailment_changes_the_answer(opened) -> None:
    """tnla is an ArmedGroup; only the OWL 2 RL closure (cax-sco) makes it an Organization."""
    assert _run(opened, ORGS, entailment="simple") == [str(iris.ID["org-alliance"])]
    assert _run(opened, ORGS, entailment="owl-rl") == [str(iris.ID["org-alliance"]), str(iris.ID["org-tnla"])]
    assert _run(opened, ORGS) == _run(opened, ORGS, entailment="owl-rl")


def test_unknown_entailment(opened) -> None:
    with pytest.raises(InputError, match="entailment"):
        store.query_dataset(opened[0], "rdfs")


def test_shapes_are_not_in_the_default_graph(opened) -> None:
    ask = "ASK { ?s a <http://www.w3.org/ns/shacl#NodeShape> }"
    catalogue, oxstore = opened
    assert not bool(store.execute(oxstore, ask, store.query_dataset(catalogue)))
    named = f"ASK {{ GRAPH <{iris.SHAPES_GRAPH}> {{ ?s a <http://www.w3.org/ns/shacl#NodeShape> }} }}"
    assert bool(store.execute(oxstore, named, store.query_dataset(catalogue)))


def test_every_real_graph_is_available_by_name(opened) -> None:
    graphs = _run(opened, "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?s ?p ?o } } ORDER BY ?x")
    assert sorted(graphs) == sorted(opened[0].iris())


@pytest.mark.parametrize(("virtual", "expected"), [
    (iris.ASSERTED_GRAPH, ["org-alliance"]),
    (iris.ALL_GRAPH, ["org-alliance", "org-tnla"]),
])
def test_virtual_graphs_as_default_graph_uri(opened, virtual, expected) -> None:
    found = _run(opened, ORGS, default_graph_uris=[str(virtual)])
    assert found == [str(iris.ID[x]) for x in expected]


def test_virtual_graph_as_named_graph_uri_expands_to_its_members(opened) -> None:
    query = "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?s ?p ?o } }"
    found = _run(opened, query, named_graph_uris=[str(iris.ASSERTED_GRAPH)])
    assert sorted(found) == sorted(opened[0].asserted_iris())


def test_protocol_dataset_replaces_the_query_dataset(opened) -> None:
    """SPARQL 1.1 Protocol §2.1.4: protocol graphs override FROM; an omitted one is empty."""
    query = PREFIXES + f"SELECT ?x FROM <{BACKGROUND}> WHERE {{ ?x a cg:Organization }}"
    assert _run(opened, query) == []  # the query's own FROM: no organization in the gazetteer
    assert _run(opened, query, default_graph_uris=[SOURCE]) == [str(iris.ID["org-alliance"])]
    named = "SELECT ?x WHERE { GRAPH ?x { ?s ?p ?o } }"
    assert _run(opened, named, default_graph_uris=[SOURCE]) == []  # named-graph-uri omitted: none


def test_query_from_clauses_are_honoured_and_expanded(opened) -> None:
    """SPARQL 1.1 Query §13.2: FROM/FROM NAMED define the dataset; virtual graphs expand."""
    from_all = PREFIXES + f"SELECT ?x FROM <{iris.ALL_GRAPH}> WHERE {{ ?x a cg:Organization }} ORDER BY ?x"
    both = [str(iris.ID["org-alliance"]), str(iris.ID["org-tnla"])]
    assert _run(opened, from_all, entailment="simple") == both
    only_named = f"SELECT ?x FROM NAMED <{SOURCE}> WHERE {{ ?x ?p ?o }}"
    assert _run(opened, only_named) == []  # FROM NAMED without FROM: an empty default graph
    graphs = f"SELECT DISTINCT ?x FROM NAMED <{SOURCE}> WHERE {{ GRAPH ?x {{ ?s ?p ?o }} }}"
    assert _run(opened, graphs) == [SOURCE]


def test_a_dataset_clause_read_by_the_checker_is_used_as_given(opened) -> None:
    """The engine hands the worker the FROM clauses the checker read; the worker does not read
    the text again (a clause that disagrees with the text shows which one was used)."""
    catalogue, oxstore = opened
    query = PREFIXES + f"SELECT ?x FROM <{BACKGROUND}> WHERE {{ ?x a cg:Organization }}"
    dataset = store.query_dataset(catalogue)
    read_here = store.execute(oxstore, query, dataset)
    given = store.execute(oxstore, query, dataset, clause=DatasetClause((SOURCE,), ()))
    as_checked = store.execute(oxstore, query, dataset, clause=dataset_clause(query))
    assert _values(read_here) == [] == _values(as_checked)  # the gazetteer has no organization
    assert _values(given) == [str(iris.ID["org-alliance"])]


def test_syntax_error_keeps_line_and_column(opened) -> None:
    catalogue, oxstore = opened
    with pytest.raises(QuerySyntaxError, match=r"2:\d+"):
        store.execute(oxstore, "SELECT ?x\nWHERE { ?x ?p }", store.query_dataset(catalogue))


def test_updates_are_not_queries(opened) -> None:
    catalogue, oxstore = opened
    with pytest.raises(QuerySyntaxError):
        store.execute(oxstore, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", store.query_dataset(catalogue))


def test_bad_protocol_iri_is_an_input_error(opened) -> None:
    with pytest.raises(InputError, match="IRI"):
        store.query_dataset(opened[0], default_graph_uris=["not an iri"])


def test_open_store_errors(tmp_path: Path) -> None:
    with pytest.raises(DataLoadError, match="dataset.nq"):
        store.open_store(tmp_path)
    (tmp_path / "dataset.nq").write_text("<urn:a> <urn:b> .\n")
    with pytest.raises(DataLoadError, match="dataset.nq"):
        store.open_store(tmp_path)
    with pytest.raises(DataLoadError, match="meta.json"):
        store.read_catalogue(tmp_path)


def test_read_catalogue(project_build: BuildResult) -> None:
    assert store.read_catalogue(project_build.artifact) == project_build.catalogue


@pytest.mark.parametrize(("text", "default", "named"), [
    ("SELECT * WHERE { ?s ?p ?o }", None, None),
    ("PREFIX ex: <http://e/> SELECT * FROM ex:g FROM NAMED <http://e/h> { }", ("http://e/g",), ("http://e/h",)),
    ("BASE <http://e/> SELECT * FROM <g> { }", ("http://e/g",), ()),
    ("SELECT ?from WHERE { ?from <http://e/FROM> 'from' } # FROM <http://x/>", None, None),
    ('SELECT * WHERE { ?s ?p """FROM <http://x/>\n""" }', None, None),
    ("CONSTRUCT { ?s ?p ?o } FROM NAMED <http://e/a> WHERE { GRAPH ?g { ?s ?p ?o } }", (), ("http://e/a",)),
])
def test_dataset_clause(text: str, default, named) -> None:
    clause = dataset_clause(text)
    if default is None:
        assert clause is None
    else:
        assert (clause.default, clause.named) == (default, named)


def test_declared_prefixes() -> None:
    assert declared_prefixes("PREFIX a: <http://a/>\nprefix : <http://b/> SELECT * {}") == {
        "a": "http://a/", "": "http://b/"}
