"""The OpenAPI 3.1 description of the query API (https://spec.openapis.org/oas/v3.1.0).

One path per named query (``/api/queries/{name}`` with the name filled in, as grlc does), each
with its declared parameters (:func:`conflict_graph.api.parameters.json_schema`) and the
``format`` parameter; the answer formats are the SPARQL results formats of the endpoint. The
listing (``/api/queries``) has its own path. Errors are described once, with the body the
endpoint writes (``{"ok": false, "status": …, "title": …, "error": …}``).
"""

from __future__ import annotations

import re
from typing import Any

from .. import __version__
from ..query.conneg import formats_for
from ..query.named_queries import NamedQuery
from . import geojson, records
from .catalogue import Catalogue
from .parameters import json_schema

__all__ = ["API_PREFIX", "describe", "listing", "operation_id"]

#: Where the API lives on the server.
API_PREFIX = "/api"

_HEADERS = {
    "Conflict-Graph-Data-Version": "The data version the answer was computed from: cite it with the query.",
    "Conflict-Graph-Ontology-Version": "The ontology's owl:versionIRI.",
    "Conflict-Graph-Entailment": "simple (asserted triples) or owl-rl (with the OWL 2 RL closure).",
    "Conflict-Graph-Rows": "Rows in the answer.",
    "Conflict-Graph-Truncated": "true when the row or byte cap cut the answer.",
    "ETag": "A weak tag of the answer; send it in If-None-Match to get 304 while the data is unchanged.",
}
_ERRORS = {
    "400": "A parameter is unknown, missing or not of its type (the message names it), "
    "or the format is unknown.",
    "404": "No named query has this name.",
    "406": "No format in Accept can carry the answer.",
    "429": "This client already has as many queries running as it may.",
    "503": "The query ran past the time limit, or the server is busy (see Retry-After).",
}


