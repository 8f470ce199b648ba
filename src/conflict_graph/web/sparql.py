"""The SPARQL 1.1 Protocol at ``/sparql``, the service description, and ``/health``.

https://www.w3.org/TR/sparql11-protocol/ — a query arrives in one of three ways (§2.1):

* ``GET /sparql?query=…``;
* ``POST`` with ``Content-Type: application/x-www-form-urlencoded`` and ``query=…`` in the body;
* ``POST`` with ``Content-Type: application/sparql-query`` and the query as the UTF-8 body.

``default-graph-uri`` and ``named-graph-uri`` (in the URL, or in the form body) name the dataset
and override the query's ``FROM``/``FROM NAMED`` (§2.1.4); ``entailment=simple|owl-rl`` picks the
regime; ``format``/``output``/``results`` hint the result format (SPARQLWrapper sends them);
``timeout`` asks for a shorter time limit than the server's.
``GET /sparql`` without a query returns the service description. Updates are refused: the
endpoint is read-only.

``If-None-Match`` is honoured once the query has parsed (a malformed query is a 400 whatever the
header says): a ``GET`` or ``HEAD`` whose tag matches gets 304, a ``POST`` 412 (RFC 9110 §13.1.2).
Each query counts against its client's limit by remote address (``request.remote_addr``: behind a
reverse proxy every client shares the proxy's address).

The view functions only translate HTTP to a :class:`~conflict_graph.query_types.QueryRequest` and a
:class:`~conflict_graph.engine.QueryResponse` back to HTTP; every decision is the engine's.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import IO
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, request
from rdflib import Graph
from werkzeug.datastructures import MultiDict

from .. import iris
from ..errors import QueryRefused, QueryTooLarge
from ..query import conneg, service_description
from ..query.engine import PreparedQuery, QueryService
from ..query.query_types import Provenance, QueryRequest, QueryResponse, entailment_of
from .errors import PreconditionFailed, ProtocolError, UnsupportedMediaType

__all__ = ["Incoming", "bp", "describe_service", "engine", "etag_matches", "max_body_bytes",
           "not_modified_response", "query_request", "read_query", "result_headers", "result_response"]

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
_HINT_PARAMETERS = ("format", "output", "results")
_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/#query-operation"
#: The endpoint IRI the cached service descriptions are written with (RFC 2606 ``.invalid``).
_ENDPOINT_PLACEHOLDER = "http://endpoint.invalid/sparql"


def engine() -> QueryService:
    """The application's query engine (set by :func:`conflict_graph.web.create_app`)."""
    return current_app.extensions["conflict_graph"]  # type: ignore[no-any-return]


# --- reading a request ------------------------------------------------------------------------------

def _decode_pairs(raw: bytes, where: str) -> MultiDict[str, str]:
    """Parse URL-encoded pairs strictly: bytes that are not UTF-8 are a 400, never a guess."""
    try:
        return MultiDict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                                   errors="strict"))
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the {where} is not UTF-8 (byte {exc.start}): SPARQL requests must be "
                            "encoded in UTF-8") from exc


def max_body_bytes(max_query_bytes: int) -> int:
    """The largest request body accepted: a form-encoded query (every byte may take three), plus
    room for the other parameters. ``serve`` gives it to the HTTP server, which then answers 413
    from the ``Content-Length`` header alone instead of reading the whole body first."""
    return 3 * max_query_bytes + 16 * 1024


@dataclass(frozen=True)
class Incoming:
    """What the protocol reads from an HTTP request, whichever layer received it.

    Attributes:
        method: ``GET``, ``POST``...
        query_string: the raw bytes after ``?``.
        mimetype: the body's media type, lower case, without parameters ("" if none).
        charset: its ``charset`` parameter, lower case (``utf-8`` if none).
        content_length: the ``Content-Length`` (None if not given).
        stream: the body.
    """

    method: str
    query_string: bytes
    mimetype: str
    charset: str
    content_length: int | None
    stream: IO[bytes]


