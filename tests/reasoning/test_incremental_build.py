"""``build`` after editing, adding or removing one source file updates the previous closure
(incremental) and gives what a cold build of the same inputs gives; an ontology edit rebuilds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic

from conflict_graph import iris
from conflict_graph.pipeline import build, inputs
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.reasoning import DERIVATIONS_FILE, STATE_FILE
from pipeline_support import ROOT

SOURCE = Path("data/ttl/source/irrawaddy-2024-op1027-phase2/facts.ttl")
NAMES = Path("data/ttl/background/names.ttl")
EDIT = """
<https://w3id.org/conflict-graph/id/org/tnla> <http://www.w3.org/ns/org#memberOf>
    <https://w3id.org/conflict-graph/id/org/northern-alliance-test> .
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data" / "ttl", root / "data" / "ttl")
    return root


def _build(root: Path, cache: Path, **options: object) -> BuildResult:
    return build.build(inputs.embedded_files(root), cache_dir=cache, validate=False, **options)  # type: ignore[arg-type]


def _graphs(artifact: Path) -> dict[str, Graph]:
    dataset = Dataset()
    dataset.parse(artifact / "dataset.nq", format="nquads")
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def _same_as_cold(result: BuildResult, root: Path, cold_cache: Path) -> None:
    cold = _build(root, cold_cache)
    assert cold.mode == "cold" and cold.catalogue.data_version == result.catalogue.data_version
    mine, theirs = _graphs(result.artifact), _graphs(cold.artifact)
    assert set(mine) == set(theirs)
    for name in mine:
        assert isomorphic(mine[name], theirs[name]), name
    ground = lambda g: {t for t in g if not any(isinstance(x, BNode) for x in t)}  # noqa: E731
    assert ground(mine[str(iris.INFERRED_GRAPH)]) == ground(theirs[str(iris.INFERRED_GRAPH)])


def test_editing_adding_and_removing_a_source_is_incremental(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _build(project, cache)
    assert first.mode == "cold" and (first.artifact / STATE_FILE).is_file()
    assert (first.artifact / DERIVATIONS_FILE).is_file()

    with open(project / SOURCE, "a", encoding="utf-8") as handle:
        handle.write(EDIT)
    edited = _build(project, cache)
    assert edited.mode == "incremental" and edited.artifact != first.artifact
    meta = json.loads((edited.artifact / "meta.json").read_text(encoding="utf-8"))
    assert meta["build"] == "incremental" and meta["reasoner"] == "native"
    assert {r["path"] for r in meta["files"]} == {str(f.path) for f in inputs.embedded_files(project)}
    _same_as_cold(edited, project, tmp_path / "cold-1")

    (project / NAMES).unlink()
    removed = _build(project, cache)
    assert removed.mode == "incremental"
    assert str(iris.background_graph("names")) not in {g.iri for g in removed.catalogue.graphs}
    _same_as_cold(removed, project, tmp_path / "cold-2")

    assert _build(project, cache).mode == "cached"


def test_an_ontology_edit_or_owlrl_is_a_cold_build(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(project, cache)
    with open(project / "ontology" / "conflict-graph.ttl", "a", encoding="utf-8") as handle:
        handle.write("\n<https://example.org/x> a <http://www.w3.org/2002/07/owl#Class> .\n")
    assert _build(project, cache).mode == "cold"
    assert _build(project, cache, reasoner="owlrl").mode == "cold"
