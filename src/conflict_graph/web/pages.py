"""Every project IRI answered on this server, and the landing page.

https://w3id.org/conflict-graph/<path> is served at ``/<path>`` for the ``id``, ``graph`` and
``dataset`` spaces (``/ontology`` is served apart). One URL per resource, with content
negotiation (W3C "Cool URIs for the Semantic Web" §4.2 with the 200 + ``Content-Location``
answer of the 2012 httpRange-14 resolution): HTML for browsers, Turtle, JSON-LD, N-Triples or
RDF/XML by ``Accept`` or by a suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``). Every answer
carries ``Vary: Accept`` and a ``Link: rel="alternate"`` per format. A quote IRI sends a browser
to its sentence on the source page (303). An unknown IRI gets a 404 page with search hints.

The RDF of an ``/id/`` IRI is exactly what ``DESCRIBE <iri>`` answers on ``/sparql``
(docs/linked-data.md). Everything is read through the query service, under its limits.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, render_template, request

from .. import iris, stances
from ..linked_data import addresses, graphs, sections
from ..linked_data import describe as describing
from ..linked_data import overview as overviews
from ..linked_data.addresses import RDF_FORMATS, Address
from ..linked_data.reader import Reader
from ..linked_data.source_document import read_source
from ..linked_data.terms import compact, ntriples
from ..query import service_description
from ..query.conneg import Format
from .sparql import describe_service, engine, etag_matches
from .ui import CONTENT_SECURITY_POLICY

__all__ = ["bp"]

bp = Blueprint("pages", __name__, template_folder="templates")

_SOURCE_PREFIX = "/id/source/"


def _reader() -> Reader:
    return Reader(engine(), client=request.remote_addr)


def _limit() -> int:
    return int(current_app.config["CONFLICT_GRAPH"]["page_max_triples"])


def _public_root() -> str:
    """The deployment's public address, ending in ``/`` (setting, else where the request came)."""
    base = str(current_app.config["CONFLICT_GRAPH"].get("public_base_url") or "")
    return base if base.endswith("/") or not base else base + "/"


def _absolute(path: str) -> str:
    return (_public_root() or request.host_url + request.script_root.strip("/")).rstrip("/") + path


def href(iri: str) -> str:
    """Where a link to ``iri`` goes: the local page of a project IRI, else the IRI itself."""
    path = addresses.local_path(iri)
    return request.script_root + path if path is not None else iri


def _query_link(query: str) -> str:
    """The query page with ``query`` open in a tab (YASGUI reads ``#query=``)."""
    return f"{request.script_root}/query#" + urlencode({"query": query}, quote_via=quote)


def explain_link(statement: describing.Statement) -> str:
    """``/explain`` of an inferred triple (values in N-Triples syntax)."""
    values = {"subject": ntriples(statement.subject), "predicate": ntriples(statement.predicate),
              "object": ntriples(statement.object)}
    return f"{request.script_root}/explain?" + urlencode(values, quote_via=quote)


def evidence_link(evidence: describing.Evidence) -> str:
    """The sentence on its source page (``/id/source/<slug>#s06``)."""
    page = href(evidence.document) if evidence.document else href(evidence.quote)
    return f"{page}#{evidence.anchor}" if evidence.document else page


bp.add_app_template_filter(compact, "compact")
bp.add_app_template_filter(stances.label, "stance_label")
bp.add_app_template_filter(stances.note, "stance_note")
bp.add_app_template_global(href, "href")
bp.add_app_template_global(explain_link, "explain_link")
bp.add_app_template_global(evidence_link, "evidence_link")