def _body(incoming: Incoming, limit: int) -> bytes:
    """The request body, refusing one longer than ``limit`` bytes before reading it all."""
    length = incoming.content_length
    if length is not None and length > limit:
        raise QueryTooLarge(f"the request body is {length:,} bytes; this endpoint accepts at most "
                            f"{limit:,} bytes")
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = incoming.stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise QueryTooLarge(f"the request body is longer than {limit:,} bytes")
    return b"".join(chunks)


def _incoming() -> Incoming:
    return Incoming(request.method, request.query_string, request.mimetype,
                    (request.mimetype_params.get("charset") or "utf-8").lower(), request.content_length,
                    request.stream)


def read_query(incoming: Incoming, max_bytes: int) -> tuple[str | None, MultiDict[str, str]]:
    """The query text (None if there is none) and every protocol parameter (§2.1).

    Args:
        incoming: the request.
        max_bytes: the longest query accepted, in UTF-8 bytes.

    Raises:
        ProtocolError, UnsupportedMediaType, QueryRefused, QueryTooLarge: see the module docstring.
    """
    params = _decode_pairs(incoming.query_string, "query string")
    direct: str | None = None
    if incoming.method == "POST":
        mimetype, charset = incoming.mimetype, incoming.charset
        if mimetype == FORM:
            body = _decode_pairs(_body(incoming, max_body_bytes(max_bytes)), "form body")
            for key, value in body.items(multi=True):
                params.add(key, value)
        elif mimetype in (QUERY_BODY, UPDATE_BODY):
            if charset not in ("utf-8", "utf8"):
                raise UnsupportedMediaType(f"charset={charset} is not accepted: a {mimetype} body "
                                           "must be UTF-8")
            raw = _body(incoming, max_bytes)
            if mimetype == UPDATE_BODY:
                raise QueryRefused("SPARQL Update is not accepted: this endpoint is read-only")
            try:
                direct = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(f"the request body is not UTF-8 (byte {exc.start})") from exc
            if "query" in params or "update" in params:
                raise ProtocolError("a query sent as the request body cannot also have a query or "
                                    "update parameter")
        elif not mimetype:
            raise UnsupportedMediaType(f"a POST needs a Content-Type: {FORM} or {QUERY_BODY} "
                                       f"(SPARQL 1.1 Protocol §2.1: {_PROTOCOL})")
        else:
            raise UnsupportedMediaType(f"Content-Type {mimetype} is not accepted; send {FORM} or "
                                       f"{QUERY_BODY}")
    queries, updates = params.getlist("query"), params.getlist("update")
    if queries and updates:
        raise ProtocolError("a request carries either a query or an update, not both")
    if len(queries) > 1:
        raise ProtocolError(f"the query parameter is given {len(queries)} times; send exactly one")
    if len(updates) > 1:
        raise ProtocolError(f"the update parameter is given {len(updates)} times; send exactly one")
    if updates:
        raise QueryRefused("SPARQL Update is not accepted: this endpoint is read-only")
    if direct is not None:
        return direct, params
    return (queries[0] if queries else None), params


def _graph_uris(params: MultiDict[str, str], name: str) -> tuple[str, ...] | None:
    values = params.getlist(name)
    return tuple(v.strip() for v in values) if values else None


def _timeout(params: MultiDict[str, str]) -> float | None:
    values = params.getlist("timeout")
    if not values:
        return None
    if len(values) > 1:
        raise ProtocolError("the timeout parameter is given more than once")
    try:
        seconds = float(values[0])
    except ValueError:
        raise ProtocolError(f"timeout must be a number of seconds, not {values[0]!r}") from None
    if not 0 < seconds < float("inf"):
        raise ProtocolError(f"timeout must be a number of seconds above 0, not {values[0]!r}")
    return seconds


def _hints(params: MultiDict[str, str]) -> tuple[str, ...]:
    return tuple(value for name in _HINT_PARAMETERS for value in params.getlist(name))


