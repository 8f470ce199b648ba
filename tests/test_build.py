"""The build cache: cold and warm builds, the cache key, the artifact, atomic publication."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conflict_graph.pipeline import build, inputs; from conflict_graph import iris; from conflict_graph.query import store
from conflict_graph.errors import DataLoadError, ReasoningError, ValidationFailed
from pipeline_support import PIPELINE, ROOT, project_files


def test_cold_then_warm(tmp_path: Path) -> None:
    files = project_files()
    cold = build.build(files, cache_dir=tmp_path)
    warm = build.build(files, cache_dir=tmp_path)
    assert not cold.cached and warm.cached
    assert warm.artifact == cold.artifact == tmp_path / cold.catalogue.data_version
    assert warm.catalogue == cold.catalogue
    assert warm.seconds < 1.0
    forced = build.build(files, cache_dir=tmp_path, force=True)
    assert not forced.cached and forced.catalogue.data_version == cold.catalogue.data_version


def test_artifact_contents(project_build: build.BuildResult) -> None:
    meta = json.loads((project_build.artifact / "meta.json").read_text())
    assert meta["data_version"] == project_build.artifact.name
    assert meta["ontology_version"] == "https://w3id.org/conflict-graph/ontology/9.9.9"
    kinds = {g["iri"]: g["kind"] for g in meta["graphs"]}
    assert kinds == {
        str(iris.ONTOLOGY_GRAPH): "ontology",
        str(iris.SHAPES_GRAPH): "shapes",
        str(iris.source_graph("demo-article")): "source",
        str(iris.source_graph("single")): "source",
        str(iris.background_graph("gazetteer")): "background",
        str(iris.INFERRED_GRAPH): "inferred",
        "https://w3id.org/conflict-graph/graph/derivations": "derivations",
    }
    assert set(meta["timings"]) >= {"load", "validate", "reason", "write", "total"}
    quads = list(ox.parse(path=str(project_build.artifact / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    counts = {g["iri"]: g["triples"] for g in meta["graphs"]}
    for iri, count in counts.items():
        assert sum(1 for q in quads if q.graph_name == ox.NamedNode(iri)) == count
    assert not any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)


def test_inferred_quads_are_not_asserted_anywhere(project_build: build.BuildResult) -> None:
    quads = list(ox.parse(path=str(project_build.artifact / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    inferred = {q.triple for q in quads if q.graph_name == ox.NamedNode(str(iris.INFERRED_GRAPH))}
    asserted = {q.triple for q in quads if q.graph_name != ox.NamedNode(str(iris.INFERRED_GRAPH))}
    assert inferred and not inferred & asserted
    transitive = ox.Triple(ox.NamedNode(str(iris.ID["place-lashio"])), ox.NamedNode(str(iris.CG.locatedIn)),
                           ox.NamedNode(str(iris.ID["place-myanmar"])))
    assert transitive in inferred  # prp-trp across a source and a background graph


def _copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PIPELINE / "project", root)
    return root


def test_changing_any_input_byte_changes_the_key(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    files = project_files(root)
    original = build.cache_key(files)
    assert build.cache_key(files) == original
    keys = {original}
    for item in files:
        data = item.path.read_bytes()
        item.path.write_bytes(data + b" ")
        keys.add(build.cache_key(project_files(root)))
        item.path.write_bytes(data)
    assert len(keys) == len(files) + 1
    assert build.cache_key(project_files(root)) == original


def test_changing_a_graph_assignment_changes_the_key(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    files = project_files(root)
    moved = [inputs.InputFile(f.path, f.format, str(iris.source_graph("elsewhere")), f.kind)
             if f.kind == "background" else f for f in files]
    assert build.cache_key(moved) != build.cache_key(files)


def test_key_depends_on_library_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    files = project_files()
    original = build.cache_key(files)
    monkeypatch.setattr(build, "_library_version", lambda name: "0" if name == "owlrl" else "x")
    assert build.cache_key(files) != original


def test_warm_start_parses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = project_files()
    build.build(files, cache_dir=tmp_path)

    def forbidden(*_: object, **__: object) -> None:
        raise AssertionError("a warm start must not parse RDF with rdflib")

    import rdflib

    monkeypatch.setattr(rdflib.Graph, "parse", forbidden)
    monkeypatch.setattr(rdflib.Dataset, "parse", forbidden)
    monkeypatch.setattr(inputs, "load", forbidden)
    monkeypatch.setattr(build.inputs, "load", forbidden)
    started = time.perf_counter()
    warm = build.build(files, cache_dir=tmp_path)
    store.open_store(warm.artifact)
    assert warm.cached and time.perf_counter() - started < 1.0


def test_warm_start_in_a_fresh_process_imports_neither_owlrl_nor_pyshacl(tmp_path: Path) -> None:
    files = project_files()
    build.build(files, cache_dir=tmp_path)
    script = (
        "import sys, time; from pathlib import Path\n"
        "from conflict_graph.pipeline import build, inputs; from conflict_graph.query import store\n"
        f"files = inputs.embedded_files(Path({str(PIPELINE / 'project')!r}))\n"
        "t = time.perf_counter()\n"
        f"result = build.build(files, cache_dir=Path({str(tmp_path)!r}))\n"
        "store.open_store(result.artifact)\n"
        "print(result.cached, time.perf_counter() - t, 'owlrl' in sys.modules, 'pyshacl' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    cached, seconds, owlrl, pyshacl = out.stdout.split()
    assert (cached, owlrl, pyshacl) == ("True", "False", "False")
    assert float(seconds) < 1.0


def test_unvalidated_artifact_is_not_reused_for_a_validated_build(tmp_path: Path) -> None:
    files = project_files()
    unchecked = build.build(files, cache_dir=tmp_path, validate=False)
    assert build.build(files, cache_dir=tmp_path, validate=False).cached
    checked = build.build(files, cache_dir=tmp_path)
    assert not checked.cached and checked.catalogue.data_version == unchecked.catalogue.data_version
    assert build.build(files, cache_dir=tmp_path, validate=False).cached


def test_validation_failure_raises_with_the_report(tmp_path: Path) -> None:
    nameless = tmp_path / "nameless.ttl"
    nameless.write_text(f"<{iris.ID['org-x']}> a <{iris.CG.Organization}> .\n")
    files = project_files() + [inputs.input_file(nameless)]
    with pytest.raises(ValidationFailed) as caught:
        build.build(files, cache_dir=tmp_path / "cache")
    assert "An organization needs a name." in caught.value.report
    assert not (tmp_path / "cache").exists()  # nothing is cached for data that does not validate


def test_inconsistency_raises_reasoning_error(tmp_path: Path) -> None:
    conflated = tmp_path / "conflated.ttl"
    lashio, organization, name = iris.ID["place-lashio"], iris.CG.Organization, iris.CG.name
    conflated.write_text(f"<{lashio}> a <{organization}> ; <{name}> \"L\" .\n")
    with pytest.raises(ReasoningError) as caught:
        build.build(project_files() + [inputs.input_file(conflated)], cache_dir=tmp_path)
    assert len(caught.value.errors) == 1 and "Disjoint classes" in caught.value.errors[0]


def test_missing_input_is_a_data_load_error(tmp_path: Path) -> None:
    with pytest.raises(DataLoadError, match="vanished.ttl"):
        build.build([inputs.InputFile(tmp_path / "vanished.ttl", "turtle", "urn:g")], cache_dir=tmp_path)


def test_no_temporary_folders_are_left_behind(tmp_path: Path) -> None:
    files = project_files()
    build.build(files, cache_dir=tmp_path)
    build.build(files, cache_dir=tmp_path, force=True)
    assert [p.name for p in tmp_path.iterdir()] == [build.cache_key(files)]


def test_concurrent_builds_leave_one_complete_artifact(tmp_path: Path) -> None:
    script = (
        "from pathlib import Path; from conflict_graph.pipeline import build, inputs\n"
        f"files = inputs.embedded_files(Path({str(PIPELINE / 'project')!r}))\n"
        f"print(build.build(files, cache_dir=Path({str(tmp_path)!r}), force=True).artifact)\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT) for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    key = build.cache_key(project_files())
    assert [p.name for p in tmp_path.iterdir()] == [key]
    catalogue = build.find_artifact(tmp_path, key)
    assert catalogue is not None
    assert len(store.open_store(tmp_path / key)) == sum(g.triples for g in catalogue.graphs)
