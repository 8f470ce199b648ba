"""The on-disk query store of a build: written once, opened read-only, one graph per entailment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conflict_graph import iris
from conflict_graph.errors import DataLoadError
from conflict_graph.pipeline import build
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query import store
from pipeline_support import PIPELINE, ROOT, project_files

DISTINCT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def count(opened: ox.Store, query: str, graphs: list[str]) -> int:
    rows = list(opened.query(query, named_graphs=[ox.NamedNode(g) for g in graphs]))  # type: ignore[union-attr]
    return int(rows[0]["n"].value)


def test_artifact_holds_a_store_opened_read_only(project_build: BuildResult) -> None:
    assert (project_build.artifact / store.STORE_DIR).is_dir()
    catalogue, opened = store.open_query_store(project_build.artifact)
    assert catalogue == store.read_catalogue(project_build.artifact)
    quad = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.NamedNode("urn:z"))
    with pytest.raises(RuntimeError, match="read-write"):
        opened.add(quad)
    graphs = {g.value for g in opened.named_graphs()}  # type: ignore[union-attr]
    assert not catalogue.asserted_union_stored  # the project's files share no triple: no copy of them
    assert graphs == set(catalogue.iris())  # …/graph/all is the default graph


def test_union_graphs_are_the_sets_of_their_members(project_build: BuildResult) -> None:
    catalogue, opened = store.open_query_store(project_build.artifact)
    asserted = list(catalogue.asserted_iris())
    inferred = catalogue.inferred_iri()
    assert inferred is not None
    listed = sum(len(list(opened.quads_for_pattern(None, None, None, ox.NamedNode(g)))) for g in asserted)
    everything = len(list(opened.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    assert listed == count(opened, DISTINCT, asserted)  # the list of asserted graphs is a set
    assert everything == count(opened, DISTINCT, asserted + [inferred])
    assert everything > listed > 0


def test_a_triple_in_two_asserted_graphs_is_one_triple_of_the_default_graph(tmp_path: Path) -> None:
    from conflict_graph.pipeline import inputs

    shared = "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n"
    for name in ("one", "two"):
        (tmp_path / f"{name}.nt").write_text(shared, encoding="utf-8")
    files = inputs.collect(include_embedded=False, extra_paths=[tmp_path / "one.nt", tmp_path / "two.nt"])
    built = build.build(files, cache_dir=tmp_path / "cache", validate=False)
    catalogue, opened = store.open_query_store(built.artifact)
    assert catalogue.asserted_union_stored  # the files share a triple: their set union is stored
    assert store.query_dataset(catalogue, "simple", unions=True).default_graph == [ox.NamedNode(store.UNION_GRAPH)]
    union = list(opened.quads_for_pattern(None, None, None, ox.NamedNode(store.UNION_GRAPH)))
    assert len(union) == count(opened, DISTINCT, list(catalogue.asserted_iris()))
    query = "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/a> ?p ?o }"
    for entailment in store.ENTAILMENTS:
        result = store.execute(opened, query, store.query_dataset(catalogue, entailment, unions=True))
        assert int(next(iter(result))["n"].value) == 1  # type: ignore[arg-type]
    two = store.execute(
        opened,
        "SELECT ?g WHERE { GRAPH ?g { <http://example.org/a> ?p ?o } }",
        store.query_dataset(catalogue, unions=True),
    )
    assert sorted(row["g"].value for row in two) == sorted(  # type: ignore[union-attr]
        (tmp_path / f"{name}.nt").as_uri() for name in ("one", "two")
    )


def test_default_graph_of_each_entailment_is_one_stored_graph_or_disjoint_graphs(
        project_build: BuildResult) -> None:
    catalogue = project_build.catalogue
    owl = store.query_dataset(catalogue, "owl-rl", unions=True)
    simple = store.query_dataset(catalogue, "simple", unions=True)
    assert owl.default_graph == [ox.DefaultGraph()]  # the store's default graph holds …/graph/all
    assert simple.default_graph == [ox.NamedNode(g) for g in catalogue.asserted_iris()]  # they share no triple
    in_from = store.query_dataset(catalogue, default_graph_uris=[str(iris.ASSERTED_GRAPH)], unions=True)
    assert in_from.default_graph == simple.default_graph
    ontology_and_all = store.query_dataset(
        catalogue, default_graph_uris=[str(iris.ONTOLOGY_GRAPH), str(iris.ALL_GRAPH)], unions=True
    )
    assert ontology_and_all.default_graph == [ox.DefaultGraph()]
    assert set(store.UNION_GRAPHS).isdisjoint(g.value for g in owl.named_graphs or ())


def test_an_artifact_without_a_store_is_a_clear_error(tmp_path: Path, project_build: BuildResult) -> None:
    (tmp_path / store.META_FILE).write_bytes((project_build.artifact / store.META_FILE).read_bytes())
    with pytest.raises(DataLoadError, match="no query store"):
        store.open_query_store(tmp_path)


def test_cold_build_for_a_server_runs_in_a_child_process(tmp_path: Path) -> None:
    """The serving process never imports the build's libraries, so it keeps none of its memory."""
    script = (
        "import sys; from pathlib import Path\n"
        "from conflict_graph.pipeline import inputs\n"
        "from conflict_graph.pipeline.isolated_build import build_isolated\n"
        f"files = inputs.embedded_files(Path({str(PIPELINE / 'project')!r}))\n"
        f"result = build_isolated(files, cache_dir=Path({str(tmp_path)!r}))\n"
        "print(result.cached, (result.artifact / 'store').is_dir(), 'owlrl' in sys.modules, "
        "'pyshacl' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, timeout=300
    )
    assert out.stdout.split() == ["False", "True", "False", "False"]
    assert build.find_artifact(tmp_path, build.cache_key(project_files())) is not None


