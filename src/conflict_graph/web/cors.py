"""Cross-origin access for browsers on other origins (``CONFLICT_GRAPH_CORS_ORIGINS``).

The headers are added by an application-wide ``after_request`` hook, not a blueprint's, so the
responses to errors raised while routing (404, 405) carry them too and a script can read the
message. The query page (the ``ui`` blueprint) is same-origin and gets none.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, current_app, request

__all__ = ["CORS_EXPOSED", "cors", "init_app"]

#: Response headers a cross-origin script may read.
CORS_EXPOSED = (
    "ETag", "Link", "Content-Type", "Conflict-Graph-Data-Version", "Conflict-Graph-Ontology-Version",
    "Conflict-Graph-Entailment", "Conflict-Graph-Row-Limit", "Conflict-Graph-Rows",
    "Conflict-Graph-Truncated", "Conflict-Graph-Truncated-By", "Conflict-Graph-Byte-Limit", "Retry-After",
)


def _allowed_origin(origin: str, allowed: Iterable[str]) -> str | None:
    allowed = tuple(allowed)
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else None


def cors(response: Response) -> Response:
    """Add the CORS headers a response needs (``*`` by default; none for an unlisted origin)."""
    if request.blueprint == "ui":
        return response
    origin = request.headers.get("Origin")
    allowed = current_app.config["CONFLICT_GRAPH"].get("cors_origins") or ()
    if not origin or not allowed:
        return response
    value = _allowed_origin(origin, allowed)
    if value is None:
        return response
    response.headers["Access-Control-Allow-Origin"] = value
    if value != "*":
        response.vary.add("Origin")
    response.headers["Access-Control-Expose-Headers"] = ", ".join(CORS_EXPOSED)
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        requested = request.headers.get("Access-Control-Request-Headers")
        response.headers["Access-Control-Allow-Headers"] = requested or "Accept, Content-Type, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def init_app(app: Flask) -> None:
    """Register the hook on an application."""
    app.after_request(cors)
