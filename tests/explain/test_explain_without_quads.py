"""``/explain`` and ``/consistency`` read only what the build stored for them (derivations.sqlite):
with the artifact's ``dataset.nq`` made unparseable after the build, a live server still explains
the article's inferred triples down to their sentences."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from expected import ALLIANCE_HAS_MEMBER_TNLA, TNLA_IS_AN_ETHNIC_ARMY, outline
from live_server import LiveServer, start_server, stop_server

from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query.store import DATASET_FILE

ID = "https://w3id.org/conflict-graph/id/"
NOT_QUADS = "this is not N-Quads <\n"


@pytest.fixture(scope="module")
def server(real_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    cache = tmp_path_factory.mktemp("no-quads")
    artifact = cache / real_build.artifact.name
    shutil.copytree(real_build.artifact, artifact)
    (artifact / DATASET_FILE).write_text(NOT_QUADS, encoding="utf-8")  # any parse of it now fails
    started = start_server(["--workers", "1"], cache)
    yield started
    stop_server(started.process)
    assert (artifact / DATASET_FILE).read_text(encoding="utf-8") == NOT_QUADS  # nothing rebuilt it


def _explain(server: LiveServer, s: str, p: str, o: str, accept: str = "application/json") -> object:
    reply = server.get("/explain?" + urlencode({"subject": s, "predicate": p, "object": o}),
                       headers={"Accept": accept})
    assert reply.status == 200, reply.text
    return reply


def test_an_inferred_triple_is_explained_down_to_its_sentence(server: LiveServer) -> None:
    data = _explain(server, f"<{ID}org/brotherhood-alliance>", "org:hasMember", f"<{ID}org/tnla>").json()  # type: ignore[attr-defined]
    assert outline(data["tree"]) == ALLIANCE_HAS_MEMBER_TNLA
    assert [(s["sentence_id"], s["start"], s["end"]) for s in data["sentences"]] == [("S02", 177, 487)]


def test_a_deeper_tree_reaches_both_sentences(server: LiveServer) -> None:
    data = _explain(server, "id:org/tnla", "rdf:type", "cg:EthnicArmedOrganization").json()  # type: ignore[attr-defined]
    assert outline(data["tree"]) == TNLA_IS_AN_ETHNIC_ARMY
    assert [s["sentence_id"] for s in data["sentences"]] == ["S01", "S02"]


def test_the_html_page_quotes_the_sentence(server: LiveServer) -> None:
    page = _explain(server, f"<{ID}org/brotherhood-alliance>", "org:hasMember", f"<{ID}org/tnla>",
                    "text/html").text  # type: ignore[attr-defined]
    assert "Ta’ang National Liberation Army (TNLA)</mark>" in page


def test_the_consistency_report_answers(server: LiveServer) -> None:
    reply = server.get("/consistency", headers={"Accept": "application/json"})
    assert reply.status == 200
    assert reply.json()["consistent"] is True  # type: ignore[index]
