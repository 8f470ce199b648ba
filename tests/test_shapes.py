"""Each SHACL shape in ontology/shapes.ttl catches the fault it exists for.

A small dataset that passes every shape (tests/data/shapes/valid.ttl) is broken one fault at a
time; the validation report must then name the shape and the focus node concerned.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from conflict_graph import iris
from conflict_graph.reasoning.validation import validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "shapes" / "valid.ttl"
GRAPH = URIRef("https://example.org/shapes-fixture/graph")

PREFIXES = """
PREFIX cg:   <https://w3id.org/conflict-graph/ontology#>
PREFIX ex:   <https://example.org/shapes-fixture/>
PREFIX oa:   <http://www.w3.org/ns/oa#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
"""


def fixture_dataset(update: str | None = None) -> Dataset:
    dataset = Dataset()
    dataset.graph(iris.ONTOLOGY_GRAPH).parse(ROOT / "ontology" / "conflict-graph.ttl")
    dataset.graph(iris.SHAPES_GRAPH).parse(ROOT / "ontology" / "shapes.ttl")
    data = dataset.graph(GRAPH)
    data.parse(FIXTURE)
    if update:
        data.update(PREFIXES + update)
    return dataset


def test_fixture_conforms() -> None:
    report = validate(fixture_dataset())
    assert report.conforms, report.text


FAULTS = {
    "assertion without source": (
        "DELETE WHERE { ex:control cg:evidence ?e }",
        "SourcedFactShape",
        "ex:control",
        "Assertion without source",
    ),
    "event without source": (
        "INSERT DATA { ex:clash a cg:Clash ; rdfs:label 'Clash'@en ; cg:epistemicStatus cg:Stated }",
        "SourcedFactShape",
        "ex:clash",
        "Assertion without source",
    ),
    "reversed date bounds": (
        "DELETE { ex:control cg:latestStart ?d } INSERT { ex:control cg:latestStart '2024-06-30'^^xsd:date }"
        " WHERE { ex:control cg:latestStart ?d }",
        "DateBoundsShape",
        "ex:control",
        "Reversed date bounds",
    ),
    "date that is not an xsd:date": (
        "DELETE { ex:control cg:earliestStart ?d } INSERT { ex:control cg:earliestStart '1 July' }"
        " WHERE { ex:control cg:earliestStart ?d }",
        "DateBoundsShape",
        "ex:control",
        "xsd:date",
    ),
    "unknown control level": (
        "DELETE { ex:control cg:controlLevel ?l } INSERT { ex:control cg:controlLevel cg:TotalControl }"
        " WHERE { ex:control cg:controlLevel ?l }",
        "ControlAssertionShape",
        "ex:control",
        "Unknown or missing control level",
    ),
    "two controllers": (
        "INSERT DATA { ex:control cg:controller ex:outlet }",
        "ControlAssertionShape",
        "ex:control",
        "exactly one controller",
    ),
    "quote not found in the source text": (
        "DELETE { ex:s1 prov:value ?v }"
        " INSERT { ex:s1 prov:value 'Group A took complete control of Town B.' }"
        " WHERE { ex:s1 prov:value ?v }",
        "QuoteShape",
        "ex:s1",
        "Quote not found in the source text",
    ),
    "quote at the wrong position": (
        "DELETE { ex:s1-position oa:start ?s } INSERT { ex:s1-position oa:start 0 }"
        " WHERE { ex:s1-position oa:start ?s }",
        "QuoteShape",
        "ex:s1",
        "Quote not found in the source text",
    ),
    "wording that is not verbatim": (
        "DELETE { ex:control-evidence cg:wording ?w }"
        " INSERT { ex:control-evidence cg:wording 'seized Town B' }"
        " WHERE { ex:control-evidence cg:wording ?w }",
        "VerbatimWordingShape",
        "ex:s1",
        "The wording seized Town B is not verbatim",
    ),
    "claim without claimant": (
        "DELETE WHERE { ex:control-evidence cg:claimant ?c }",
        "EvidenceShape",
        "ex:control-evidence",
        "must name its claimant",
    ),
    "unknown epistemic status": (
        "DELETE { ex:control-evidence cg:epistemicStatus ?s }"
        " INSERT { ex:control-evidence cg:epistemicStatus cg:Rumoured }"
        " WHERE { ex:control-evidence cg:epistemicStatus ?s }",
        "EvidenceShape",
        "ex:control-evidence",
        "Unknown or missing epistemic status",
    ),
    "evidence pointing at nothing quotable": (
        "DELETE { ex:control-evidence prov:entity ?q } INSERT { ex:control-evidence prov:entity ex:town-b }"
        " WHERE { ex:control-evidence prov:entity ?q }",
        "EvidenceShape",
        "ex:control-evidence",
        "cg:Quote or cg:SourceDocument",
    ),
    "triple statement about a triple not asserted": (
        "DELETE DATA { ex:town-b cg:adjacentTo ex:town-c }",
        "TripleStatementShape",
        "ex:adjacency",
        "not asserted",
    ),
    "claimed triple asserted as a fact": (
        "INSERT DATA { ex:group-a cg:basedIn ex:town-c ."
        " ex:claimed-base a cg:TripleStatement ; rdf:subject ex:group-a ; rdf:predicate cg:basedIn ;"
        " rdf:object ex:town-c ; cg:epistemicStatus cg:Claimed ;"
        " cg:evidence [ a cg:Evidence ; prov:entity ex:s1 ; cg:epistemicStatus cg:Claimed ;"
        " cg:claimant ex:group-a ] }",
        "TripleStatementShape", "ex:claimed-base", "asserted as a fact"),
    "quantity without unit": (
        "DELETE WHERE { ex:distance cg:unit ?u }",
        "ReportedQuantityShape",
        "ex:distance",
        "exactly one unit",
    ),
    "quantity without value that is not 'several'": (
        "DELETE WHERE { ex:distance cg:quantityValue ?v }",
        "ReportedQuantityShape",
        "ex:distance",
        "must be hedged as 'several'",
    ),
    "owl:sameAs to another dataset": (
        "INSERT DATA { ex:town-b owl:sameAs <http://www.wikidata.org/entity/Q1> }",
        "NoSameAsShape",
        "ex:town-b",
        "owl:sameAs is not allowed",
    ),
    "entity without label": (
        "DELETE WHERE { ex:town-c rdfs:label ?l }",
        "LabelledEntityShape",
        "ex:town-c",
        "needs an rdfs:label",
    ),
    "reversed publication date bounds": (
        "DELETE { ex:doc cg:latestPublicationDate ?d }"
        " INSERT { ex:doc cg:latestPublicationDate '2024-07-01'^^xsd:date }"
        " WHERE { ex:doc cg:latestPublicationDate ?d }",
        "SourceDocumentShape",
        "ex:doc",
        "earliest ≤ latest",
    ),
    "statement without tense, aspect and modality": (
        "DELETE WHERE { ex:adjacency cg:tenseAspect ?t }",
        "TenseAspectShape",
        "ex:adjacency",
        "tense, aspect and modality",
    ),
    "unknown tense, aspect and modality": (
        "DELETE { ex:attacks cg:tenseAspect ?t } INSERT { ex:attacks cg:tenseAspect cg:Stated }"
        " WHERE { ex:attacks cg:tenseAspect ?t }",
        "TenseAspectShape",
        "ex:attacks",
        "At most one tense-aspect-modality",
    ),
    "stated fact supported only by dissenting evidence": (
        "INSERT DATA { ex:attacks-evidence cg:stance cg:Weakens }",
        "StatedFactSupportShape",
        "ex:attacks",
        "no stated evidence supports it",
    ),
    "dissenting evidence no tension explains": (
        "DELETE DATA { ex:tension cg:tensionBetween ex:heading-evidence }",
        "DissentingEvidenceShape",
        "ex:heading-evidence",
        "must be a member of a cg:Tension",
    ),
    "tension with a single member": (
        "DELETE DATA { ex:tension cg:tensionBetween ex:heading-evidence }",
        "TensionShape",
        "ex:tension",
        "at least two members",
    ),
    "tension member that is neither evidence nor statement": (
        "INSERT DATA { ex:tension cg:tensionBetween ex:town-b }",
        "TensionShape",
        "ex:tension",
        "each a cg:Evidence or a cg:Statement",
    ),
    "tension without a reconciling reading": (
        "DELETE WHERE { ex:tension cg:reconcilingReading ?r }",
        "TensionShape",
        "ex:tension",
        "reconciling reading",
    ),
    "one prevails, but which is not said": (
        "DELETE WHERE { ex:tension cg:prevails ?m }",
        "TensionShape",
        "ex:tension",
        "names the prevailing member",
    ),
    "both hold, yet one prevails": (
        "DELETE { ex:tension cg:reconciliation ?r } INSERT { ex:tension cg:reconciliation cg:BothHold }"
        " WHERE { ex:tension cg:reconciliation ?r }",
        "TensionShape",
        "ex:tension",
        "otherwise it names none",
    ),
    "unknown kind of tension": (
        "DELETE { ex:tension cg:tensionKind ?k } INSERT { ex:tension cg:tensionKind cg:Overstates }"
        " WHERE { ex:tension cg:tensionKind ?k }",
        "TensionShape",
        "ex:tension",
        "exactly one kind",
    ),
    "alliance without its statement": (
        "DELETE WHERE { ex:alliance ?p ?o }",
        "AllianceShape",
        "ex:group-a",
        "has no triple statement",
    ),
    "ally that is not an organisation": (
        "INSERT DATA { ex:group-a cg:alliedWith ex:town-b }",
        "AllianceShape",
        "ex:group-a",
        "links organisations",
    ),
    "duration that is not an xsd:duration": (
        "DELETE { ex:attacks cg:duration ?d } INSERT { ex:attacks cg:duration '10 days' }"
        " WHERE { ex:attacks cg:duration ?d }",
        "DurationShape",
        "ex:attacks",
        "xsd:duration",
    ),
    "derived bound without its sentence": (
        "DELETE WHERE { ex:attacks-start prov:entity ?q }",
        "BoundDerivationShape",
        "ex:attacks-start",
        "Name the sentence",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_shape_catches_fault(fault: str) -> None:
    update, shape, focus, message = FAULTS[fault]
    report = validate(fixture_dataset(update))
    assert not report.conforms, f"{fault} was not caught"
    matching = [r for r in report.results if shape in r.shape and r.focus == focus and message in r.message]
    assert matching, f"{fault}: expected {shape} on {focus} saying {message!r}; got:\n{report.text}"
