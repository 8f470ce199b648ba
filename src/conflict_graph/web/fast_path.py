"""A lean path for plain SPARQL queries, in front of the Flask application.

Flask's request and application contexts, routing, hooks and response objects cost about a
quarter of a millisecond per request, as much as running a small query. :class:`SparqlFastPath`
is a WSGI application that answers the common case itself, a query to ``/sparql`` by ``GET`` or
``POST`` (SPARQL 1.1 Protocol §2.1), and hands every other request to Flask unchanged. It reads
the request and writes the answer with the functions the Flask view uses
(:func:`~conflict_graph.web.sparql.read_query`, :func:`~conflict_graph.web.sparql.query_request`,
:func:`~conflict_graph.web.sparql.result_headers`,
:func:`~conflict_graph.web.errors.error_body`), so the status, headers, errors and caps are the
same whichever path answered.

Flask answers instead when the request is anything but a plain query: another path or method,
an ``Origin`` (CORS) or ``If-None-Match`` header, a header field the server will not read (431)
or a malformed ``Host`` (400), a body without ``Content-Length`` or over the size limit, or no
query at all (the service description). A body already read is handed on with the request.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import HTTP_STATUS_CODES, parse_options_header
from werkzeug.wsgi import get_current_url

from ..errors import ConflictGraphError
from ..query.engine import QueryService
from ..query.query_types import QueryRequest
from . import errors, sparql

__all__ = ["SparqlFastPath"]

log = logging.getLogger(__name__)

_PATHS = frozenset({"/sparql", "/sparql/"})
#: Endpoint URLs remembered (one per ``Host`` value and path); forgotten all at once when full.
MAX_REMEMBERED_ENDPOINTS = 256
#: Bytes of requests remembered as read (forgotten all at once beyond it).
REMEMBERED_REQUEST_BYTES = 4 * 1024 * 1024
_DELEGATE_HEADERS = ("HTTP_ORIGIN", "HTTP_IF_NONE_MATCH", "HTTP_TRANSFER_ENCODING")

StartResponse = Callable[..., Any]


class _Delegate(Exception):
    """The request is not a plain query: Flask answers it."""


class SparqlFastPath:
    """Answer plain ``/sparql`` queries directly; hand everything else to ``app``.

    Args:
        app: the Flask application (any WSGI application).
        engine: the query engine the application serves.
    """

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]],
                 engine: QueryService) -> None:
        self.app = app
        self.engine = engine
        self.answered = 0
        self._endpoints: dict[tuple[str, str, str, str], str] = {}
        self._requests: dict[tuple[Any, ...], QueryRequest] = {}
        self._requests_bytes = 0

    def _request(self, incoming: sparql.Incoming, accept: str | None, endpoint: str,
                 client: str | None) -> QueryRequest:
        """The engine's request; one read recently (the same bytes, but for the client) is not read
        again: decoding a form-encoded query of 1 KB costs about 50 µs.

        Raises:
            _Delegate: the request has no query (Flask answers: the service description).
            ProtocolError, QueryError: as :func:`~conflict_graph.web.sparql.read_query` and
                :func:`~conflict_graph.web.sparql.query_request`.
        """
        body = incoming.stream.getvalue()  # type: ignore[attr-defined]
        key = (incoming.method, incoming.query_string, incoming.mimetype, incoming.charset, body, accept,
               endpoint)
        request = self._requests.get(key)
        if request is None:
            text, params = sparql.read_query(incoming, self.engine.max_query_bytes)
            if text is None:
                raise _Delegate
            request = sparql.query_request(text, params, accept, endpoint, None)
            weight = (len(body) + len(incoming.query_string) + len(text) + len(accept or "") + len(endpoint)
                      + len(incoming.mimetype) + len(incoming.charset) + 512)
            if self._requests_bytes + weight > REMEMBERED_REQUEST_BYTES:
                self._requests.clear()
                self._requests_bytes = 0
            self._requests[key] = request
            self._requests_bytes += weight
        return dataclasses.replace(request, client=client)

    def _endpoint(self, environ: dict[str, Any]) -> str:
        """The URL the request was sent to, without its query string (remembered per host and
        path: werkzeug's reading of it costs as much as a small query's evaluation)."""
        key = (environ.get("wsgi.url_scheme", ""), environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
               environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""))
        url = self._endpoints.get(key)
        if url is None:
            url = get_current_url(environ, strip_querystring=True)
            if len(self._endpoints) >= MAX_REMEMBERED_ENDPOINTS:
                self._endpoints.clear()
            self._endpoints[key] = url
        return url

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if (environ.get("PATH_INFO") not in _PATHS or method not in ("GET", "POST")
                or any(name in environ for name in _DELEGATE_HEADERS) or not _readable(environ)):
            return self.app(environ, start_response)
        try:
            incoming = _incoming(environ, method, self.engine.max_query_bytes)
        except _Delegate:
            return self.app(environ, start_response)
        accept = environ.get("HTTP_ACCEPT")
        try:
            endpoint = self._endpoint(environ)
            request = self._request(incoming, accept, endpoint, environ.get("REMOTE_ADDR"))
            answer = self.engine.execute(self.engine.prepare(request))
        except _Delegate:
            if method == "POST":  # the body was read: hand it on
                body = incoming.stream.getvalue()  # type: ignore[attr-defined]
                environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
            return self.app(environ, start_response)
        except ConflictGraphError as exc:
            status, message, extra = errors.domain_error_answer(exc)
            if status == 500:
                log.error("unexpected domain error", exc_info=exc)
            return _error(start_response, status, accept, message, extra)
        except Exception:  # a bug: logged, and answered as Flask would
            log.exception("unexpected error answering %s %s", method, environ.get("PATH_INFO"))
            return _error(start_response, 500, accept, errors.UNEXPECTED)
        self.answered += 1
        headers = [("Content-Type", answer.format.content_type), ("Content-Length", str(len(answer.body))),
                   *sparql.result_headers(answer, endpoint)]
        start_response("200 OK", headers)
        return [answer.body]


_UNPREFIXED = ("CONTENT_TYPE", "CONTENT_LENGTH")


def _readable(environ: dict[str, Any]) -> bool:
    """The header fields Flask's ``check_headers`` would pass (all of them, as Flask sees them)."""
    return errors.headers_readable((key[5:] if key.startswith("HTTP_") else key, value)
                                   for key, value in environ.items()
                                   if (key.startswith("HTTP_") or key in _UNPREFIXED) and isinstance(value, str))


