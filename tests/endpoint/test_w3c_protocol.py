"""The W3C SPARQL 1.1 Protocol test suite, one test per manifest entry, against a live server.

The manifest (``shared/w3c/protocol/manifest.ttl``) encodes each test as HTTP requests (method,
path, headers, body) with the expected status class, result format and ASK answer. Its
``ut:graphData`` files are loaded under their ``rdfs:label`` graph names into a TriG file that a
dedicated server serves with ``--no-default-data``. No request sends ``Accept``, so the default
result formats are what is judged.

The endpoint is read-only: the update-side entries that expect an update to succeed are listed in
:data:`REFUSED_UPDATES` and must be refused with 403. The other update-side entries expect a 4xx
anyway (malformed update requests) and run as written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pyoxigraph as ox
import pytest
import rdflib
from live_server import SHARED, LiveServer, Reply, start_server, stop_server
from rdflib import RDFS, Namespace
from rdflib.collection import Collection

MANIFEST = SHARED / "w3c" / "protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

#: Update-side entries that expect the update to succeed: this read-only endpoint refuses them (403).
REFUSED_UPDATES = frozenset({
    "update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
    "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri",
})
#: Update-side entries that expect a 4xx (malformed update requests): they pass as written.
MALFORMED_UPDATES = frozenset({
    "bad_update_get", "bad_multiple_updates", "bad_update_wrong_media_type",
    "bad_update_missing_form_type", "bad_update_non_utf8", "bad_update_syntax",
    "bad_update_dataset_conflict",
})


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: tuple[int, ...]  # status classes: 2, 3, 4
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    requests: tuple[Request, ...]
    graph_data: tuple[tuple[str, Path], ...]


def _list(graph: rdflib.Graph, node: rdflib.term.Node | None) -> list[rdflib.term.Node]:
    return list(Collection(graph, node)) if node is not None else []


def _request(graph: rdflib.Graph, node: rdflib.term.Node) -> Request:
    headers = {str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
               for h in _list(graph, graph.value(node, HT.headers))}
    body = None
    content = graph.value(node, HT.body)
    if content is not None:
        encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(content, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = tuple(sorted(int(str(s).removeprefix(HTS)[0])
                            for s in graph.objects(response, MF.expectedStatus)))
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    path = str(graph.value(node, HT.absolutePath))
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path="/sparql" + path.removeprefix("/sparql/") if path.startswith("/sparql/") else path,
        headers=headers,
        body=body,
        statuses=statuses,
        format=None if expected_format is None else str(expected_format),
        boolean=None if expected_boolean is None else bool(expected_boolean.toPython()),
    )


def _file(uri: rdflib.term.Node | None) -> Path:
    return Path(url2pathname(urlsplit(str(uri)).path))


def read_manifest(path: Path) -> list[Entry]:
    """Every entry of the protocol manifest, in manifest order."""
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = []
    for node in _list(graph, graph.value(manifest, MF.entries)):
        action = graph.value(node, MF.action)
        requests = tuple(_request(graph, r) for r in _list(graph, graph.value(action, HT.requests)))
        data = tuple(sorted((str(graph.value(d, RDFS.label)), _file(graph.value(d, UT.graph)))
                            for d in graph.objects(node, UT.graphData)))
        entries.append(Entry(str(node).rsplit("#", 1)[-1], str(graph.value(node, MF.name)), requests, data))
    return entries


ENTRIES = read_manifest(MANIFEST) if MANIFEST.is_file() else []


def test_the_manifest_is_present_and_complete() -> None:
    """Without the W3C manifest the parametrized cases below would silently be zero."""
    assert MANIFEST.is_file(), f"W3C protocol manifest not found at {MANIFEST}"
    assert len(ENTRIES) == 34


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server holding every ``ut:graphData`` file of the manifest under its label."""
    graphs: dict[str, Path] = {}
    for entry in ENTRIES:
        for label, source in entry.graph_data:
            assert graphs.setdefault(label, source) == source, f"{label} names two files"
    folder = tmp_path_factory.mktemp("w3c-protocol")
    trig = folder / "graph-data.trig"
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(label))
             for label, source in sorted(graphs.items())
             for t in ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES)]
    ox.serialize(quads, str(trig), ox.RdfFormat.TRIG)
    server = start_server(["--no-default-data", "--data", str(trig)], folder / "cache")
    yield server
    stop_server(server.process)


def check_format(reply: Reply, expected: str, boolean: bool | None) -> None:
    """The body is of the expected kind (``boolean``, ``tabular`` or ``RDF``) and parses."""
    kind = reply.content_type
    if expected in ("boolean", "tabular"):
        parsers = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "text/tab-separated-values": ox.QueryResultsFormat.TSV}
        allowed = set(parsers) if expected == "boolean" else set(parsers) | {"text/csv"}
        assert kind in allowed, f"{kind} is not a {expected} results format"
        if kind == "text/csv":
            return
        parsed = ox.parse_query_results(reply.body, parsers[kind])
        if expected == "boolean":
            assert isinstance(parsed, ox.QueryBoolean)
            if boolean is not None:
                assert bool(parsed) is boolean
        else:
            assert isinstance(parsed, ox.QuerySolutions)
            list(parsed)
        return
    assert expected == "RDF"
    rdf = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}
    assert kind in rdf, f"{kind} is not RDF/XML, Turtle or N-Triples"
    rdflib.Graph().parse(data=reply.body, format=rdf[kind])


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_protocol(w3c_server: LiveServer, entry: Entry) -> None:
    if entry.name in REFUSED_UPDATES:
        first = entry.requests[0]
        reply = w3c_server.request(first.method, first.path, first.body, first.headers)
        assert reply.status == 403, f"{entry.title}: expected the update to be refused, got {reply.status}"
        assert "read-only" in reply.text
        return
    for request in entry.requests:
        reply = w3c_server.request(request.method, request.path, request.body, request.headers)
        assert reply.status // 100 in request.statuses, (
            f"{entry.title}: {request.method} {request.path} → {reply.status} {reply.text[:300]}")
        if request.format is not None:
            check_format(reply, request.format, request.boolean)
        elif request.boolean is not None:
            assert json.loads(reply.body)["boolean"] is request.boolean


def test_manifest_is_fully_classified() -> None:
    """Every entry is a query-side case, a refused update or a malformed update; none is skipped."""
    names = {e.name for e in ENTRIES}
    assert REFUSED_UPDATES <= names and MALFORMED_UPDATES <= names
    query_side = names - REFUSED_UPDATES - MALFORMED_UPDATES
    assert all(n.startswith(("query_", "bad_query", "bad_multiple_queries")) for n in query_side)
    assert len(ENTRIES) == 34 and len(query_side) == 20
