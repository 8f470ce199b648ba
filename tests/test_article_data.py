"""The article graph uses every sentence, quotes it verbatim, and gives every fact its evidence.

These are properties of the data in ``data/ttl/``; the SHACL shapes check each node on its own,
these tests check the graph as a whole against the source article.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, SKOS, Namespace

from conflict_graph.pipeline import inputs; from conflict_graph import iris
from conflict_graph.iris import CG

ROOT = Path(__file__).resolve().parents[1]
SLUG = "irrawaddy-2024-op1027-phase2"
ARTICLE = ROOT / "data" / "sources" / "irrawaddy-2024-op1027-phase2.txt"
DOCUMENT = iris.ID[f"source/{SLUG}"]
OA = Namespace("http://www.w3.org/ns/oa#")
SELECTORS = (OA.TextPositionSelector, OA.TextQuoteSelector)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return inputs.load(inputs.collect()).dataset


@pytest.fixture(scope="module")
def article(dataset: Dataset) -> Graph:
    return dataset.graph(iris.source_graph(SLUG))


@pytest.fixture(scope="module")
def ontology(dataset: Dataset) -> Graph:
    return dataset.graph(iris.ONTOLOGY_GRAPH)


def quotes(article: Graph) -> dict[str, URIRef]:
    return {str(article.value(q, CG.sentenceId)): q for q in article.subjects(RDF.type, CG.Quote)}


def test_snapshot_is_the_source_article(article: Graph) -> None:
    snapshot = article.value(DOCUMENT, CG.textSnapshot)
    text = str(article.value(snapshot, RDF.value))
    assert text == ARTICLE.read_text(encoding="utf-8")
    assert str(article.value(snapshot, CG.sha256)) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_quotes_file_is_what_the_generator_writes() -> None:
    """data/ttl/source/<slug>/quotes.ttl is generated, never edited by hand."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "quote_source.py"), str(ARTICLE),
         str(ARTICLE.with_name(SLUG + ".sentences.tsv")), SLUG],
        capture_output=True, text=True, check=True,
    )
    quotes = ROOT / "data" / "ttl" / "source" / SLUG / "quotes.ttl"
    assert result.stdout == quotes.read_text(encoding="utf-8")


def test_every_sentence_and_heading_is_a_quote(article: Graph) -> None:
    ids = set(quotes(article))
    assert ids == {f"S{n:02d}" for n in range(1, 33)} | {f"H{n}" for n in range(1, 8)}


def test_every_sentence_supports_a_fact(article: Graph) -> None:
    used = {str(article.value(q, CG.sentenceId)) for q in article.objects(None, PROV.entity)}
    unused = {sid for sid in quotes(article) if sid.startswith("S")} - used
    assert not unused, f"sentences that support no fact: {sorted(unused)}"


def _is_node_of_kind(node: URIRef, graph: Graph, ontology: Graph, kinds: set[URIRef]) -> bool:
    types = set(graph.objects(node, RDF.type))
    for cls in list(types):
        types |= set(ontology.transitive_objects(cls, RDFS.subClassOf))
    return bool(types & kinds)


