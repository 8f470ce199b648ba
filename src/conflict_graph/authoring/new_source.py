"""Write a new source's folder: its text, its sentences, its quotes and a facts file to fill in.

Layout under a project root (the repository, or any folder later given to ``--data``)::

    data/sources/<slug>.txt                  the text, byte for byte
    data/sources/<slug>.sentences.tsv        its sentences and headings (proposed; check them)
    data/ttl/source/<slug>/quotes.ttl        generated from the two above
    data/ttl/source/<slug>/facts.ttl         the document's metadata and a skeleton to fill in

After the sentence file is corrected by hand, ``conflict-graph source quote <slug>`` writes
``quotes.ttl`` again. ``conflict-graph validate`` then checks the facts (see
:mod:`conflict_graph.authoring.identity`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import DataLoadError, InputError
from ..iris import ID
from .quotes import quotes_turtle, turtle_string
from .sentences import Sentence, read_tsv, split, to_tsv

__all__ = ["SourceMetadata", "SourcePaths", "create_source", "requote_source", "slugify"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(name: str) -> str:
    """A lower-case, hyphenated IRI segment for a name ("The Irrawaddy" → "the-irrawaddy")."""
    return "-".join(re.findall(r"[a-z0-9]+", name.casefold().replace("’", "").replace("'", "")))


@dataclass(frozen=True)
class SourceMetadata:
    """What ``conflict-graph source new`` is told about the document.

    Attributes:
        slug: the document's IRI segment and file name (lower case, digits, hyphens).
        title: as published.
        publisher: the publishing organisation's name; its IRI is ``org/<slugified name>``, the
            same IRI every source uses for it.
        url: where it was published (http or https).
        earliest, latest: publication date bounds (equal for a known date).
        licence: a licence URL, or a short statement of rights.
        language: a BCP 47 tag.
    """

    slug: str
    title: str
    publisher: str
    url: str
    earliest: date
    latest: date
    licence: str
    language: str = "en"

    def check(self) -> None:
        """Raises InputError naming the first bad field."""
        if not _SLUG.match(self.slug):
            raise InputError(f"--slug {self.slug!r}: use lower-case letters, digits and single hyphens")
        for name, value in (("title", self.title), ("publisher", self.publisher), ("licence", self.licence)):
            if not value.strip():
                raise InputError(f"--{name} must not be empty")
        if not slugify(self.publisher):
            raise InputError(f"--publisher {self.publisher!r} has no letters or digits to name it by")
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", self.url):
            raise InputError(f"--url {self.url!r}: give the http(s) address of the document")
        if self.earliest > self.latest:
            raise InputError(f"the earliest publication date {self.earliest} is after the latest {self.latest}")


@dataclass(frozen=True)
class SourcePaths:
    """The four files of a source under a project root."""

    text: Path
    sentences: Path
    quotes: Path
    facts: Path

    @classmethod
    def under(cls, root: Path, slug: str) -> SourcePaths:
        folder = root / "data" / "ttl" / "source" / slug
        return cls(root / "data" / "sources" / f"{slug}.txt",
                   root / "data" / "sources" / f"{slug}.sentences.tsv",
                   folder / "quotes.ttl", folder / "facts.ttl")

    def all(self) -> tuple[Path, Path, Path, Path]:
        return self.text, self.sentences, self.quotes, self.facts


def _read_text(path: Path) -> str:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise DataLoadError(f"{path}: cannot read the text ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise DataLoadError(f"{path}: the text is not UTF-8 ({exc})") from exc
    if not text.strip():
        raise DataLoadError(f"{path}: the text is empty")
    return text


def _literal(text: str) -> str:
    return turtle_string(text) if ("\n" in text or '"' in text) else f'"{text}"'


def facts_skeleton(meta: SourceMetadata) -> str:
    """The facts file of a new source: the document and its publisher, then what to fill in."""
    publisher = f"<{ID}org/{slugify(meta.publisher)}>"
    licence = (f"    dct:license <{meta.licence}> ;" if re.match(r"^https?://\S+$", meta.licence)
               else f"    dct:rights {_literal(meta.licence)} ;")
    title = _literal(meta.title)
    return f"""# Facts stated by {meta.title!r} ({meta.publisher}), each with the sentence(s) that state it.
# Sentences and headings are the cg:Quote nodes of quotes.ttl (q:s01 …, q:h1 …).
#
# Every fact needs cg:evidence [ a cg:Evidence ; prov:entity q:sNN ; cg:epistemicStatus … ;
# cg:wording "words copied verbatim from that sentence" ], one overall cg:epistemicStatus and one
# cg:tenseAspect. Reuse the IRIs other sources use for the same organisation or place:
# `conflict-graph validate` reports two IRIs with the same label in different sources, and IRIs
# of the project namespace that no graph defines. See docs/modelling.md for each pattern.

