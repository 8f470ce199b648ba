"""Project IRIs ↔ the server's own paths, and the RDF formats each IRI is served in.

Every IRI the project mints starts with :data:`conflict_graph.iris.BASE`
(``https://w3id.org/conflict-graph/``). The server answers the rest of the IRI as its path:
``…/id/org/mndaa`` is ``/id/org/mndaa``, ``…/graph/inferred`` is ``/graph/inferred``. A path
may end in a format suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``) that names the IRI without
it and the format to answer in. The w3id.org redirect (``w3id/.htaccess``) sends the public IRI to
the same path on a deployment, whose address is the ``public_base_url`` setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph

from ..errors import NotAcceptable
from ..iris import BASE
from ..query.conneg import FORMATS, Format, best_match

__all__ = ["RDF_FORMATS", "SUFFIXES", "Address", "as_uri", "choose_format", "iri_of_path",
           "is_acceptable_iri", "local_path", "parse_path", "path_as_uri", "quote_anchor"]

#: Path suffix → the RDF format it asks for (Cool URIs §4.3: one URL per representation).
SUFFIXES: dict[str, str] = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".rdf": "rdfxml"}

#: The RDF formats an IRI is served in, in the server's order of preference.
RDF_FORMATS: tuple[Format, ...] = tuple(f for name in SUFFIXES.values() for f in FORMATS if f.name == name)

#: The first path segments the server answers as project IRIs (``/ontology`` is served apart).
SPACES = ("id", "graph", "dataset")


@dataclass(frozen=True)
class Address:
    """A request path read as a project IRI.

    Attributes:
        iri: the project IRI the path stands for.
        path: the path without its format suffix (``/id/org/mndaa``).
        format: the format a suffix asked for (None: negotiate by ``Accept``).
    """

    iri: str
    path: str
    format: Format | None = None

    def suffixed(self, fmt: Format) -> str:
        """The path of one representation: ``/id/org/mndaa.ttl``."""
        suffix = next(s for s, name in SUFFIXES.items() if name == fmt.name)
        return self.path + suffix


def iri_of_path(path: str) -> str:
    """The project IRI of a local path (``/id/org/mndaa`` → ``https://w3id.org/conflict-graph/id/org/mndaa``)."""
    return BASE + path.lstrip("/")


def local_path(iri: str) -> str | None:
    """The local path of a project IRI (keeping a fragment), or None for an IRI from elsewhere."""
    if not iri.startswith(BASE):
        return None
    return "/" + iri[len(BASE):]


def parse_path(path: str) -> Address:
    """Read a request path: strip a known format suffix and name the IRI it stands for."""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix) and len(path) > len(suffix):
            bare = path[: -len(suffix)]
            fmt = next(f for f in RDF_FORMATS if f.name == name)
            return Address(iri_of_path(bare), bare, fmt)
    return Address(iri_of_path(path), path)


def is_acceptable_iri(iri: str) -> bool:
    """True when ``iri`` is an absolute IRI (RFC 3987 §2.2, as pyoxigraph reads it: none of
    ``<>"{}|^`\\``, space or control characters, no ``[`` outside a host, no ``%`` without two hex
    digits), so a page query can name it between ``<`` and ``>`` without a syntax error."""
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


def as_uri(iri: str) -> str:
    """``iri`` as a URI, fit for an HTTP header: every character outside RFC 3986's unreserved and
    reserved sets percent-encoded as UTF-8 (RFC 3987 §3.1), so no control character, space or
    non-ASCII letter reaches a header."""
    return quote(iri, safe=":/?#[]@!$&'()*+,;=%-._~")


def path_as_uri(path: str) -> str:
    """A decoded request path as the path of a URI reference (RFC 3986 §3.3): every character
    but ``/`` and a path segment's own (unreserved, sub-delims, ``:``, ``@``) percent-encoded,
    ``%``, ``?``, ``#``, ``[`` and ``]`` included, so it names the same path when read again."""
    return quote(path, safe="/:@!$&'()*+,;=-._~")


def quote_anchor(path: str) -> str | None:
    """Where a quote path points a browser: ``/id/quote/<source>/s06`` → ``/id/source/<source>#s06``."""
    parts = path.strip("/").split("/")
    if len(parts) == 4 and parts[:2] == ["id", "quote"]:
        return f"/id/source/{path_as_uri(parts[2])}#{path_as_uri(parts[3])}"
    return None


#: What a resource is offered as, for content negotiation: HTML first (a browser, or no preference).
HTML = "text/html"


def choose_format(accept: str | None, address: Address) -> Format | None:
    """The representation to answer with: an RDF format, or None for HTML.

    A format suffix wins; else ``Accept`` (q-values honoured; HTML on a tie or no preference).

    Raises:
        NotAcceptable: ``Accept`` lists nothing the server can write (406).
    """
    if address.format is not None:
        return address.format
    if accept is None or not accept.strip():
        return None
    offers = [HTML] + [media for fmt in RDF_FORMATS for media in fmt.media_types()]
    best = best_match(accept, offers)
    if best is None:
        available = ", ".join([HTML] + [f.media_type for f in RDF_FORMATS])
        raise NotAcceptable(f"none of the media types in Accept: {accept[:120]!r} can be produced for "
                            f"{address.path}; available: {available}")
    return None if best == HTML else next(f for f in RDF_FORMATS if best in f.media_types())