def test_every_plain_fact_has_a_statement_with_evidence(article: Graph, ontology: Graph) -> None:
    """Plain triples about entities are reified as cg:TripleStatement with evidence.

    Names given for display (rdfs:label, skos:prefLabel), comments, and the filing of a named
    thing under a generic kind (organisation, place, country, region, unnamed-group and
    group-of-installations placeholders) are the graph's own bookkeeping, not the article's
    facts; every more specific type the article gives (a garrison town, an ethnic army, a
    regional command) must be sourced.
    """
    carriers = {CG.Statement, CG.Event, CG.Evidence, CG.SourceDocument, CG.SourceText, CG.Quote,
                CG.Tension, CG.BoundDerivation}
    bookkeeping_types = {
        CG.UnnamedGroup,
        CG.InstallationGroup,
        CG.Organization,
        CG.Place,
        CG.Country,
        CG.StateOrRegion,
        CG.InformalRegion,
    }
    recorded = {
        (article.value(s, RDF.subject), article.value(s, RDF.predicate), article.value(s, RDF.object))
        for s in article.subjects(RDF.type, CG.TripleStatement)
    }
    unsourced = []
    for s, p, o in article:
        if isinstance(s, BNode) or not str(s).startswith(iris.BASE):
            continue
        if p in (RDFS.label, RDFS.comment, SKOS.prefLabel) or (p == RDF.type and o in bookkeeping_types):
            continue
        if (
            _is_node_of_kind(s, article, ontology, carriers)
            or any((s, RDF.type, selector) in article for selector in SELECTORS)
        ):
            continue
        if (s, p, o) not in recorded:
            unsourced.append((s, p, o))
    assert not unsourced, "facts without a statement:\n" + "\n".join(
        " ".join(t.n3() for t in f) for f in unsourced
    )


def test_no_owl_same_as_anywhere(dataset: Dataset) -> None:
    assert not list(dataset.quads((None, OWL.sameAs, None, None)))


@pytest.mark.parametrize("slug", ["gazetteer", "names"])
def test_background_never_cites_the_article(dataset: Dataset, slug: str) -> None:
    background = dataset.graph(iris.background_graph(slug))
    cited = {str(q) for q in background.objects(None, PROV.entity)}
    assert cited and not any(c.startswith(str(iris.ID["quote/"])) for c in cited)
    assert not any(str(o).startswith(str(DOCUMENT)) for o in background.objects())


def test_the_usual_mndaa_name_is_background_not_the_article(dataset: Dataset, article: Graph) -> None:
    """N2: the article spells it "Nationalities"; the usual "National" is a sourced variant."""
    usual = Literal("Myanmar National Democratic Alliance Army", lang="en")
    mndaa = iris.ID["org/mndaa"]
    assert (mndaa, SKOS.hiddenLabel, usual) in dataset.graph(iris.background_graph("names"))
    assert not list(article.triples((mndaa, None, usual)))
    as_written = Literal("Myanmar Nationalities Democratic Alliance Army", lang="en")
    assert (mndaa, SKOS.prefLabel, as_written) in article


def test_terms_used_in_the_data_are_defined(dataset: Dataset, ontology: Graph) -> None:
    defined = {s for s in ontology.subjects() if str(s).startswith(str(CG))}
    used = {
        t
        for q in dataset.quads((None, None, None, None))
        for t in (q[1], q[2])
        if isinstance(t, URIRef) and str(t).startswith(str(CG))
    }
    assert not used - defined, f"undefined cg: terms: {sorted(used - defined)}"


def test_every_ontology_term_has_label_and_definition(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects() if str(s).startswith(str(CG))}
    missing = [t for t in terms if not (ontology.value(t, RDFS.label) and ontology.value(t, SKOS.definition))]
    assert not missing, missing
    assert ontology.value(iris.ONTOLOGY_IRI, OWL.versionIRI) is not None


@pytest.mark.parametrize(
    ("slug", "hedge", "value"),
    [
        ("junta-lost-around-100-bases", CG.Around, 100),
        ("junta-lost-several-military-battalions", CG.Several, None),
        ("junta-lost-at-least-6-towns", CG.AtLeast, 6),
        ("madaya-seized-around-30-bases-and-police-stations", CG.Around, 30),
        ("singu-attacks-around-20-days", CG.Around, 20),
        ("nawnghkio-town-56-km-north-of-pyin-oo-lwin", CG.Exactly, 56),
    ],
)
def test_vague_quantities_keep_their_hedges(
    article: Graph, slug: str, hedge: URIRef, value: int | None
) -> None:
    quantity = iris.ID[f"quantity/{SLUG}/{slug}"]
    assert article.value(quantity, CG.hedge) == hedge
    stored = article.value(quantity, CG.quantityValue)
    assert (None if stored is None else stored.toPython()) == value