def query_request(text: str, params: MultiDict[str, str], accept: str | None, endpoint: str,
                  client: str | None) -> QueryRequest:
    """The engine's request for a query read by :func:`read_query`.

    Raises:
        ProtocolError, QueryError: a malformed ``timeout`` or ``entailment``.
    """
    return QueryRequest(
        text=text,
        accept=accept,
        format_hints=_hints(params),
        default_graph_uris=_graph_uris(params, "default-graph-uri"),
        named_graph_uris=_graph_uris(params, "named-graph-uri"),
        entailment=entailment_of(params.getlist("entailment")),
        base_iri=endpoint,
        timeout=_timeout(params),
        client=client,
    )


# --- writing a response -----------------------------------------------------------------------------

def _provenance_pairs(provenance: Provenance, endpoint: str, service_desc: str | None = None) -> list[tuple[str, str]]:
    """Versions, entailment and ``Link`` (ontology, dataset, and ``service_desc``: the URL of the
    service's description, by default the Turtle service description at ``endpoint``)."""
    return list(_provenance_pairs_of(provenance, endpoint, service_desc))


@functools.lru_cache(maxsize=256)  # one per provenance and endpoint URL (the Host is in it)
def _provenance_pairs_of(provenance: Provenance, endpoint: str, service_desc: str | None) -> tuple[tuple[str, str], ...]:
    pairs = [("Conflict-Graph-Data-Version", provenance.data_version),
             ("Conflict-Graph-Entailment", provenance.entailment)]
    links = [f'<{iris.dataset_version(provenance.data_version)}>; '
             'rel="http://rdfs.org/ns/void#inDataset"']
    if provenance.ontology_version:
        pairs.append(("Conflict-Graph-Ontology-Version", provenance.ontology_version))
        links.insert(0, f'<{provenance.ontology_version}>; rel="describedby"')
    links.append(f'<{service_desc}>; rel="service-desc"; type="application/openapi+json"' if service_desc
                 else f'<{endpoint}>; rel="service-desc"; type="text/turtle"')
    pairs.append(("Link", ", ".join(links)))
    return tuple(pairs)


def _provenance_headers(response: Response, provenance: Provenance, service_desc: str | None = None) -> None:
    for name, value in _provenance_pairs(provenance, request.base_url, service_desc):
        response.headers[name] = value
    response.vary.add("Accept")


def not_modified_response(prepared: PreparedQuery, service_desc: str | None = None) -> Response:
    """304 for a client whose ``If-None-Match`` holds the current answer."""
    response = Response(status=304)
    response.headers["ETag"] = prepared.etag
    _provenance_headers(response, prepared.provenance, service_desc)
    return response


def result_headers(answer: QueryResponse, endpoint: str, service_desc: str | None = None) -> list[tuple[str, str]]:
    """The headers of an answer but its ``Content-Type`` and ``Content-Length``: ETag,
    provenance, ``Vary``, row count and caps."""
    pairs = [("ETag", answer.etag), *_provenance_pairs(answer.provenance, endpoint, service_desc),
             ("Vary", "Accept"), ("Conflict-Graph-Rows", str(answer.rows)),
             ("Conflict-Graph-Row-Limit", str(answer.row_limit)),
             ("Conflict-Graph-Byte-Limit", str(answer.byte_limit)),
             ("Conflict-Graph-Truncated", "true" if answer.truncated else "false")]
    if answer.truncated_by:
        pairs.append(("Conflict-Graph-Truncated-By", answer.truncated_by))
    return pairs


def result_response(answer: QueryResponse, service_desc: str | None = None) -> Response:
    """An answer with its provenance, ETag, row count and cap headers."""
    response = Response(answer.body, status=200, content_type=answer.format.content_type)
    response.headers.extend(result_headers(answer, request.base_url, service_desc))
    return response


def etag_matches(etag: str) -> bool:
    """True when the request's ``If-None-Match`` holds ``etag`` (weak comparison)."""
    return request.if_none_match.contains_weak(etag.removeprefix("W/").strip('"'))


