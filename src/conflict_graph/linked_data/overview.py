"""What the dataset is and covers, for the landing page: its sources, licence, versions, counts."""

from __future__ import annotations

from dataclasses import dataclass

from .reader import Reader

__all__ = ["Overview", "Source", "overview"]

#: (label, class) pairs counted on the landing page, in the order shown.
COUNTED = (
    ("places", "cg:Place"),
    ("organisations", "org:Organization"),
    ("events", "cg:Event"),
    ("control assertions", "cg:ControlAssertion"),
    ("quoted sentences", "cg:Quote"),
)


@dataclass(frozen=True)
class Source:
    """A source document: IRI, title, publisher (IRI, label), address, publication date bounds, and
    whether the graph holds its text (an article) or only cites it (a background reference)."""

    iri: str
    title: str
    publisher: tuple[str, str] | None
    url: str | None
    earliest: str | None
    latest: str | None
    has_text: bool


@dataclass(frozen=True)
class Overview:
    """Sources, counts and licence; ``documents`` are the sources whose text the graph holds."""

    sources: tuple[Source, ...]
    counts: tuple[tuple[str, int], ...]
    licence: str | None
    contested: tuple[tuple[str, str, int], ...] = ()

    @property
    def documents(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.has_text)

    @property
    def references(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if not s.has_text)


def overview(reader: Reader, limit: int = 100) -> Overview:
    """Sources (at most ``limit``), counts of the main kinds of things, the data licence, and the
    places with the most control assertions, at most 12 (where to start reading)."""
    rows = reader.select(f"""
SELECT ?doc ?title ?publisher ?plabel ?url ?earliest ?latest ?text WHERE {{
  ?doc a cg:SourceDocument .
  BIND(EXISTS {{ ?snapshot a cg:SourceText ; prov:wasQuotedFrom ?doc }} AS ?text)
  OPTIONAL {{ ?doc dct:title ?title }} OPTIONAL {{ ?doc <http://schema.org/url> ?url }}
  OPTIONAL {{ ?doc cg:publishedBy ?publisher OPTIONAL {{ ?publisher skos:prefLabel ?plabel }} }}
  OPTIONAL {{ ?doc cg:earliestPublicationDate ?earliest }}
  OPTIONAL {{ ?doc cg:latestPublicationDate ?latest }}
}} ORDER BY DESC(?text) ?doc LIMIT {limit}""")
    sources = tuple(Source(
        row["doc"].value, row["title"].value if "title" in row else row["doc"].value,
        (row["publisher"].value, row["plabel"].value if "plabel" in row else row["publisher"].value)
        if "publisher" in row else None,
        row["url"].value if "url" in row else None,
        row["earliest"].value if "earliest" in row else None,
        row["latest"].value if "latest" in row else None,
        row["text"].value in ("true", "1")) for row in rows)
    counts_query = "SELECT " + " ".join(f"?n{i}" for i in range(len(COUNTED))) + " WHERE {\n" + "\n".join(
        f"  {{ SELECT (COUNT(DISTINCT ?x{i}) AS ?n{i}) WHERE {{ ?x{i} a {cls} }} }}"
        for i, (_, cls) in enumerate(COUNTED)) + "\n}"
    counted = reader.select(counts_query)
    first = counted[0] if counted else {}
    counts = tuple((label, int(first[f"n{i}"].value) if f"n{i}" in first else 0)
                   for i, (label, _) in enumerate(COUNTED))
    licence = reader.select("""
SELECT ?licence WHERE { <https://w3id.org/conflict-graph/ontology> dct:license ?licence } LIMIT 1""")
    contested = reader.select("""
SELECT ?place ?label (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a a cg:ControlAssertion ; cg:controlledPlace ?place . ?place skos:prefLabel ?label
} GROUP BY ?place ?label ORDER BY DESC(?n) ?label LIMIT 12""")
    return Overview(sources, counts, licence[0]["licence"].value if licence else None,
                    tuple((row["place"].value, row["label"].value, int(row["n"].value)) for row in contested))
