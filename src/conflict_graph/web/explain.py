"""``GET /explain`` (why a triple holds) and ``GET /consistency`` (what contradicts what).

``/explain?subject=…&predicate=…&object=…`` takes each term in N-Triples syntax (``<iri>``,
``"Lashio"@en``, ``"1"^^<dt>``), as a bare absolute IRI or as a prefixed name (``org:hasMember``);
``derivation=n`` expands the triple's ``n``-th derivation instead of the shortest. It answers, by
content negotiation (``Accept``, or ``format=json|html|turtle|ntriples|jsonld|rdfxml``):

* JSON (the default; shape in ``docs/explanations.md``);
* an HTML page: the tree, each rule named and linked to the OWL 2 RL spec, each sentence quoted
  with its source and character offsets;
* RDF (Turtle, N-Triples, JSON-LD, RDF/XML): PROV-O over reified triples
  (:mod:`conflict_graph.reasoning.derivation_rdf`).

A triple neither asserted nor entailed is a 404; a malformed or unknown term, a missing or repeated
parameter a 400. Every tree is bounded (setting ``explain_max_nodes``). ``/consistency`` answers
JSON or HTML. The explainer (derivation index and a store of the build) opens on first use.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

from ..errors import InputError, NotAcceptable
from ..linked_data.addresses import local_path
from ..linked_data.terms import compact
from ..query import conneg
from ..query.rdf_writer import write_triples
from ..reasoning.derivation_rdf import RDF_PREFIXES, explanation_rdf
from ..reasoning.explain import Bounds, Explanation, explain_path
from ..reasoning.explainer import Explainer
from ..reasoning.rule_catalogue import SPEC
from .sparql import engine

__all__ = ["bp", "explainer"]

bp = Blueprint("explain", __name__, template_folder="templates")

_EXTENSION = "conflict_graph.explainer"
_OPEN_LOCK = threading.Lock()
_RDF = ("turtle", "ntriples", "jsonld", "rdfxml")
_TERMS = ("subject", "predicate", "object")
#: Media types offered, in the order that breaks ties (JSON first for ``*/*``).
_OFFERS: dict[str, str] = {"application/json": "json", "text/html": "html", "application/xhtml+xml": "html"}
for _fmt in conneg.formats_for("rdf"):
    if _fmt.name in _RDF:
        for _media in _fmt.media_types():
            _OFFERS.setdefault(_media, _fmt.name)
_HINTS: dict[str, str] = {"json": "json", "html": "html"}
for _fmt in conneg.formats_for("rdf"):
    if _fmt.name in _RDF:
        for _name in _fmt.names:
            _HINTS.setdefault(_name, _fmt.name)


def site_href(iri: str) -> str:
    """Where a page links ``iri``: the local page of a project IRI (never the w3id.org address,
    which would leave the site), else the IRI itself."""
    path = local_path(iri)
    return request.script_root + path if path is not None else iri


def term_parts(term: str) -> tuple[str | None, str]:
    """An N-Triples term (RDF 1.1 N-Triples §2.4) as (link target or None, text to show): an IRI
    links to :func:`site_href` and shows its prefixed name; a literal or blank node is text."""
    if term.startswith("<") and term.endswith(">"):
        iri = term[1:-1]
        return site_href(iri), compact(iri)
    return None, term


bp.add_app_template_global(site_href, "site_href")
bp.add_app_template_global(term_parts, "term_parts")


def explainer() -> Explainer:
    """The application's explainer, opened on first use from the served build."""
    found = current_app.extensions.get(_EXTENSION)
    if found is None:
        with _OPEN_LOCK:
            found = current_app.extensions.get(_EXTENSION)
            if found is None:
                settings = current_app.config["CONFLICT_GRAPH"]
                found = Explainer.open(engine().pool.artifact, Bounds(
                    max_nodes=int(settings["explain_max_nodes"]),
                    max_alternatives=int(settings["explain_max_alternatives"]),
                    max_evidence=int(settings["explain_max_evidence"])))
                current_app.extensions[_EXTENSION] = found
    return found


def _choose(offered: tuple[str, ...]) -> str:
    """The answer's format name, from ``format`` or ``Accept`` (JSON when neither says)."""
    hint = request.args.get("format", "").strip().lower()
    if hint:
        chosen = _HINTS.get(hint)
        if chosen is None or chosen not in offered:
            raise InputError(f"unknown format {hint!r}; use one of {', '.join(offered)}")
        return chosen
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return offered[0]
    offers = [media for media, name in _OFFERS.items() if name in offered]
    best = conneg.best_match(accept, offers)
    if best is None:
        raise NotAcceptable(f"none of the media types in Accept: {accept[:120]!r} can be produced here; "
                            f"available: {', '.join(offers)}")
    return _OFFERS[best]


def _single(name: str, required: bool = True) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise InputError(f"parameter {name!r} is given {len(values)} times; give it once")
    if not values or not values[0].strip():
        if required:
            raise InputError(f"parameter {name!r} is missing: /explain needs subject, predicate and object, "
                             "each an RDF term (<iri>, a prefixed name such as org:hasMember, or a "
                             "literal such as \"Lashio\"@en)")
        return None
    return values[0]


def _derivation() -> int | None:
    text = _single("derivation", required=False)
    if text is None:
        return None
    if not text.strip().isdigit() or len(text.strip()) > 6:
        raise InputError(f"parameter 'derivation' must be a whole number (0 is the shortest), not {text!r}")
    return int(text)


def _headers(response: Response) -> Response:
    response.headers["Vary"] = "Accept"
    response.headers["Conflict-Graph-Data-Version"] = engine().catalogue.data_version
    return response


def _json(data: dict[str, Any], status: int = 200) -> Response:
    return _headers(current_app.response_class(
        current_app.json.dumps(data) + "\n", status=status, mimetype="application/json"))


@bp.get("/explain")
def explain_view() -> Response:
    """Explain one triple (see the module docstring)."""
    fmt = _choose(("json", "html", *_RDF))
    subject, predicate, obj = (_single(name) or "" for name in _TERMS)
    explanation = explainer().explain_text(subject, predicate, obj, _derivation())
    if fmt == "json":
        return _json(explanation.to_json())
    if fmt == "html":
        return _headers(Response(_html(explanation), mimetype="text/html"))
    written = write_triples(explanation_rdf(explanation), fmt, RDF_PREFIXES)
    return _headers(Response(written.body, content_type=conneg.format_named(fmt).content_type))


def _html(explanation: Explanation) -> str:
    here = explain_path(explanation.triple, explanation.root.derivation)
    alternates = {name: f"{here}&format={name}" for name in ("json", "turtle")}
    return render_template("explain/explanation.html", data=explanation.to_json(), spec=SPEC,
                           alternates=alternates)


@bp.get("/consistency")
def consistency_view() -> Response:
    """The consistency report of the served build (JSON or HTML)."""
    fmt = _choose(("json", "html"))
    report = explainer().consistency()
    if fmt == "json":
        return _json(report.to_json())
    page = render_template("explain/consistency.html", report=report, data=report.to_json(), spec=SPEC)
    return _headers(Response(page, mimetype="text/html"))
