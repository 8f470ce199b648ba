"""Errors → HTTP responses, in one table and one handler.

The domain raises the classes of :mod:`conflict_graph.errors`; this module decides the status:

=====================================  ======  =================================================
error                                  status  when
=====================================  ======  =================================================
``QuerySyntaxError``                   400     the query does not parse (message: line:column)
``QueryRefused``                       403     update (read-only), ``SERVICE`` not allowlisted
``NotAcceptable``                      406     nothing in ``Accept`` can be produced
``PreconditionFailed``                 412     ``If-None-Match`` matches on a ``POST``
``QueryTooLarge``                      413     query or body over the size limit
``UnsupportedMediaType``               415     POST body of a type the protocol does not define
``TooManyQueries``                     429     the client already has its most queries running
``ServiceFailed``                      502     an allowed ``SERVICE`` endpoint failed
``ServerBusy``                         503     every worker busy and the waiting queue full
``QueryPreempted``                     503     stopped to give its worker to lighter clients
``QueryTimeout`` / ``WorkerLost``      503     stopped at the time limit, no free worker, or
                                               the worker died
``ProtocolError`` / ``QueryError``     400     bad parameters (repeated ``query``, unknown
                                               ``entailment``, non-UTF-8 body, ...)
``NotFound``                           404     ``/explain``: the triple is neither asserted nor
                                               entailed
``InputError`` (not ``DataLoadError``) 400     ``/explain``: a malformed or unknown RDF term, a
                                               missing or repeated parameter
=====================================  ======  =================================================

A request with a header field longer than :data:`MAX_HEADER_FIELD_BYTES` is answered 431 before
anything reads it (a 250 KB ``Accept`` header would otherwise cost content negotiation a
second of CPU), and a ``Host`` that is not a host name or address is a 400.

An error with a ``retry_after`` attribute (429, 503 busy) sends it as ``Retry-After``.

Werkzeug's own HTTP errors (404, 405, ...) get the same body shape. Anything else, including a
domain error the table does not list (a data file gone missing under a running server), is 500,
logged with its traceback. The body is JSON (``{"ok": false, "status": …, "title": …, "error": …}``)
for clients that prefer JSON and plain text otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import BadRequest, HTTPException, RequestHeaderFieldsTooLarge

from ..errors import (
    ConflictGraphError,
    DataLoadError,
    InputError,
    NotFound,
    NotAcceptable,
    QueryError,
    QueryPreempted,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
)
from ..query.admission import ServerBusy, TooManyQueries
from ..query.conneg import prefers_json
from ..query.service_check import ServiceFailed
from ..query.workers import WorkerLost

__all__ = ["MAX_HEADER_FIELD_BYTES", "STATUS", "TITLES", "UNEXPECTED", "PreconditionFailed", "ProtocolError",
           "UnsupportedMediaType", "check_headers", "domain_error_answer", "error_body", "error_response",
           "headers_readable", "init_app", "status_for"]


class ProtocolError(QueryError):
    """The request breaks the SPARQL 1.1 Protocol (missing or repeated parameters, bad body)."""


class UnsupportedMediaType(QueryError):
    """A POST body of a media type the protocol does not define for this operation."""


class PreconditionFailed(QueryError):
    """A precondition (``If-None-Match`` on a ``POST``) stops the request (RFC 9110 §13.1.2)."""


#: Error class → HTTP status; the first class the error is an instance of wins.
STATUS: tuple[tuple[type[ConflictGraphError], int], ...] = (
    (QuerySyntaxError, 400),
    (QueryRefused, 403),
    (NotAcceptable, 406),
    (PreconditionFailed, 412),
    (QueryTooLarge, 413),
    (UnsupportedMediaType, 415),
    (TooManyQueries, 429),
    (ServiceFailed, 502),
    (ServerBusy, 503),
    (QueryPreempted, 503),
    (QueryTimeout, 503),
    (WorkerLost, 503),
    (ProtocolError, 400),
    (QueryError, 400),
    (NotFound, 404),
    (DataLoadError, 500),
    (InputError, 400),
)

TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 406: "Not Acceptable", 412: "Precondition Failed",
           413: "Content Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
           431: "Request Header Fields Too Large",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


#: Longest header field value read (Apache httpd's ``LimitRequestFieldSize`` is 8190).
MAX_HEADER_FIELD_BYTES = 8192
#: A ``Host`` header: a name, IPv4 or bracketed IPv6 address, and an optional port (RFC 9110 §7.2).
_HOST = re.compile(r"(?:[A-Za-z0-9._~%!$&'()*+,;=-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def headers_readable(headers: Iterable[tuple[str, str]]) -> bool:
    """True when no header field is too long to read and the ``Host``, if any, is a host."""
    for name, value in headers:
        if len(value) > MAX_HEADER_FIELD_BYTES or (name.lower() == "host" and not _HOST.fullmatch(value)):
            return False
    return True


def check_headers() -> None:
    """Refuse header fields too long to read in bounded time, and a malformed ``Host``.

    Raises:
        RequestHeaderFieldsTooLarge: a field is longer than :data:`MAX_HEADER_FIELD_BYTES` (431).
        BadRequest: the ``Host`` header is not a host (400).
    """
    for name, value in request.headers.items():
        if len(value) > MAX_HEADER_FIELD_BYTES:
            raise RequestHeaderFieldsTooLarge(
                f"the {name} header is {len(value):,} bytes long; this server reads header fields "
                f"of at most {MAX_HEADER_FIELD_BYTES:,} bytes")
    host = request.headers.get("Host")
    if host is not None and not _HOST.fullmatch(host):
        raise BadRequest("the Host header is not a host name or address (RFC 9110 §7.2)")


def status_for(error: ConflictGraphError) -> int:
    """The HTTP status of a domain error (500 for one the table does not list)."""
    return next((status for cls, status in STATUS if isinstance(error, cls)), 500)


def error_body(status: int, message: str, accept: str | None, title: str | None = None) -> tuple[str, str]:
    """A short error body naming the problem, and its content type: JSON or plain text by ``Accept``."""
    title = title or TITLES.get(status, "Error")
    if accept is not None and len(accept) <= MAX_HEADER_FIELD_BYTES and prefers_json(accept):
        body = json.dumps({"ok": False, "status": status, "title": title, "error": message})
        return body + "\n", "application/json"
    return f"{status} {title}: {message}\n", "text/plain; charset=utf-8"


#: The message of a 500: the error itself is logged, never shown.
UNEXPECTED = "the server failed to answer this request; the error is logged"


def domain_error_answer(error: ConflictGraphError) -> tuple[int, str, list[tuple[str, str]]]:
    """The status, message and extra headers (``Retry-After``) a domain error is answered with."""
    status = status_for(error)
    if status == 500:
        return 500, UNEXPECTED, []
    retry_after = getattr(error, "retry_after", None)
    return status, str(error), [] if retry_after is None else [("Retry-After", str(retry_after))]


def error_response(status: int, message: str, title: str | None = None) -> Response:
    """A short error body naming the problem, as JSON or plain text by ``Accept``."""
    body, content_type = error_body(status, message, request.headers.get("Accept"), title)
    response = Response(body, status=status, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def _domain_error(error: ConflictGraphError) -> Response:
    status, message, headers = domain_error_answer(error)
    if status == 500:
        current_app.logger.error("unexpected domain error", exc_info=error)
    response = error_response(status, message)
    response.headers.extend(headers)
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    message = error.description or error.name
    if status == 405:
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or ()))
        message = f"{request.method} is not allowed on {request.path}"
        message += f"; use {allowed}" if allowed else ""
    response = error_response(status, message, error.name)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unexpected error answering %s %s", request.method, request.path)
    return error_response(500, UNEXPECTED)


def init_app(app: Flask) -> None:
    """Register the handlers on an application."""
    app.register_error_handler(ConflictGraphError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.before_request(check_headers)
