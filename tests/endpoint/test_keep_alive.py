"""Persistent connections (RFC 9112 §9.3) and a worker pool sized to the machine."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlencode

from live_server import LiveServer


def test_one_connection_carries_many_queries(fixture_server: LiveServer) -> None:
    host, port = fixture_server.address
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        sockets = set()
        for number in range(5):
            body = urlencode({"query": f"SELECT ({number} AS ?n) {{}}"})
            connection.request("POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                         "Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            document = json.loads(response.read())
            assert response.status == 200
            assert response.getheader("Connection", "").lower() != "close"
            assert document["results"]["bindings"][0]["n"]["value"] == str(number)
            sockets.add(id(connection.sock))
        assert len(sockets) == 1 and connection.sock is not None  # never reconnected
    finally:
        connection.close()


def test_workers_default_to_the_cores(fixture_server: LiveServer) -> None:
    """The fixture server passes no --workers: it runs one query worker per CPU core it may use."""
    import os

    from conflict_graph.settings import resolve

    cores = len(os.sched_getaffinity(0))
    assert resolve({}, environ={})["workers"] == cores
    assert fixture_server.health()["workers"]["size"] == cores  # type: ignore[index]
