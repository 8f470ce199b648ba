"""A planted inconsistency (a place both a town and a township, from two sentences of a test
source) reported with its derivation down to the sentences: by ``validate``, by a failing
``build``, and at ``/consistency`` of a server started with ``--allow-inconsistent``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import LiveServer, start_server, stop_server

from conflict_graph.pipeline import inputs
from conflict_graph.pipeline.check import check_files
from expected import outline
from pipeline_support import run_cli

PLANTED = Path(__file__).resolve().parents[1] / "data" / "explain" / "town-and-township.ttl"
GRAPH = PLANTED.resolve().as_uri()
EX = "https://example.org/planted/"
CG = "https://w3id.org/conflict-graph/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
ONTOLOGY = "https://w3id.org/conflict-graph/graph/ontology"
STATED = CG + "Stated"
#: The engine's message names the place and both disjoint classes (in either order; its wording is
#: the engine's, see tests/reasoning).
NAMED_IN_MESSAGE = (f"<{EX}springfield>", f"<{CG}Settlement>", f"<{CG}AdministrativeUnit>")


def _names_the_clash(message: str) -> bool:
    return all(term in message for term in NAMED_IN_MESSAGE)
#: The premises of cax-dw, each down to its sentence (outline of tests/explain/expected.py).
PREMISES = [
    ((f"<{CG}Settlement>", "<http://www.w3.org/2002/07/owl#disjointWith>", f"<{CG}AdministrativeUnit>"),
     "asserted", (ONTOLOGY,), ()),
    ((f"<{EX}springfield>", TYPE, f"<{CG}Settlement>"), "cax-sco", (
        ((f"<{CG}Town>", SUBCLASS, f"<{CG}Settlement>"), "asserted", (ONTOLOGY,), ()),
        ((f"<{EX}springfield>", TYPE, f"<{CG}Town>"), "asserted", (GRAPH,),
         (("T1", STATED, "Springfield is a town", 0, 21, 0, 35),)))),
    ((f"<{EX}springfield>", TYPE, f"<{CG}AdministrativeUnit>"), "cax-sco", (
        ((f"<{CG}Township>", SUBCLASS, f"<{CG}AdministrativeUnit>"), "asserted", (ONTOLOGY,), ()),
        ((f"<{EX}springfield>", TYPE, f"<{CG}Township>"), "asserted", (GRAPH,),
         (("T2", STATED, "Springfield is a township", 37, 62, 37, 76),)))),
]


def _files() -> list[inputs.InputFile]:
    return inputs.collect(extra_paths=[PLANTED])


def test_the_report_explains_the_inconsistency_down_to_both_sentences() -> None:
    report = check_files(_files())
    assert not report.consistent
    data = report.to_json()
    assert data["summary"] == ("Conforms: the data satisfies every SHACL shape.\n"
                               "OWL 2 RL: inconsistent (1 inconsistency(ies)).")
    assert data["sentences"] == ["T1", "T2"]
    [item] = data["inconsistencies"]
    assert item["rule"]["id"] == "cax-dw" and _names_the_clash(item["message"])
    assert sorted(outline(premise["tree"]) for premise in item["premises"]) == sorted(PREMISES)
    assert data["shacl"] == []


def test_validate_prints_it_and_exits_1(tmp_path: Path) -> None:
    result = run_cli(["--data", str(PLANTED), "validate"], tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Conforms: the data satisfies every SHACL shape.",
                         "OWL 2 RL: inconsistent (1 inconsistency(ies))."]
    assert lines[2].startswith("1. [OWL 2 RL cax-dw] ") and _names_the_clash(lines[2])
    assert "           sentence: “Springfield is a town on the river.” [characters 0–35]" in lines
    assert "           sentence: “Springfield is a township of the plain.” [characters 37–76]" in lines


def test_a_build_still_fails_and_names_the_sentences(tmp_path: Path) -> None:
    result = run_cli(["--data", str(PLANTED), "build"], tmp_path)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("conflict-graph: error: the OWL 2 RL closure found 1 problem(s): ")
    assert last.endswith("(cax-dw); sentences involved: T1, T2")
    assert "           wording: “Springfield is a township” [characters 37–62]" in result.stderr


@pytest.fixture(scope="module")
def inconsistent_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(["--data", str(PLANTED), "--allow-inconsistent", "--workers", "1"],
                          tmp_path_factory.mktemp("inconsistent-cache"))
    yield server
    stop_server(server.process)


def test_consistency_page_of_a_server_serving_inconsistent_data(inconsistent_server: LiveServer) -> None:
    reply = inconsistent_server.get("/consistency")
    assert reply.status == 200
    data = reply.json()
    assert isinstance(data, dict)
    assert (data["consistent"], data["sentences"]) == (False, ["T1", "T2"])
    [item] = data["inconsistencies"]
    assert sorted(outline(premise["tree"]) for premise in item["premises"]) == sorted(PREMISES)
    page = inconsistent_server.get("/consistency", headers={"Accept": "text/html"}).text
    assert "OWL 2 RL: <a class=\"cg-rule\" href=\"https://www.w3.org/TR/owl2-profiles/" in page
    assert "<mark>Springfield is a town</mark> on the river." in page
    assert "<mark>Springfield is a township</mark> of the plain." in page
