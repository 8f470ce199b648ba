"""RDF terms as SPARQL 1.1 Query Results JSON gives them, and their N-Triples spelling.

https://www.w3.org/TR/sparql11-results-json/#select-encode-terms — a binding is
``{"type": "uri" | "literal" | "bnode", "value": …, "datatype"?: …, "xml:lang"?: …}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DISPLAY_PREFIXES", "XSD_STRING", "Term", "compact", "ntriples"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Term:
    """One RDF term.

    Attributes:
        kind: ``uri``, ``literal`` or ``bnode``.
        value: the IRI, the lexical form or the blank node label.
        datatype: a literal's datatype IRI (None for a plain or language-tagged string).
        lang: a literal's language tag.
    """

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def from_json(cls, binding: Mapping[str, str]) -> Term:
        """A term from one SPARQL JSON binding (``typed-literal`` of old servers included)."""
        kind = binding["type"]
        if kind == "typed-literal":
            kind = "literal"
        datatype = binding.get("datatype")
        return cls(kind, binding["value"], None if datatype == XSD_STRING else datatype,
                   binding.get("xml:lang"))

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    @property
    def is_literal(self) -> bool:
        return self.kind == "literal"


def ntriples(term: Term) -> str:
    """The term in N-Triples syntax (RDF 1.1 N-Triples §2.4): ``<iri>``, ``"text"@en``, ``"1"^^<dt>``."""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    text = '"' + "".join(_ESCAPES.get(ch, ch) for ch in term.value) + '"'
    if term.lang:
        return f"{text}@{term.lang}"
    if term.datatype:
        return f"{text}^^<{term.datatype}>"
    return text


#: Prefixes used to show IRIs compactly on pages (the query page offers the same ones).
DISPLAY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("cg", "https://w3id.org/conflict-graph/ontology#"),
    ("id", "https://w3id.org/conflict-graph/id/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("geo", "http://www.opengis.net/ont/geosparql#"),
    ("sem", "http://semanticweb.cs.vu.nl/2009/11/sem/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("schema", "http://schema.org/"),
    ("time", "http://www.w3.org/2006/time#"),
)


def compact(iri: str) -> str:
    """``rdf:type`` for ``http://www.w3.org/1999/02/22-rdf-syntax-ns#type``; the IRI if no prefix fits."""
    for prefix, namespace in DISPLAY_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
