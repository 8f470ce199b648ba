"""The query page at ``/query``: YASGUI on the same origin's ``/sparql``, one tab per named query.

YASGUI is vendored into ``static/vendor/yasgui/`` by ``scripts/vendor-yasgui.sh``; the page loads
nothing from another host, and its Content-Security-Policy forbids it to. The named queries come
from ``app.config["QUERIES_DIR"]`` when set, else from the package's ``queries/`` folder, and are
read once per application.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, make_response, render_template, request

from ..iris import BASE, CG, ID
from ..query.named_queries import DEFAULT_ENTAILMENT, NamedQuery, load_queries

__all__ = ["CONTENT_SECURITY_POLICY", "bp"]

bp = Blueprint(
    "ui",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)

#: Same-origin only. Styles allow 'unsafe-inline' because YASGUI and its table plugin set
#: ``style`` attributes in the HTML they generate; scripts do not.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

_EXTENSION = "conflict_graph.ui.queries"

#: Prefixes YASGUI uses to shorten IRIs in result tables and offers in new tabs.
PREFIXES = {
    "cg": str(CG),
    "id": str(ID),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: The query a new tab starts with.
_NEW_TAB_QUERY = f"""PREFIX cg: <{CG}>
PREFIX owl: <{PREFIXES["owl"]}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>

SELECT ?class ?label WHERE {{
  ?class a owl:Class ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?class), STR(cg:)))
}}
ORDER BY ?label
"""


def named_queries() -> list[NamedQuery]:
    """The application's named queries, read on first use and kept in ``app.extensions``."""
    queries = current_app.extensions.get(_EXTENSION)
    if queries is None:
        folder = current_app.config.get("QUERIES_DIR")
        queries = load_queries(Path(folder) if folder else None)
        current_app.extensions[_EXTENSION] = queries
    return queries


@bp.get("/query")
def index() -> Response:
    """The query page."""
    root = request.script_root
    queries = named_queries()
    page_config = {
        "endpoint": f"{root}/sparql",
        "prefixes": PREFIXES,
        "newTabQuery": _NEW_TAB_QUERY,
        "defaultEntailment": DEFAULT_ENTAILMENT,
        "iriBase": BASE,
        "localRoot": root,
        "queries": [
            {
                "name": query.name,
                "title": query.title,
                "description": query.description,
                "entailment": query.entailment,
                "text": query.text,
            }
            for query in queries
        ],
    }
    response = make_response(
        render_template(
            "ui/index.html",
            queries=queries,
            page_config=page_config,
            root=root,
            sparql_url=f"{root}/sparql",
            health_url=f"{root}/health",
            default_entailment=DEFAULT_ENTAILMENT,
        )
    )
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
