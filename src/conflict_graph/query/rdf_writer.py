"""Writers for CONSTRUCT and DESCRIBE results, cut at the same caps as SELECT results.

pyoxigraph writes every RDF format, but only whole graphs. The triples are read one at a time
and kept while their N-Triples form fits the byte cap (and the row cap is not reached); the kept
triples are then written in the requested format. A format wordier than N-Triples (RDF/XML,
JSON-LD) can still come out longer than the cap: the tail is then dropped and the rest written
again, so the document never exceeds the cap and always ends at a triple boundary.

RDF/XML cannot write every graph: a predicate needs a local name that is an XML name (no
``http://example.org/1``), and XML 1.0 cannot carry some characters an RDF literal may hold.
pyoxigraph then writes a document that is not well-formed XML, so the output is checked with a
namespace-aware XML parser, and a graph RDF/XML cannot carry is refused (HTTP 406) with the
formats that can.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ..errors import NotAcceptable
from .results import Written

__all__ = ["RDF_FORMATS", "write_triples"]

#: conneg format name → pyoxigraph format.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
    "n3": ox.RdfFormat.N3,
}
_PREFIXED = frozenset({"turtle", "trig", "n3", "rdfxml"})
_INSTEAD = "ask for Turtle, N-Triples or JSON-LD instead (Accept: text/turtle)"


def _serialize(triples: list[ox.Triple], format_name: str, prefixes: Mapping[str, str]) -> bytes:
    rdf_format = RDF_FORMATS[format_name]
    items: list[ox.Triple] | list[ox.Quad] = triples
    if rdf_format.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    if format_name in _PREFIXED and prefixes:
        try:
            return ox.serialize(items, format=rdf_format, prefixes=dict(prefixes)) or b""
        except ValueError:  # a prefix the writer rejects: write full IRIs instead
            pass
    return ox.serialize(items, format=rdf_format) or b""


def _check_xml(body: bytes) -> None:
    """Refuse RDF/XML that is not well-formed (namespace-aware) XML 1.0."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(body, True)
    except xml.parsers.expat.ExpatError as exc:
        raise NotAcceptable(
            f"this graph cannot be written as RDF/XML ({exc}: a predicate IRI with no XML local "
            f"name, or a character XML 1.0 cannot carry); {_INSTEAD}"
        ) from None


def write_triples(triples: Iterable[ox.Triple], format_name: str, prefixes: Mapping[str, str], *,
                  max_rows: int = 0, max_bytes: int = 0) -> Written:
    """Serialise a graph result, stopping at a row or byte cap.

    Args:
        triples: the result, read lazily (at most one triple past a cap).
        format_name: a key of :data:`RDF_FORMATS`.
        prefixes: prefix → namespace, offered to the writers that abbreviate IRIs.
        max_rows: the row cap (0: none).
        max_bytes: the byte cap on the whole document (0: none).

    Raises:
        NotAcceptable: RDF/XML was asked for and cannot carry this graph.
    """
    kept: list[ox.Triple] = []
    estimate = 0
    cut = None
    for triple in triples:
        if max_rows > 0 and len(kept) == max_rows:
            cut = "max-rows"
            break
        size = len(str(triple).encode("utf-8")) + 3  # its N-Triples line: " .\n"
        if max_bytes > 0 and estimate + size > max_bytes:
            cut = "max-response-bytes"
            break
        kept.append(triple)
        estimate += size
    body = _serialize(kept, format_name, prefixes)
    while max_bytes > 0 and len(body) > max_bytes and kept:
        keep = min(len(kept) - 1, int(len(kept) * max_bytes / len(body) * 0.9))
        del kept[keep:]
        cut = "max-response-bytes"
        body = _serialize(kept, format_name, prefixes)
    if format_name == "rdfxml":
        _check_xml(body)
    return Written(body, len(kept), cut)