@prefix cg:      <https://w3id.org/conflict-graph/ontology#> .
@prefix dct:     <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema:  <http://schema.org/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

@prefix source:  <{ID}source/> .
@prefix org_:    <{ID}org/> .
@prefix town:    <{ID}place/town/> .
@prefix control: <{ID}assertion/control/{meta.slug}/> .
@prefix stmt:    <{ID}statement/{meta.slug}/> .
@prefix tension: <{ID}tension/{meta.slug}/> .
@prefix q:       <{ID}quote/{meta.slug}/> .

source:{meta.slug} a cg:SourceDocument, schema:NewsArticle ;
    rdfs:label {_literal(f"{meta.title} ({meta.publisher})")}@{meta.language} ;
    dct:title {title} ;
    schema:url <{meta.url}> ;
    cg:publishedBy {publisher} ;
    dct:language "{meta.language}" ;
    cg:earliestPublicationDate "{meta.earliest.isoformat()}"^^xsd:date ;
    cg:latestPublicationDate "{meta.latest.isoformat()}"^^xsd:date ;
{licence}
    rdfs:comment "The text snapshot and its sentences are in quotes.ttl."@en .

{publisher} a cg:NewsOutlet ;
    rdfs:label {_literal(meta.publisher)}@{meta.language} .

# A control assertion, for example (remove the leading "# " and adapt):
#
# control:lashio-town-complete a cg:ControlAssertion ;
#     rdfs:label "… take complete control of Lashio town"@en ;
#     cg:controller org_:mndaa ;                      # the IRI the article already uses
#     cg:controlledPlace town:lashio ;
#     cg:controlLevel cg:CompleteControl ;
#     cg:epistemicStatus cg:Claimed ;
#     cg:tenseAspect cg:Past ;
#     cg:earliestStart "2024-07-25"^^xsd:date ; cg:latestStart "2024-07-25"^^xsd:date ;
#     cg:evidence [ a cg:Evidence ; prov:entity q:s01 ; cg:epistemicStatus cg:Claimed ;
#                   cg:claimant org_:mndaa ; cg:wording "…" ] .
#
# Where this source disagrees with another, record a cg:Tension between the two pieces of
# evidence (evidence IRIs are <fact>/evidence/<sentence>-<status>, e.g.
# <{ID}assertion/control/lashio-town-almost-all/evidence/s27-stated>).
"""


def _refuse_existing(paths: SourcePaths, force: bool) -> None:
    existing = [str(p) for p in paths.all() if p.exists()]
    if existing and not force:
        raise InputError(f"{', '.join(existing)} already exist(s); choose another --slug or pass --force")


def _write(path: Path, content: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def create_source(root: Path, text_file: Path, meta: SourceMetadata, *,
                  sentences: list[Sentence] | None = None, force: bool = False) -> SourcePaths:
    """Write the four files of a new source under ``root``.

    Args:
        root: the project root (holds ``data/``).
        text_file: the document's text, UTF-8.
        meta: its metadata.
        sentences: the sentence split, if given; else :func:`~.sentences.split` proposes one.
        force: overwrite existing files.

    Raises:
        InputError: bad metadata, or the files exist and ``force`` is False.
        DataLoadError: the text is unreadable, or a given sentence is not verbatim in it.
    """
    meta.check()
    paths = SourcePaths.under(root, meta.slug)
    _refuse_existing(paths, force)
    text = _read_text(text_file)
    rows = split(text) if sentences is None else sentences
    if not any(not row.is_heading for row in rows):
        raise DataLoadError(f"{text_file}: no sentence found in the text")
    quotes = quotes_turtle(text, rows, meta.slug)  # fails before anything is written
    _write(paths.text, text)
    _write(paths.sentences, to_tsv(rows))
    _write(paths.quotes, quotes)
    _write(paths.facts, facts_skeleton(meta))
    return paths


def requote_source(root: Path, slug: str) -> Path:
    """Write ``quotes.ttl`` of ``slug`` again from its text and (corrected) sentence file.

    Raises:
        InputError: bad slug. DataLoadError: a file is missing or a sentence is not verbatim.
    """
    if not _SLUG.match(slug):
        raise InputError(f"{slug!r}: use lower-case letters, digits and single hyphens")
    paths = SourcePaths.under(root, slug)
    if not paths.sentences.is_file():
        raise DataLoadError(f"{paths.sentences}: no sentence file for source {slug!r}")
    quotes = quotes_turtle(_read_text(paths.text), read_tsv(paths.sentences), slug)
    _write(paths.quotes, quotes)
    return paths.quotes
