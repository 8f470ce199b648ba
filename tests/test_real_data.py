"""The project's own ontology and data build: they validate, are consistent, and load for queries.

These tests use the real files in ontology/ and data/ttl/ (built once per session).
"""

from __future__ import annotations

import pytest

from conflict_graph import iris; from conflict_graph.query import store
from conflict_graph.pipeline.build import BuildResult
from pipeline_support import run_cli


def test_real_data_builds(real_build: BuildResult) -> None:
    catalogue = real_build.catalogue
    kinds = {g.kind for g in catalogue.graphs}
    assert {"ontology", "shapes", "source", "inferred"} <= kinds
    assert catalogue.graph(str(iris.ONTOLOGY_GRAPH)).triples > 0
    assert catalogue.graph(str(iris.INFERRED_GRAPH)).triples > 0
    assert catalogue.ontology_version and catalogue.ontology_version.startswith(iris.BASE)


def test_real_data_inference_adds_answers(real_build: BuildResult) -> None:
    opened = store.open_store(real_build.artifact)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"
    simple, owl_rl = (int(next(iter(store.execute(opened, count, store.query_dataset(
        real_build.catalogue, entailment))))["n"].value) for entailment in store.ENTAILMENTS)
    assert owl_rl > simple


@pytest.mark.parametrize("command", [["stats"], ["query", "ASK { ?s ?p ?o }"]])
def test_cli_on_real_data_reuses_the_build(real_build: BuildResult, command: list[str]) -> None:
    cache = real_build.artifact.parent
    result = run_cli(["--cache-dir", str(cache), *command], cache)
    assert result.returncode == 0, result.stderr