def _incoming(environ: dict[str, Any], method: str, max_query_bytes: int) -> sparql.Incoming:
    """The request as the protocol reads it; its body (a ``POST``'s) read into memory.

    Raises:
        _Delegate: a body of unknown length, or longer than the endpoint accepts (Flask says so).
    """
    query_string = environ.get("QUERY_STRING", "").encode("latin-1")
    mimetype, options = parse_options_header(environ.get("CONTENT_TYPE", ""))
    charset = (options.get("charset") or "utf-8").lower()
    body = b""
    length: int | None = None
    if method == "POST":
        try:
            length = int(environ["CONTENT_LENGTH"])
        except (KeyError, ValueError):
            raise _Delegate from None
        if not 0 <= length <= sparql.max_body_bytes(max_query_bytes):
            raise _Delegate
        body = environ["wsgi.input"].read(length) if length else b""
    return sparql.Incoming(method, query_string, mimetype.lower(), charset, length, io.BytesIO(body))


def _error(start_response: StartResponse, status: int, accept: str | None, message: str,
           extra: list[tuple[str, str]] | None = None) -> Iterable[bytes]:
    """The error response :func:`conflict_graph.web.errors.error_response` would give."""
    body, content_type = errors.error_body(status, message, accept)
    data = body.encode("utf-8")
    headers = [("Content-Type", content_type), ("Content-Length", str(len(data))),
               ("Cache-Control", "no-store"), *(extra or ())]
    start_response(f"{status} {HTTP_STATUS_CODES.get(status, 'Error').upper()}", headers)
    return [data]
