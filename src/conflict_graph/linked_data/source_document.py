"""A source document as a page: its stored text, each sentence that carries facts highlighted,
and for each sentence the facts it supports.

The text is the ``rdf:value`` of the document's ``cg:SourceText``; a sentence is a ``cg:Quote``
whose ``oa:TextPositionSelector`` gives code-point offsets into it (Web Annotation Data Model
§4.2.4), so a Python string slice cuts it out exactly. Each sentence gets the anchor of its
quote IRI's last segment (``#s06``), which is where a quote IRI resolves for a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .reader import Reader
from .terms import Term

__all__ = ["Fact", "Passage", "SourceDocument", "read_source"]


@dataclass(frozen=True)
class Fact:
    """A fact a sentence supports: an n-ary node, or a triple statement (subject, predicate, object),
    each term with its label (the term's value when it has none)."""

    iri: str
    label: str
    status: str
    status_label: str
    triple: tuple[tuple[Term, str], tuple[Term, str], tuple[Term, str]] | None = None
    stance: str | None = None  # cg:Overstates, cg:Weakens or cg:Contradicts: the sentence does not support it


@dataclass
class Passage:
    """A stretch of the text: a sentence (with its quote and facts) or the text between sentences."""

    text: str
    quote: str | None = None
    sentence_id: str | None = None
    facts: list[Fact] = field(default_factory=list)

    @property
    def anchor(self) -> str | None:
        return self.quote.rstrip("/").rsplit("/", 1)[-1] if self.quote else None


@dataclass
class SourceDocument:
    """A document with its text cut into passages."""

    iri: str
    title: str
    url: str | None
    publisher: tuple[str, str] | None
    passages: list[Passage]

    @property
    def sentences(self) -> list[Passage]:
        return [p for p in self.passages if p.quote]


def read_source(reader: Reader, document: str, limit: int) -> SourceDocument | None:
    """The document's page, or None if ``document`` is not a ``cg:SourceDocument`` with stored text.

    ``limit`` bounds the sentences and the facts read.
    """
    node = f"<{document}>"
    head = reader.select(f"""
SELECT ?title ?url ?publisher ?plabel ?text WHERE {{
  {node} a cg:SourceDocument .
  ?snapshot a cg:SourceText ; prov:wasQuotedFrom {node} ; rdf:value ?text .
  OPTIONAL {{ {node} dct:title ?title }} OPTIONAL {{ {node} <http://schema.org/url> ?url }}
  OPTIONAL {{ {node} cg:publishedBy ?publisher OPTIONAL {{ ?publisher skos:prefLabel ?plabel }} }}
}} LIMIT 1""")
    if not head:
        return None
    row = head[0]
    quotes = reader.select(f"""
SELECT ?quote ?sid ?start ?end WHERE {{
  ?quote a cg:Quote ; prov:wasQuotedFrom {node} ; cg:sentenceId ?sid ;
         oa:hasSelector [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] .
}} ORDER BY ?start LIMIT {limit}""")
    facts = reader.select(f"""
SELECT ?quote ?fact ?status ?stance ?flabel ?slabel ?s ?p ?o ?sl ?pl ?ol WHERE {{
  ?quote a cg:Quote ; prov:wasQuotedFrom {node} .
  ?e prov:entity ?quote ; cg:epistemicStatus ?status . ?fact cg:evidence ?e .
  OPTIONAL {{ ?e cg:stance ?stance FILTER(?stance != cg:Supports) }}
  OPTIONAL {{ ?fact rdfs:label ?flabel }}
  OPTIONAL {{ ?status skos:prefLabel ?slabel }}
  OPTIONAL {{ ?fact rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
             OPTIONAL {{ ?s skos:prefLabel ?sl }} OPTIONAL {{ ?p rdfs:label ?pl }}
             OPTIONAL {{ ?o skos:prefLabel ?ol }} }}
}} ORDER BY ?quote ?fact LIMIT {8 * limit}""")
    by_quote: dict[str, list[Fact]] = {}
    for fact in facts:
        entry = _fact(fact)
        listed = by_quote.setdefault(fact["quote"].value, [])
        if all(f.iri != entry.iri for f in listed):
            listed.append(entry)
    text = row["text"].value
    publisher = (row["publisher"].value, row["plabel"].value if "plabel" in row else row["publisher"].value) \
        if "publisher" in row else None
    return SourceDocument(document, row["title"].value if "title" in row else document,
                          row["url"].value if "url" in row else None, publisher,
                          _passages(text, quotes, by_quote))


def _fact(row: dict[str, Term]) -> Fact:
    def pair(name: str, label: str) -> tuple[Term, str]:
        return row[name], row[label].value if label in row else row[name].value

    triple = (pair("s", "sl"), pair("p", "pl"), pair("o", "ol")) if "s" in row else None
    iri = row["fact"].value
    return Fact(iri, row["flabel"].value if "flabel" in row else iri, row["status"].value,
                row["slabel"].value if "slabel" in row else row["status"].value, triple,
                row["stance"].value if "stance" in row else None)


def _passages(text: str, quotes: list[dict[str, Term]], facts: dict[str, list[Fact]]) -> list[Passage]:
    passages: list[Passage] = []
    position = 0
    for quote in quotes:
        start, end = int(quote["start"].value), int(quote["end"].value)
        if start < position or end > len(text) or end < start:
            continue  # overlapping or out of range: the text stays whole, the sentence unmarked
        if start > position:
            passages.append(Passage(text[position:start]))
        iri = quote["quote"].value
        passages.append(Passage(text[start:end], iri, quote["sid"].value, facts.get(iri, [])))
        position = end
    if position < len(text):
        passages.append(Passage(text[position:]))
    return passages