def test_statistics_are_counted_at_build_time(project_build: BuildResult) -> None:
    from conflict_graph.query.jobs import StatsJob, graph_statistics

    catalogue, opened = store.open_query_store(project_build.artifact)
    groups = store.statistics_groups(catalogue)
    assert store.read_statistics(project_build.artifact) == graph_statistics(opened, StatsJob(groups))
    assert set(groups) == set(catalogue.iris()) | set(store.UNION_GRAPHS) | {
        "default:simple",
        "default:owl-rl",
    }


EXAMPLE = "http://example.org/"
ONE_FILE = f"""@prefix ex: <{EXAMPLE}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:e1 a ex:Clash ; ex:participant ex:org1, ex:org2 ; ex:date "2024-07-01"^^xsd:date .
ex:e2 a ex:Clash ; ex:participant ex:org1 ; ex:date "2024-07-09"^^xsd:date .
ex:e3 a ex:Capture ; ex:participant ex:org2 ; ex:place ex:p1 .
ex:p1 ex:locatedIn ex:p2 . ex:p2 ex:locatedIn ex:p3 .
"""
SECOND_FILE = f"""@prefix ex: <{EXAMPLE}> .
ex:e4 a ex:Capture ; ex:participant ex:org3 ; ex:place ex:p3 .
"""
ALL, ASSERTED = str(iris.ALL_GRAPH), str(iris.ASSERTED_GRAPH)
#: (query, default-graph-uri, named-graph-uri): the default graph, GRAPH ?g, FROM and the protocol's
#: graphs, with the virtual graphs named wherever a client can name them.
LAYOUT_QUERIES: tuple[tuple[str, list[str] | None, list[str] | None], ...] = (
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", None, None),
    (f"SELECT ?org (COUNT(?e) AS ?n) WHERE {{ ?e <{EXAMPLE}participant> ?org }} GROUP BY ?org", None, None),
    (f"SELECT ?e ?org WHERE {{ ?e a <{EXAMPLE}Clash> ; <{EXAMPLE}participant> ?org }}", None, None),
    (f"SELECT ?a WHERE {{ <{EXAMPLE}p1> <{EXAMPLE}locatedIn>+ ?a }}", None, None),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", None, None),
    (f"SELECT ?s ?p ?o FROM <{ALL}> WHERE {{ ?s ?p ?o }}", None, None),
    (f"SELECT ?s ?p ?o FROM <{ASSERTED}> WHERE {{ ?s ?p ?o }}", None, None),
    (f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s a ?c }} }}", [], [ALL]),
    (f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{ALL}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
     None, None),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", [ALL], None),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", [ASSERTED], None),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", [ALL, ASSERTED], [ALL]),
    ("ASK { ?s ?p ?o }", [str(iris.INFERRED_GRAPH)], None),
)