def _html(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _etag(address: Address, chosen: Format | None) -> str:
    """A weak tag over what a page depends on: data version, path, format, limit, addresses."""
    version = engine().catalogue.data_version
    parts = (version, address.path, chosen.name if chosen else "html", str(_limit()),
             request.script_root, _public_root() or request.host_url)
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
    return f'W/"{version[:12]}-{digest[:20]}"'


def _unchanged(address: Address, chosen: Format | None) -> Response | None:
    """304 when the client holds the current representation (``If-None-Match``), before any query."""
    tag = _etag(address, chosen)
    if not etag_matches(tag):
        return None
    return _negotiated(Response(status=304), address, chosen)


def _negotiated(response: Response, address: Address, chosen: Format | None) -> Response:
    """``ETag`` (on 200 and 304), ``Vary``, ``Link: rel=alternate`` for every format, and
    ``Content-Location`` when negotiated."""
    if response.status_code in (200, 304):
        response.headers["ETag"] = _etag(address, chosen)
    response.vary.add("Accept")
    path = addresses.path_as_uri  # a path from the request may hold any character; a header may not
    links = [f'<{_absolute(path(address.path))}>; rel="alternate"; type="text/html"']
    links += [f'<{_absolute(path(address.suffixed(f)))}>; rel="alternate"; type="{f.media_type}"'
              for f in RDF_FORMATS]
    links.append(f'<{addresses.as_uri(address.iri)}>; rel="canonical"')
    response.headers["Link"] = ", ".join(links)
    if chosen is not None and address.format is None:
        response.headers["Content-Location"] = path(request.script_root + address.suffixed(chosen))
    return response


def _rdf(body: bytes, address: Address, chosen: Format) -> Response:
    """A negotiated RDF representation (``chosen``) of the page at ``address``."""
    return _negotiated(Response(body, content_type=chosen.content_type), address, chosen)


def _not_found(address: Address, chosen: Format | None) -> Response:
    """A 404 that helps: HTML with hints and links for a browser, one line for a machine."""
    if chosen is not None:
        response = Response(f"404 Not Found: the graph says nothing about <{address.iri}>\n", status=404,
                            content_type="text/plain; charset=utf-8")
    else:
        words = address.path.strip("/").rsplit("/", 1)[-1].replace("-", " ")
        needle = _sparql_string(words.lower()[:60])
        search = (f'SELECT DISTINCT ?thing ?label WHERE {{\n  ?thing rdfs:label ?label .\n'
                  f'  FILTER(CONTAINS(LCASE(STR(?label)), "{needle}"))\n}} LIMIT 50')
        response = _html(render_template("pages/not_found.html", address=address,
                                         search_link=_query_link(_PREFIXES + search)), 404)
    response.headers["Cache-Control"] = "no-store"
    return _negotiated(response, address, None)


_PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def _sparql_string(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum() or ch in " -_.'")


@bp.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    """Any ``/id/`` IRI: entity, source document or quote."""
    address = addresses.parse_path("/id/" + rest)
    chosen = addresses.choose_format(request.headers.get("Accept"), address)
    if (unchanged := _unchanged(address, chosen)) is not None:
        return unchanged
    if not addresses.is_acceptable_iri(address.iri):
        return _not_found(address, chosen)
    reader = _reader()
    if chosen is not None:
        if not reader.ask(f"ASK {{ {{ <{address.iri}> ?p ?o }} UNION {{ ?s ?p <{address.iri}> }} }}"):
            return _not_found(address, chosen)
        answer = reader.describe(address.iri, chosen)
        return _rdf(answer.body, address, chosen)
    anchor = addresses.quote_anchor(address.path)
    if anchor is not None:
        moved = Response(status=303)
        moved.headers["Location"] = addresses.path_as_uri(request.script_root) + anchor
        return _negotiated(moved, address, None)
    if address.path.startswith(_SOURCE_PREFIX) and address.path.count("/") == 3:
        document = read_source(reader, address.iri, 4 * _limit())
        if document is not None:
            return _negotiated(_html(render_template("pages/source.html", document=document)), address, None)
    return _entity(reader, address)


def _entity(reader: Reader, address: Address) -> Response:
    limit = _limit()
    description = describing.describe(reader, address.iri, limit)
    if not description.exists:
        return _not_found(address, None)
    types = description.type_iris()
    timeline = sections.control_timeline(reader, address.iri, limit) if str(iris.CG["Place"]) in types else []
    start, end = sections.time_bounds(description)
    node = f"<{address.iri}>"
    more = {"outgoing": _query_link(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}"),
            "incoming": _query_link(f"SELECT ?s ?p WHERE {{ ?s ?p {node} }}")}
    body = render_template("pages/entity.html", d=description, groups=sections.groups(description),
                           timeline=timeline, start=start, end=end, more=more, address=address)
    return _negotiated(_html(body), address, None)


@bp.get("/graph/<path:rest>")
def graph(rest: str) -> Response:
    """A named graph (real or virtual): what it holds and how to query it."""
    address = addresses.parse_path("/graph/" + rest)
    chosen = addresses.choose_format(request.headers.get("Accept"), address)
    if (unchanged := _unchanged(address, chosen)) is not None:
        return unchanged
    page = graphs.graph_page(engine().catalogue, address.iri)
    if page is None:
        return _not_found(address, chosen)
    if chosen is not None:
        rdf = service_description.serialize(graphs.graph_rdf(page, _absolute("/sparql")), chosen.name)
        return _rdf(rdf, address, chosen)
    sample = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{page.iri}> {{ ?s ?p ?o }} }} LIMIT 100"
    if page.members:
        sample = f"SELECT ?s ?p ?o FROM <{page.iri}> WHERE {{ ?s ?p ?o }} LIMIT 100"
    body = render_template("pages/graph.html", page=page, query_link=_query_link(sample))
    return _negotiated(_html(body), address, None)


@bp.get("/dataset/<path:rest>")
def dataset(rest: str) -> Response:
    """One version of the dataset: this server's if the version is current."""
    address = addresses.parse_path("/dataset/" + rest)
    chosen = addresses.choose_format(request.headers.get("Accept"), address)
    if (unchanged := _unchanged(address, chosen)) is not None:
        return unchanged
    catalogue = engine().catalogue
    if address.iri != str(iris.dataset_version(catalogue.data_version)):
        return _not_found(address, chosen)
    if chosen is not None:
        rdf = service_description.serialize(describe_service(_absolute("/sparql")), chosen.name)
        return _rdf(rdf, address, chosen)
    body = render_template("pages/dataset.html", catalogue=catalogue,
                           pages=[graphs.graph_page(catalogue, i) for i in catalogue.iris()])
    return _negotiated(_html(body), address, None)


_OVERVIEW = "conflict_graph.pages.overview"


@bp.get("/")
def landing() -> Response:
    """What the dataset is, what it covers, and where to go next."""
    service = engine()
    summary: Any = current_app.extensions.get(_OVERVIEW)
    if summary is None:
        summary = current_app.extensions[_OVERVIEW] = overviews.overview(_reader())
    catalogue = service.catalogue
    body = render_template(
        "pages/landing.html", overview=summary, catalogue=catalogue,
        triples=sum(g.triples for g in catalogue.graphs),
        dataset_path=addresses.local_path(str(iris.dataset_version(catalogue.data_version))))
    return _html(body)
