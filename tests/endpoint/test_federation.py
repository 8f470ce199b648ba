"""``SERVICE`` is refused by default, and works for an endpoint on the allowlist.

A second server allows exactly the fixture server's endpoint; a federated query to it is
answered, one to any other endpoint (or to a variable) is refused before anything is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import rdflib
from live_server import DATA, EX, LiveServer, start_server, stop_server

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def federating_server(fixture_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
                      ) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("federating")
    server = start_server(["--no-default-data", "--data", str(DATA / "ontology.ttl"),
                           "--service-allowlist", fixture_server.endpoint], folder / "cache")
    yield server
    stop_server(server.process)


def ask(server: LiveServer, query: str) -> tuple[int, str]:
    reply = server.get("/sparql?" + urlencode({"query": query}))
    return reply.status, reply.text


def test_allowlisted_service_is_called(federating_server: LiveServer, fixture_server: LiveServer) -> None:
    query = f"PREFIX ex: <{EX}> ASK {{ SERVICE <{fixture_server.endpoint}> {{ ex:tnla a ex:Actor }} }}"
    status, text = ask(federating_server, query)
    assert status == 200, text
    assert json.loads(text)["boolean"] is True


@pytest.mark.parametrize("target", ["<http://127.0.0.1:1/sparql>", "?endpoint", "<{endpoint}x>"])
def test_other_services_are_refused(federating_server: LiveServer, fixture_server: LiveServer,
                                    target: str) -> None:
    target = target.format(endpoint=fixture_server.endpoint)
    status, text = ask(federating_server, f"ASK {{ SERVICE {target} {{ ?s ?p ?o }} }}")
    assert status == 403, text
    assert "SERVICE" in text


def test_description_announces_federation(federating_server: LiveServer, fixture_server: LiveServer) -> None:
    def features(server: LiveServer) -> set[rdflib.term.Node]:
        graph = rdflib.Graph().parse(data=server.get("/sparql").body, format="turtle")
        return set(graph.objects(rdflib.URIRef(server.endpoint), SD.feature))

    assert SD.BasicFederatedQuery in features(federating_server)
    assert SD.BasicFederatedQuery not in features(fixture_server)