# --- views ------------------------------------------------------------------------------------------

@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def sparql() -> Response:
    """A query (GET or POST), or the service description (GET without a query)."""
    text, params = read_query(_incoming(), int(engine().max_query_bytes))
    if text is None:
        if request.method == "POST":
            raise ProtocolError("the request has no query parameter (SPARQL 1.1 Protocol §2.1)")
        return _description(params)
    query = query_request(text, params, request.headers.get("Accept"), request.base_url, request.remote_addr)
    service = engine()
    prepared = service.prepare(query)
    if etag_matches(prepared.etag):
        service.check(prepared)  # a malformed query is a 400, whatever the client holds
        if request.method in ("GET", "HEAD"):
            return not_modified_response(prepared)
        raise PreconditionFailed("If-None-Match matches the current answer to this query, and a POST "
                                 "cannot be answered 304 (RFC 9110 §13.1.2); send the query with GET "
                                 "to revalidate, or without If-None-Match")
    return result_response(service.execute(prepared))


def _wants_html(accept: str | None) -> bool:
    if not accept or "text/html" not in accept:
        return False
    offers = ["text/html"] + [m for f in conneg.formats_for("rdf") for m in f.media_types()]
    return conneg.best_match(accept, offers) == "text/html"


def describe_service(endpoint: str) -> Graph:
    """The application's service description at ``endpoint``, with its dataset, statistics and caps."""
    service = engine()
    return service_description.describe(
        endpoint, service.catalogue, service.statistics(), max_rows=service.max_rows,
        query_timeout=service.query_timeout, max_query_bytes=service.max_query_bytes,
        service_allowlist=service.service_allowlist, max_response_bytes=service.max_response_bytes)


def _description(params: MultiDict[str, str]) -> Response:
    """The service description, as Turtle, JSON-LD, RDF/XML... by ``Accept``.

    A browser (preferring HTML) gets the Turtle as plain text, so it is shown, not downloaded.
    """
    service = engine()
    accept = request.headers.get("Accept")
    hints = _hints(params)
    browser = not hints and _wants_html(accept)
    chosen = conneg.negotiate(None if browser else accept, "rdf", hints)
    endpoint = request.base_url
    key = f"{chosen.name}\0{browser}"
    # One template per format, written once for a placeholder endpoint: a new Host value costs a
    # byte replacement, never a new description (check_headers has checked the Host).
    cache: dict[str, bytes] = current_app.extensions.setdefault("conflict_graph.description", {})
    if key not in cache:
        cache[key] = service_description.serialize(describe_service(_ENDPOINT_PLACEHOLDER), chosen.name)
    body = cache[key].replace(_ENDPOINT_PLACEHOLDER.encode(), endpoint.encode())
    digest = hashlib.sha256(f"{endpoint}\0{key}\0{service.catalogue.data_version}".encode()).hexdigest()
    etag = f'W/"sd-{digest[:24]}"'
    provenance = service.provenance("owl-rl")
    if etag_matches(etag):
        response = Response(status=304)
    else:
        content_type = "text/plain; charset=utf-8" if browser else chosen.content_type
        response = Response(body, status=200, content_type=content_type)
    response.headers["ETag"] = etag
    _provenance_headers(response, provenance)
    response.headers.pop("Conflict-Graph-Entailment", None)
    return response


def _report(report: dict[str, object], status: int) -> Response:
    response = Response(json.dumps(report, indent=2) + "\n", status=status, content_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/health")
@bp.get("/health/live")
def health() -> Response:
    """Liveness: the process answers (always 200), with status, versions, workers and queue.

    It reads counters only, so it answers at once however busy the query workers are. A load
    balancer that should stop sending queries to a busy node asks ``/health/ready`` instead.
    """
    return _report(engine().health(), 200)


@bp.get("/health/ready")
def ready() -> Response:
    """Readiness: 200 when a query worker is free for a query arriving now, else 503."""
    report = engine().health()
    return _report(report, 200 if report["ready"] else 503)
