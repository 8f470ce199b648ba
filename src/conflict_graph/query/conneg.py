"""Content negotiation: which serialisation answers a request.

Two tables, one per kind of answer:

* **results** (``SELECT`` and ``ASK``): SPARQL Results JSON, XML, CSV and TSV;
* **rdf** (``CONSTRUCT``, ``DESCRIBE`` and the service description): Turtle, N-Triples,
  JSON-LD, RDF/XML, TriG, N-Quads and N3.

Each table maps media types (including the aliases clients really send) and short names (the
``format`` / ``output`` / ``results`` parameter values SPARQLWrapper and others send) to one
:class:`Format`. :func:`negotiate` picks the format: a recognised parameter value wins, then the
``Accept`` header (with q-values; media type parameters such as ``charset`` are ignored), then the
table's default when the client states no preference. A client that states preferences none of
which can be met gets :class:`~conflict_graph.errors.NotAcceptable` (HTTP 406).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..errors import NotAcceptable, QueryError

__all__ = [
    "FORMATS",
    "KINDS",
    "best_match",
    "Format",
    "format_hinted",
    "format_named",
    "formats_for",
    "negotiate",
    "negotiate_remembered",
    "prefers_json",
]


@dataclass(frozen=True)
class Format:
    """One serialisation the server can write.

    Attributes:
        name: short name used in this code base (``json``, ``turtle``, ...).
        media_type: the canonical media type, sent as ``Content-Type``.
        kind: ``results`` or ``rdf``.
        aliases: other media types that select it.
        names: ``format``/``output`` parameter values that select it.
        label: a human name for documentation and error messages.
        spec: the IRI of the format (``http://www.w3.org/ns/formats/...``) for the service description.
    """

    name: str
    media_type: str
    kind: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    label: str = ""
    spec: str = ""

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value, with a charset for the text formats."""
        return f"{self.media_type}; charset=utf-8"

    def media_types(self) -> tuple[str, ...]:
        """The canonical media type and every alias."""
        return (self.media_type, *self.aliases)


_W3C = "http://www.w3.org/ns/formats/"

#: Every format, in the server's order of preference within each kind (first = default).
FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "results",
           ("application/json", "text/javascript", "application/javascript"),
           ("json", "srj", "sparql-results+json"), "SPARQL Results JSON", _W3C + "SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", "results", ("application/xml", "text/xml"),
           ("xml", "srx", "sparql-results+xml"), "SPARQL Results XML", _W3C + "SPARQL_Results_XML"),
    Format("csv", "text/csv", "results", (), ("csv",), "SPARQL Results CSV", _W3C + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "results", (), ("tsv", "tab-separated-values"),
           "SPARQL Results TSV", _W3C + "SPARQL_Results_TSV"),
    Format("turtle", "text/turtle", "rdf", ("application/x-turtle", "application/turtle"),
           ("turtle", "ttl"), "Turtle", _W3C + "Turtle"),
    Format("ntriples", "application/n-triples", "rdf", (),
           ("ntriples", "n-triples", "nt"), "N-Triples", _W3C + "N-Triples"),
    Format("jsonld", "application/ld+json", "rdf", ("application/x-json+ld", "application/json"),
           ("json-ld", "jsonld", "json"), "JSON-LD", _W3C + "JSON-LD"),
    Format("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml"),
           ("rdf+xml", "rdfxml", "rdf", "xml"), "RDF/XML", _W3C + "RDF_XML"),
    Format("trig", "application/trig", "rdf", (), ("trig",), "TriG", _W3C + "TriG"),
    Format("nquads", "application/n-quads", "rdf", (), ("nquads", "n-quads", "nq"), "N-Quads",
           _W3C + "N-Quads"),
    Format("n3", "text/n3", "rdf", ("text/rdf+n3", "application/n3"), ("n3",), "N3", _W3C + "N3"),
)

#: The two kinds of answer.
KINDS = ("results", "rdf")