def _build(tmp_path: Path, texts: list[str]) -> BuildResult:
    from conflict_graph.pipeline import inputs

    paths = []
    for number, text in enumerate(texts):
        paths.append(tmp_path / f"file{number}.ttl")
        paths[-1].write_text(text, encoding="utf-8")
    files = inputs.collect(include_embedded=False, extra_paths=paths)
    return build.build(files, cache_dir=tmp_path / "cache", validate=False)


def _answer(opened: ox.Store, text: str, dataset: store.QueryDataset) -> list[tuple[str, ...]] | bool:
    result = store.execute(opened, text, dataset)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return sorted(tuple(str(term) for term in row) for row in result)  # type: ignore[union-attr]


def test_one_graph_holding_the_whole_default_graph_is_not_copied(tmp_path: Path) -> None:
    built = _build(tmp_path, [ONE_FILE])
    catalogue, opened = store.open_query_store(built.artifact)
    (data,) = catalogue.asserted_iris()
    assert catalogue.inferred_iri() is not None and catalogue.graph(catalogue.inferred_iri()).triples == 0
    assert catalogue.all_union_graph == data
    assert store.read_catalogue(built.artifact).all_union_graph == data  # kept in meta.json
    assert not list(opened.quads_for_pattern(None, None, None, ox.DefaultGraph()))  # no copy
    assert len(list(opened)) == catalogue.graph(data).triples == 12
    for entailment in store.ENTAILMENTS:
        assert store.query_dataset(catalogue, entailment, unions=True).default_graph == [ox.NamedNode(data)]
    statistics = store.read_statistics(built.artifact)
    assert statistics is not None
    assert statistics["default:owl-rl"] == statistics["default:simple"] == statistics[data]
    assert statistics[data]["triples"] == 12 and statistics[data]["classes"] == 2


def test_two_graphs_holding_the_default_graph_are_copied_into_it(tmp_path: Path) -> None:
    built = _build(tmp_path, [ONE_FILE, SECOND_FILE])
    catalogue, opened = store.open_query_store(built.artifact)
    assert catalogue.all_union_graph == store.ALL_UNION_GRAPH
    assert len(list(opened.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 15
    assert store.query_dataset(catalogue, "owl-rl", unions=True).default_graph == [ox.DefaultGraph()]


@pytest.mark.parametrize("files", [[ONE_FILE], [ONE_FILE, SECOND_FILE]], ids=["one graph", "two graphs"])
def test_the_stored_layout_answers_as_the_graphs_themselves(tmp_path: Path, files: list[str]) -> None:
    """Every query answers the same over the query store (its unions, or the one graph standing
    for them) as over the dataset's own graphs loaded in memory, named one by one."""
    from conflict_graph.query.jobs import StatsJob, graph_statistics

    built = _build(tmp_path, files)
    catalogue, opened = store.open_query_store(built.artifact)
    reference = store.open_store(built.artifact)
    assert not list(reference.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    for text, default_uris, named_uris in LAYOUT_QUERIES:
        for entailment in store.ENTAILMENTS:
            stored = store.query_dataset(catalogue, entailment, default_uris, named_uris, unions=True)
            listed = store.query_dataset(catalogue, entailment, default_uris, named_uris)
            expected = _answer(reference, text, listed)
            assert expected or text.startswith("ASK"), text  # every SELECT has rows to compare
            assert _answer(opened, text, stored) == expected, (text, entailment, default_uris, named_uris)
    members = {**{iri: (iri,) for iri in catalogue.iris()}, **catalogue.virtual_graphs(),
               "default:simple": store.default_graph_iris(catalogue, "simple"),
               "default:owl-rl": store.default_graph_iris(catalogue, "owl-rl")}
    assert store.read_statistics(built.artifact) == graph_statistics(reference, StatsJob(members))


def test_catalogue_counts_that_do_not_match_the_file_are_a_clear_error(tmp_path: Path) -> None:
    """The layout is chosen from the catalogue's counts: counts that hide a graph's triples would
    leave them out of the default graph, so the store is refused instead."""
    from dataclasses import replace

    built = _build(tmp_path, [ONE_FILE, SECOND_FILE])
    catalogue = store.read_catalogue(built.artifact)
    first = catalogue.asserted_iris()[0]
    wrong = replace(catalogue, graphs=tuple(replace(g, triples=0) if g.iri == first else g
                                            for g in catalogue.graphs))
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / store.DATASET_FILE).write_bytes((built.artifact / store.DATASET_FILE).read_bytes())
    with pytest.raises(DataLoadError, match="triple counts do not match"):
        store.write_query_store(copy, wrong)
