"""No query makes the server connect to an endpoint that is not on its allowlist.

Two tiny TCP listeners on free loopback ports record every connection they get: one is on the
server's ``--service-allowlist``, the other is not. Each smuggling variant below aims a
``SERVICE`` clause at the forbidden listener, dressed so that a tokenizer could misread it (an IRI
holding ``#`` or ``'`` where ``<`` could also be less-than, comments, lower case, ``SILENT``,
subqueries, ``EXISTS``), sent by ``GET``, form ``POST`` and direct ``POST``. Each must be refused
and the forbidden listener must never see a connection. The same queries aimed at the allowed
listener do connect; as that listener does not speak SPARQL, the client gets 502 naming it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from live_server import DATA, LiveServer, Reply, start_server, stop_server

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


class Listener:
    """A TCP listener on a free loopback port that counts connections (and answers ``reply``)."""

    def __init__(self, reply: bytes = b"") -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.reply = reply
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            with connection:
                connection.settimeout(2)
                try:
                    connection.recv(65536)
                    if self.reply:
                        connection.sendall(self.reply)
                except OSError:
                    pass

    def close(self) -> None:
        self.socket.close()


HTML = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
        b"<html></html>")


@pytest.fixture(scope="module")
def listeners() -> Iterator[tuple[Listener, Listener]]:
    allowed, forbidden = Listener(HTML), Listener(HTML)
    yield allowed, forbidden
    allowed.close()
    forbidden.close()


@pytest.fixture(scope="module")
def guarded_server(listeners: tuple[Listener, Listener], tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("smuggling")
    allowed, _ = listeners
    server = start_server(["--no-default-data", "--data", str(DATA / "ontology.ttl"),
                           "--service-allowlist", allowed.url], folder / "cache")
    yield server
    stop_server(server.process)


#: Each variant has a ``{target}`` for the SERVICE endpoint.
VARIANTS = {
    "values-row-hash": "SELECT * WHERE { VALUES (?a ?b) { (1 <http://x/#>) } "
                       "SERVICE <{target}> { ?s ?p ?o } }",
    "values-row-quote": "SELECT * WHERE { VALUES (?a ?b) { (1 <http://x/'>) } "
                        "SERVICE <{target}> { ?s ?p ?o } } # '",
    "construct-collection": "CONSTRUCT { (1 <http://x/#>) <http://x/p> <http://x/o> } WHERE { "
                            "SERVICE <{target}> { ?s ?p ?o } }",
    "path-hash": "SELECT * WHERE { ?x (<http://x/p>|<http://x/q#>) ?y SERVICE <{target}> { ?s ?p ?o } }",
    "comments": "SELECT * WHERE { # a comment with SERVICE <http://elsewhere/> in it\n"
                "SERVICE # and one between the keyword and its target\n<{target}> { ?s ?p ?o } }",
    "lower-case": "select * where { service <{target}> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{target}> { ?s ?p ?o } }",
    "subquery": "SELECT * WHERE { { SELECT * WHERE { VALUES (?a ?b) { (1 <http://x/#>) } "
                "SERVICE <{target}> { ?s ?p ?o } } } }",
    "exists": "ASK { FILTER EXISTS { VALUES (?a ?b) { (1 <http://x/#>) } SERVICE <{target}> { ?s ?p ?o } } }",
    "prefixed": "PREFIX t: <{target_folder}> SELECT * WHERE { VALUES (?a) { (<http://x/#>) } "
                "SERVICE t:sparql { ?s ?p ?o } }",
}
METHODS = ("GET", "form", "direct")


def send(server: LiveServer, query: str, method: str) -> Reply:
    if method == "GET":
        return server.get("/sparql?" + urlencode({"query": query}))
    if method == "form":
        return server.request("POST", "/sparql", urlencode({"query": query}), FORM)
    return server.request("POST", "/sparql", query, DIRECT)


def aim(variant: str, url: str) -> str:
    return VARIANTS[variant].replace("{target}", url).replace("{target_folder}", url.rsplit("/", 1)[0] + "/")


def settle(listener: Listener, before: int) -> int:
    """New connections the listener got (the handshake completes before the server answers)."""
    time.sleep(0.2)
    return listener.connections - before


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_smuggled_service_never_connects(guarded_server: LiveServer, listeners: tuple[Listener, Listener],
                                           variant: str, method: str) -> None:
    _, forbidden = listeners
    before = forbidden.connections
    reply = send(guarded_server, aim(variant, forbidden.url), method)
    assert settle(forbidden, before) == 0, f"{variant} reached {forbidden.url}: {reply.status} {reply.text}"
    assert reply.status == 403, reply.text
    assert "SERVICE" in reply.text


@pytest.mark.parametrize("variant", ["values-row-hash", "construct-collection", "lower-case", "subquery"])
def test_the_allowlisted_service_is_called_and_its_failure_is_a_502(
        guarded_server: LiveServer, listeners: tuple[Listener, Listener], variant: str) -> None:
    allowed, _ = listeners
    before = allowed.connections
    reply = send(guarded_server, aim(variant, allowed.url), "GET")
    assert settle(allowed, before) >= 1, reply.text
    assert reply.status == 502, reply.text  # the listener answers HTML, not SPARQL results
    assert f"<{allowed.url}>" in reply.text


def test_silent_service_failure_is_an_empty_answer(guarded_server: LiveServer,
                                                   listeners: tuple[Listener, Listener]) -> None:
    allowed, _ = listeners
    reply = send(guarded_server, f"ASK {{ SERVICE SILENT <{allowed.url}> {{ ?s ?p ?o }} }}", "GET")
    assert reply.status == 200, reply.text


def test_an_allowed_service_with_nothing_listening_is_a_502(tmp_path_factory: pytest.TempPathFactory) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{closed.getsockname()[1]}/sparql"
    closed.close()  # nothing listens there any more
    folder = tmp_path_factory.mktemp("closed-service")
    server = start_server(["--no-default-data", "--data", str(DATA / "ontology.ttl"),
                           "--service-allowlist", url], folder / "cache")
    try:
        reply = send(server, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "GET")
        assert reply.status == 502, reply.text
        assert f"<{url}>" in reply.text and reply.text.startswith("502 Bad Gateway: ")
    finally:
        stop_server(server.process)


def test_a_query_the_two_readings_disagree_on_is_refused(guarded_server: LiveServer,
                                                         listeners: tuple[Listener, Listener]) -> None:
    """Letters ``service`` that neither reading takes for the keyword (here glued to a name) make
    the SERVICE check refuse the query, even when it aims at the allowed endpoint."""
    allowed, _ = listeners
    for query in (f"SELECT * WHERE {{ xSERVICE <{allowed.url}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ \u017fERVICE <{allowed.url}> {{ ?s ?p ?o }} }}"):  # long s
        before = allowed.connections
        reply = send(guarded_server, query, "GET")
        assert reply.status == 403, reply.text
        assert "could not be checked" in reply.text
        assert settle(allowed, before) == 0


def test_a_unicode_escape_elsewhere_does_not_hide_or_block_a_service_clause(
        guarded_server: LiveServer, listeners: tuple[Listener, Listener]) -> None:
    """pyoxigraph reads ``\\u`` escapes inside strings and IRIs only, and so does the check: the
    clause is seen, and as its target is allowed it is called (502: the listener is no SPARQL
    endpoint); aimed at the forbidden listener it is refused."""
    allowed, forbidden = listeners
    for listener, status in ((allowed, 502), (forbidden, 403)):
        query = f'SELECT * WHERE {{ BIND("\\u0041" AS ?a) SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'
        before = listener.connections
        reply = send(guarded_server, query, "GET")
        assert reply.status == status, reply.text
        assert settle(listener, before) == (1 if listener is allowed else 0)
