"""The ontology at its own IRI: ``/ontology`` (and its version IRI ``/ontology/<version>``).

``https://w3id.org/conflict-graph/ontology`` maps onto ``/ontology``; a term ``cg:Town``
(``…/ontology#Town``) is the anchor ``#Town`` of the HTML page. One resource, several
representations, chosen by content negotiation (``Accept``; ``Vary: Accept``) or by a suffix
that names one (``/ontology.ttl``): HTML documentation for browsers
(:mod:`conflict_graph.linked_data.ontology_doc`), Turtle, JSON-LD, N-Triples and RDF/XML for
machines, read from the ontology's named graph through the query service. Every response lists
the others in ``Link: rel="alternate"`` headers (RFC 8288) and, when negotiated, names the
variant it chose in ``Content-Location``.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, make_response, render_template, request

from ..api.sparql_rows import service_runner
from ..errors import NotAcceptable
from ..linked_data import ontology_doc
from ..query import conneg
from .errors import error_response
from .sparql import engine
from .ui import CONTENT_SECURITY_POLICY

__all__ = ["SUFFIXES", "bp"]

bp = Blueprint("ontology", __name__, template_folder="templates")

_HTML = "text/html"
#: Suffix → (format name of :mod:`conflict_graph.query.conneg`, or ``html``; media type).
SUFFIXES: dict[str, tuple[str, str]] = {
    "html": ("html", _HTML),
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("jsonld", "application/ld+json"),
    "nt": ("ntriples", "application/n-triples"),
    "rdf": ("rdfxml", "application/rdf+xml"),
}
_BY_MEDIA_TYPE = {media: (name, suffix) for suffix, (name, media) in SUFFIXES.items()}
_ALIASES = {"application/xhtml+xml": _HTML, "application/x-turtle": "text/turtle",
            "application/turtle": "text/turtle", "application/x-json+ld": "application/ld+json",
            "application/json": "application/ld+json", "application/xml": "application/rdf+xml",
            "text/xml": "application/rdf+xml"}
_EXTENSION = "conflict_graph.ontology_doc"


def _version() -> str | None:
    """The version segment of the ontology's ``owl:versionIRI`` (``0.1.0``), if it declares one."""
    version_iri = engine().catalogue.ontology_version
    return version_iri.rstrip("/").rsplit("/", 1)[-1] if version_iri else None


def _negotiate() -> str:
    """The suffix of the representation ``Accept`` prefers; HTML when it states no preference."""
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return "html"
    offers = [media for _, media in SUFFIXES.values()] + list(_ALIASES)
    best = conneg.best_match(accept, offers)
    if best is None:
        available = ", ".join(media for _, media in SUFFIXES.values())
        raise NotAcceptable(f"none of the media types in Accept can be produced for the ontology; "
                                   f"available: {available}")
    return _BY_MEDIA_TYPE[_ALIASES.get(best, best)][1]


def _alternates(base: str) -> str:
    return ", ".join(f'<{base}.{suffix}>; rel="alternate"; type="{media}"'
                     for suffix, (_, media) in SUFFIXES.items())


def _documentation() -> ontology_doc.OntologyDoc:
    """The documentation, built once per data version and kept in ``app.extensions``."""
    service = engine()
    cached = current_app.extensions.get(_EXTENSION)
    if cached is None or cached[0] != service.catalogue.data_version:
        cached = (service.catalogue.data_version,
                  ontology_doc.load(service, service_runner(service, client=request.remote_addr)))
        current_app.extensions[_EXTENSION] = cached
    doc: ontology_doc.OntologyDoc = cached[1]
    return doc


def _represent(suffix: str | None, base: str) -> Response:
    negotiated = suffix is None
    chosen = _negotiate() if suffix is None else suffix
    name, media = SUFFIXES[chosen]
    if name == "html":
        alternates = [(f"{base}.{s}", m, ontology_doc_label(s))
                      for s, (_, m) in SUFFIXES.items() if s != "html"]
        response = make_response(render_template("ontology/index.html", doc=_documentation(),
                                                 alternates=alternates, root=request.script_root))
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
    else:
        answer = ontology_doc.ontology_rdf(engine(), name)
        response = Response(answer.body, content_type=answer.format.content_type)
        response.headers["Conflict-Graph-Data-Version"] = answer.provenance.data_version
    response.headers["Link"] = _alternates(base)
    if negotiated:
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = f"{base}.{chosen}"
    return response


def ontology_doc_label(suffix: str) -> str:
    """The name of a representation, for links: ``Turtle``, ``JSON-LD`` …"""
    return {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML", "html": "HTML"}[suffix]


def _split(name: str) -> tuple[str, str | None]:
    """``0.1.0.ttl`` → (``0.1.0``, ``ttl``); ``0.1.0`` → (``0.1.0``, None)."""
    stem, _, suffix = name.rpartition(".")
    return (stem, suffix) if stem and suffix in SUFFIXES else (name, None)


def _unknown_suffix(suffix: str) -> Response:
    known = ", ".join(f".{s}" for s in SUFFIXES)
    return error_response(404, f"no representation of the ontology has the suffix .{suffix}; "
                               f"use one of {known}, or ask for a media type with Accept")


@bp.get("/ontology")
def ontology() -> Response:
    """The ontology, by content negotiation."""
    return _represent(None, f"{request.script_root}/ontology")


@bp.get("/ontology.<suffix>")
def ontology_as(suffix: str) -> Response:
    """The ontology in the representation a suffix names."""
    if suffix not in SUFFIXES:
        return _unknown_suffix(suffix)
    return _represent(suffix, f"{request.script_root}/ontology")


@bp.get("/ontology/<path:name>")
def ontology_version(name: str) -> Response:
    """The version IRI (``/ontology/0.1.0``, ``/ontology/0.1.0.ttl``): the current version only."""
    version, suffix = _split(name)
    current = _version()
    if current is None or version != current:
        served = (f"version {current} (/ontology/{current})" if current
                  else "an ontology without a version IRI")
        return error_response(404, f"this server holds no ontology version {version!r}; it serves {served}, "
                                   "also at /ontology")
    return _represent(suffix, f"{request.script_root}/ontology/{current}")
