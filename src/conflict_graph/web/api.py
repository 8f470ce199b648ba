"""The query API at ``/api``: every named query as ``GET /api/queries/{name}``.

* ``GET /api/queries``: the named queries, their parameters and URLs (JSON);
* ``GET /api/queries/{name}?param=value&format=csv``: run one; its declared parameters
  (:mod:`conflict_graph.api.parameters`) are checked (400 naming the parameter) and bound by
  SPARQL substitution; the answer goes through the endpoint's engine, so it has the same formats,
  limits, ETag and citation headers as ``/sparql``; ``format=records`` gives plain JSON records
  (:mod:`conflict_graph.api.records`);
* ``GET /api/openapi.json``: the OpenAPI 3.1 description (:mod:`conflict_graph.api.openapi`);
* ``GET /api/``: Swagger UI (vendored by ``scripts/vendor-swagger-ui.sh``) over that description.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, make_response, render_template, request, url_for
from werkzeug.exceptions import NotFound

from ..api import openapi, records
from ..api.catalogue import Catalogue
from ..api.parameters import bind
from ..errors import ParameterError
from ..query import conneg
from ..query.query_types import QueryRequest
from .sparql import engine, etag_matches, not_modified_response, result_response

__all__ = ["bp", "catalogue", "single_values"]

bp = Blueprint(
    "api", __name__, url_prefix=openapi.API_PREFIX, static_folder="static", static_url_path="/assets"
)

_EXTENSION = "conflict_graph.api.catalogue"
#: Same origin only; Swagger UI sets inline styles and shows data: images.
_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def catalogue() -> Catalogue:
    """The application's named queries (``QUERIES_DIR`` or the package's), read and checked once."""
    loaded = current_app.extensions.get(_EXTENSION)
    if loaded is None:
        folder = current_app.config.get("QUERIES_DIR")
        loaded = Catalogue.load(Path(folder) if folder else None)
        current_app.extensions[_EXTENSION] = loaded
    return loaded


def _json(body: object) -> Response:
    response = Response(
        json.dumps(body, indent=2, ensure_ascii=False) + "\n", content_type="application/json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/queries")
def queries() -> Response:
    """Every named query with its parameters."""
    return _json(openapi.listing(catalogue()))


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 description of this server's API."""
    return _json(openapi.describe(catalogue(), request.url_root.rstrip("/")))


@bp.get("/")
def page() -> Response:
    """Swagger UI over the OpenAPI description."""
    response = make_response(
        render_template(
            "api/index.html",
            openapi_url=url_for("api.openapi_json"),
            listing_url=url_for("api.queries"),
            sparql_url=f"{request.script_root}/sparql",
        )
    )
    response.headers["Content-Security-Policy"] = _CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def single_values() -> dict[str, str]:
    """The URL parameters, each given once (a repeated one is a 400 naming it)."""
    values: dict[str, str] = {}
    for name, given in request.args.lists():
        if len(given) > 1:
            raise ParameterError(f"parameter {name!r} is given {len(given)} times; give it once")
        values[name] = given[0]
    return values


def _check_format_kind(name: str, hints: tuple[str, ...], kind: str) -> None:
    """Refuse a ``format`` that names a format of the other kind of answer (``/sparql`` passes
    over it, as SPARQLWrapper sends ``format=csv`` even for a CONSTRUCT; the API answers one
    named query, whose kind is known)."""
    hinted = conneg.format_hinted(hints[0]) if hints else None
    if hinted is None or hinted.kind == kind:
        return
    names = [f.names[0] for f in conneg.formats_for(kind)] + ([records.NAME] if kind == "results" else [])
    answers = "a table of results" if kind == "results" else "a graph"
    raise ParameterError(f"format {hints[0][:40]!r} is not a format of this query's answers ({name!r} "
                         f"answers with {answers}); give one of {', '.join(names)}, or leave it out and "
                         "send Accept")


@bp.get("/queries/<name>")
def run(name: str) -> Response:
    """Run one named query with the request's parameters."""
    query = catalogue().find(name)
    if query is None:
        raise NotFound(f"there is no named query {name!r}; the list is at {url_for('api.queries')}")
    given = single_values()
    hints = asked = (given.pop("format"),) if "format" in given else ()
    as_records = bool(hints) and hints[0].strip().lower() == records.NAME
    if as_records:  # records are written from SPARQL Results JSON
        hints = ("json",)
    prepared_request = QueryRequest(
        text=query.text,
        accept=request.headers.get("Accept"),
        format_hints=hints,
        entailment=query.entailment,
        base_iri=request.base_url,
        client=request.remote_addr,
        bindings=bind(query, given),
    )
    service = engine()
    prepared = service.prepare(prepared_request)
    if as_records:
        if prepared.format.kind != "results":
            raise ParameterError(
                f"format=records is for SELECT and ASK queries; {name!r} answers with a graph"
            )
        prepared = dataclasses.replace(prepared, etag=prepared.etag[:-1] + '-records"')
    else:
        _check_format_kind(name, asked, prepared.format.kind)
    description = url_for("api.openapi_json", _external=True)
    if etag_matches(prepared.etag):
        return not_modified_response(prepared, description)
    answer = service.execute(prepared)
    response = result_response(answer, description)
    if as_records:
        response.set_data(records.records(answer.body))
        response.content_type = f"{records.MEDIA_TYPE}; charset=utf-8"
    return response