def operation_id(query: NamedQuery) -> str:
    """A unique, code-friendly operation name: ``q40_control_as_of_date``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", query.name)


def listing(catalogue: Catalogue) -> dict[str, Any]:
    """The body of ``GET /api/queries``: every query with its parameters and URL."""
    return {
        "queries": [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "entailment": q.entailment,
                "url": f"{API_PREFIX}/queries/{q.name}",
                "parameters": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "description": p.description,
                        "required": p.required,
                        "default": json_schema(p).get("default"),
                    }
                    for p in q.parameters
                ],
            }
            for q in catalogue.queries
        ]
    }


def _answer_formats() -> list[str]:
    """The values of a named query's ``format`` parameter: the SPARQL results formats' short
    names, then ``records`` (every named query is a SELECT or an ASK)."""
    return [name for f in formats_for("results") for name in f.names[:1]] + [records.NAME]


def _parameter(query: NamedQuery) -> list[dict[str, Any]]:
    declared = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description,
            "schema": json_schema(p),
        }
        for p in query.parameters
    ]
    names = _answer_formats()
    declared.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "The answer format (else the Accept header; else SPARQL Results JSON).",
            "schema": {"type": "string", "enum": names},
        }
    )
    return declared


def _operation(query: NamedQuery) -> dict[str, Any]:
    content: dict[str, Any] = {
        f.media_type: {"schema": {"$ref": "#/components/schemas/SparqlResults"}}
        if f.name == "json"
        else {"schema": {"type": "string"}}
        for f in formats_for("results")
    }
    content[records.MEDIA_TYPE] = {
        "schema": {
            "type": "array",
            "items": {"type": "object"},
            "description": "format=records: one object per row",
        }
    }
    return {
        "get": {
            "operationId": operation_id(query),
            "summary": query.title,
            "description": f"{query.description}\n\nEntailment: {query.entailment}. SPARQL: "
            f"`queries/{query.name}.rq`.".strip(),
            "tags": ["named queries"],
            "parameters": _parameter(query),
            "responses": {
                "200": {
                    "description": "The answer.",
                    "content": content,
                    "headers": {name: {"$ref": f"#/components/headers/{name}"} for name in _HEADERS},
                },
                "304": {"description": "Not modified: the If-None-Match tag is still the answer."},
                **{status: {"$ref": f"#/components/responses/Error{status}"} for status in _ERRORS},
            },
        }
    }


def _places_operation() -> dict[str, Any]:
    """``GET /api/places.geojson`` (served by :mod:`conflict_graph.web.map`)."""
    return {
        "get": {
            "operationId": "places_geojson",
            "summary": "The places with coordinates and their control history, as GeoJSON",
            "description": "An RFC 7946 FeatureCollection: one Point per place with coordinates, its "
            "kind, labels and the control assertions about it (who, level, date bounds, status, "
            "sentences). With `date`, each place also has `control_on_date`: the assertions that "
            "hold (`certainly` or `possibly`) on that day.",
            "tags": ["map"],
            "parameters": [{
                "name": "date",
                "in": "query",
                "required": False,
                "description": "The day to ask about, YYYY-MM-DD",
                "schema": {"type": "string", "format": "date"},
            }],
            "responses": {
                "200": {
                    "description": "The places.",
                    "content": {geojson.MEDIA_TYPE: {"schema": {"type": "object"}}},
                    "headers": {name: {"$ref": f"#/components/headers/{name}"}
                                for name in ("ETag", "Conflict-Graph-Data-Version")},
                },
                "304": {"description": "Not modified: the If-None-Match tag is still the answer."},
                "400": {"$ref": "#/components/responses/Error400"},
                "406": {"$ref": "#/components/responses/Error406"},
            },
        }
    }


def describe(catalogue: Catalogue, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API served at ``server_url`` (the server's root URL)."""
    error = {
        "description": "",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
    paths: dict[str, Any] = {
        f"{API_PREFIX}/queries": {
            "get": {
                "operationId": "list_queries",
                "summary": "Every named query with its parameters",
                "tags": ["named queries"],
                "responses": {
                    "200": {
                        "description": "The named queries.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/QueryList"}}
                        },
                    }
                },
            }
        },
    }
    for query in catalogue.queries:
        paths[f"{API_PREFIX}/queries/{query.name}"] = _operation(query)
    paths[f"{API_PREFIX}/places.geojson"] = _places_operation()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "conflict-graph research API",
            "version": __version__,
            "summary": "The named questions of the conflict-graph knowledge graph, with typed parameters.",
            "description": "Each named query (a `.rq` file in `queries/`) is one GET operation. Parameters "
            "are bound to query variables by SPARQL substitution, never pasted into the "
            "query. Answers carry the data version to cite.",
            "license": {"name": "CC-BY-4.0 (data and queries)", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": server_url.rstrip("/") or "/"}],
        "paths": paths,
        "components": {
            "schemas": {
                "SparqlResults": {
                    "type": "object",
                    "description": "SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/).",
                    "required": ["head"],
                    "properties": {
                        "head": {
                            "type": "object",
                            "properties": {"vars": {"type": "array", "items": {"type": "string"}}},
                        },
                        "results": {
                            "type": "object",
                            "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
                        },
                        "boolean": {"type": "boolean"},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["ok", "status", "error"],
                    "properties": {
                        "ok": {"const": False},
                        "status": {"type": "integer"},
                        "title": {"type": "string"},
                        "error": {"type": "string"},
                    },
                },
                "QueryList": {
                    "type": "object",
                    "required": ["queries"],
                    "properties": {
                        "queries": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name", "title", "parameters", "url"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "title": {"type": "string"},
                                    "description": {"type": "string"},
                                    "entailment": {"enum": ["simple", "owl-rl"]},
                                    "url": {"type": "string"},
                                    "parameters": {"type": "array", "items": {"type": "object"}},
                                },
                            },
                        }
                    },
                },
            },
            "headers": {
                name: {"description": text, "schema": {"type": "string"}} for name, text in _HEADERS.items()
            },
            "responses": {
                f"Error{status}": {**error, "description": text} for status, text in _ERRORS.items()
            },
        },
    }