def formats_for(kind: str) -> tuple[Format, ...]:
    """The formats of one kind, default first."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return tuple(f for f in FORMATS if f.kind == kind)


_BY_NAME = {fmt.name: fmt for fmt in FORMATS}


def format_named(name: str) -> Format:
    """The format whose short name is ``name`` (``KeyError`` if none)."""
    return _BY_NAME[name]


def format_hinted(hint: str) -> Format | None:
    """The format of either kind a ``format`` parameter value names (see :func:`_by_hint`)."""
    return _by_hint(hint, FORMATS)


def _by_hint(hint: str, formats: Sequence[Format]) -> Format | None:
    """The format a parameter value names: a short name, a media type, or a comma-separated list
    of media types (SPARQLWrapper sends ``application/ld+json,application/x-json+ld``)."""
    for item in hint.split(","):
        value = item.strip().lower().split(";")[0].strip()
        for fmt in formats:
            if value in fmt.names or value in fmt.media_types():
                return fmt
    return None


def _accept(header: str) -> MIMEAccept:
    """Parse ``Accept``, dropping media type parameters (``charset``, ``profile``) but not q."""
    parsed = parse_accept_header(header, MIMEAccept)
    return MIMEAccept([(value.split(";")[0].strip().lower(), quality) for value, quality in parsed])


def best_match(accept: str, offers: Sequence[str]) -> str | None:
    """The offer the ``Accept`` header prefers (ties go to the earlier offer), or None."""
    return _accept(accept).best_match(offers)


def negotiate(accept: str | None, kind: str, hints: Iterable[str] = ()) -> Format:
    """Choose the format of an answer.

    Args:
        accept: the ``Accept`` header, or None.
        kind: ``results`` (SELECT/ASK) or ``rdf`` (CONSTRUCT/DESCRIBE/service description).
        hints: values of the ``format``, ``output`` and ``results`` parameters, in order. The first
            one that names a format of this kind wins; one that names a format of the other kind
            is ignored (SPARQLWrapper sends ``format=csv`` even for a CONSTRUCT query).

    Returns:
        The chosen :class:`Format`.

    Raises:
        NotAcceptable: the client accepts none of the formats of this kind.
        QueryError: a hint names no format of either kind.
    """
    formats = formats_for(kind)
    for hint in hints:
        if hint and _by_hint(hint, FORMATS) is None:
            known = ", ".join(dict.fromkeys(name for fmt in FORMATS for name in fmt.names))
            shown = hint if len(hint) <= 60 else hint[:60] + "…"
            raise QueryError(f"unknown result format {shown!r} in a format/output/results parameter; "
                             f"known: {known}, or a media type")
    for hint in hints:
        chosen = _by_hint(hint, formats) if hint else None
        if chosen is not None:
            return chosen
    if accept is None or not accept.strip():
        return formats[0]
    offers = [fmt.media_type for fmt in formats] + [alias for fmt in formats for alias in fmt.aliases]
    best = _accept(accept).best_match(offers)
    if best is None:
        available = ", ".join(f.media_type for f in formats)
        shown = accept if len(accept) <= 120 else accept[:120] + "…"
        raise NotAcceptable(
            f"none of the media types in Accept: {shown!r} can be produced for this request; "
            f"available: {available}"
        )
    return next(fmt for fmt in formats if best in fmt.media_types())


#: An ``Accept`` header, or ``format``/``output``/``results`` values together, longer than this are
#: negotiated afresh each time, never remembered (so the 256 entries stay small).
_REMEMBERED_ACCEPT = 512


@functools.lru_cache(maxsize=256)
def _negotiate_remembered(accept: str | None, kind: str, hints: tuple[str, ...]) -> Format:
    return negotiate(accept, kind, hints)


def negotiate_remembered(accept: str | None, kind: str, hints: Iterable[str] = ()) -> Format:
    """:func:`negotiate`, remembering the answers for the 256 most recent short requests (clients
    send the same few ``Accept`` headers, and parsing one costs more than a small query)."""
    hints = tuple(hints)
    if ((accept is not None and len(accept) > _REMEMBERED_ACCEPT)
            or sum(len(hint) for hint in hints) > _REMEMBERED_ACCEPT):
        return negotiate(accept, kind, hints)
    return _negotiate_remembered(accept, kind, hints)


def prefers_json(accept: str | None) -> bool:
    """True when a client would rather read JSON than plain text (used for error bodies)."""
    if not accept:
        return False
    best = best_match(
        accept, ["text/plain", "application/json", "application/sparql-results+json", "application/ld+json"]
    )
    return best is not None and best != "text/plain"
