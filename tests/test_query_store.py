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
