"""Documentation of the ontology, generated from the ontology graph itself.

:func:`ontology_rdf` asks the query service for the ontology's named graph (a ``CONSTRUCT`` over
``…/graph/ontology``) in any RDF format the service writes; :func:`document` reads the same graph
(as N-Triples, parsed with rdflib) into an :class:`OntologyDoc`: its metadata, classes with their
hierarchy, restrictions, disjoint classes and instance counts with a few examples from the data
(OWL 2 RL entailment, so an instance of a subclass counts), properties with their domains,
ranges, inverses, characteristics and chains, the SKOS concept schemes, and every alignment to an
outside vocabulary (ORG, PROV-O, GeoSPARQL, OWL-Time, SEM, SKOS, Web Annotation, schema.org …).

Everything shown comes from the graph; nothing is written twice. The template that renders it is
``web/templates/ontology/index.html``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .. import iris
from ..api.sparql_rows import SelectRunner
from ..errors import QueryError
from ..query.query_types import QueryRequest, QueryResponse
from .addresses import local_path

if TYPE_CHECKING:
    from ..query.engine import QueryService

__all__ = ["EXAMPLES_PER_CLASS", "VOCABULARIES", "Entry", "OntologyDoc", "Term", "construct_query",
           "document", "load", "ontology_rdf"]

#: Outside vocabularies the ontology aligns with: namespace → (prefix, name).
VOCABULARIES: dict[str, tuple[str, str]] = {
    "http://www.w3.org/ns/org#": ("org", "W3C Organization Ontology (ORG)"),
    "http://www.w3.org/ns/prov#": ("prov", "PROV-O"),
    "http://www.opengis.net/ont/geosparql#": ("geo", "GeoSPARQL"),
    "http://www.w3.org/2006/time#": ("time", "OWL-Time"),
    "http://semanticweb.cs.vu.nl/2009/11/sem/": ("sem", "Simple Event Model (SEM)"),
    "http://www.w3.org/2004/02/skos/core#": ("skos", "SKOS"),
    "http://www.w3.org/ns/oa#": ("oa", "Web Annotation (OA)"),
    "http://schema.org/": ("schema", "schema.org"),
    "http://purl.org/dc/terms/": ("dct", "DCMI Terms"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": ("rdf", "RDF"),
    "http://www.w3.org/2000/01/rdf-schema#": ("rdfs", "RDF Schema"),
    "http://www.w3.org/2002/07/owl#": ("owl", "OWL"),
    "http://www.w3.org/2001/XMLSchema#": ("xsd", "XML Schema datatypes"),
    "http://www.wikidata.org/entity/": ("wd", "Wikidata"),
    "http://purl.org/vocab/vann/": ("vann", "VANN"),
}
#: How many example instances each class shows.
EXAMPLES_PER_CLASS = 3
_ALIGNING = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
             SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_CHARACTERISTICS = (OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AsymmetricProperty,
                    OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.FunctionalProperty,
                    OWL.InverseFunctionalProperty)
_PROPERTY_KINDS = ((OWL.ObjectProperty, "object"), (OWL.DatatypeProperty, "datatype"),
                   (OWL.AnnotationProperty, "annotation"))


def construct_query() -> str:
    """The ``CONSTRUCT`` that returns the ontology graph, with the ontology's prefixes declared."""
    prefixes = {"cg": str(iris.CG), **{p: ns for ns, (p, _) in VOCABULARIES.items()}}
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    return (prologue + f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iris.ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
            " ORDER BY ?s ?p ?o\n")


@dataclass(frozen=True)
class Term:
    """An IRI as the page shows it: ``cg:Town`` (with its anchor) or ``org:Organization``."""

    iri: str
    label: str
    curie: str
    anchor: str | None = None  # the fragment of a cg: term, which the page defines
    vocabulary: str | None = None
    page: str | None = None  # the server path of an instance


@dataclass
class Entry:
    """One class, property or concept of the ontology."""

    term: Term
    kind: str
    definition: str | None = None
    comments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relations: list[tuple[str, list[Term | str]]] = field(default_factory=list)
    count: int | None = None
    examples: list[Term] = field(default_factory=list)


@dataclass
class OntologyDoc:
    """The whole documentation page."""

    iri: str
    version_iri: str | None
    version: str | None
    title: str
    description: str | None
    comment: str | None
    license: str | None
    creators: list[str]
    prefix: str | None
    namespace: str
    classes: list[Entry]
    class_tree: list[tuple[int, Term]]
    properties: dict[str, list[Entry]]
    schemes: list[tuple[Entry, list[Entry]]]
    alignments: list[tuple[Term, str, Term]]


class _Reader:
    """Reads terms of one graph for the page."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def text(self, node: URIRef | BNode, predicate: URIRef) -> str | None:
        values = sorted(str(v) for v in self.graph.objects(node, predicate) if isinstance(v, Literal))
        return values[0] if values else None

    def texts(self, node: URIRef | BNode, predicate: URIRef) -> list[str]:
        return sorted(str(v) for v in self.graph.objects(node, predicate) if isinstance(v, Literal))

    def term(self, iri: URIRef) -> Term:
        value = str(iri)
        label = self.text(iri, SKOS.prefLabel) or self.text(iri, RDFS.label)
        if value.startswith(str(iris.CG)):
            name = value[len(str(iris.CG)):]
            return Term(value, label or name, f"cg:{name}", anchor=name)
        for namespace, (prefix, vocabulary) in VOCABULARIES.items():
            if value.startswith(namespace):
                name = value[len(namespace):]
                return Term(value, label or name, f"{prefix}:{name}", vocabulary=vocabulary)
        return Term(value, label or value, f"<{value}>")

    def node(self, node: object) -> Term | str:
        """An IRI as a :class:`Term`; a restriction, list or literal as readable text."""
        if isinstance(node, URIRef):
            return self.term(node)
        if isinstance(node, BNode):
            return self.restriction(node)
        return str(node)

    def restriction(self, node: BNode) -> str:
        on = next(self.graph.objects(node, OWL.onProperty), None)
        for predicate, word in ((OWL.allValuesFrom, "only"), (OWL.someValuesFrom, "some"),
                                (OWL.hasValue, "value")):
            target = next(self.graph.objects(node, predicate), None)
            if on is not None and target is not None:
                return f"{self._curie(on)} {word} {self._curie(target)}"
        if (node, RDF.first, None) in self.graph:
            return " ∘ ".join(self._curie(item) for item in Collection(self.graph, node))
        return "(an anonymous class)"

    def _curie(self, node: object) -> str:
        return self.term(node).curie if isinstance(node, URIRef) else str(node)

    def related(self, node: URIRef, predicate: URIRef, inverse: bool = False) -> list[Term | str]:
        values = self.graph.subjects(predicate, node) if inverse else self.graph.objects(node, predicate)
        items = [self.node(v) for v in values if not (isinstance(v, URIRef) and v == node)]
        return sorted(items, key=lambda t: t.curie if isinstance(t, Term) else t)

    def ours(self, nodes: Iterable[object]) -> list[URIRef]:
        return sorted(n for n in nodes if isinstance(n, URIRef) and str(n).startswith(str(iris.CG)))

    def entry(self, node: URIRef, kind: str, relations: Iterable[tuple[str, URIRef, bool]]) -> Entry:
        entry = Entry(self.term(node), kind, self.text(node, SKOS.definition),
                      self.texts(node, RDFS.comment),
                      self.texts(node, SKOS.scopeNote) + self.texts(node, SKOS.example))
        for name, predicate, inverse in relations:
            values = self.related(node, predicate, inverse)
            if values:
                entry.relations.append((name, values))
        return entry


_CLASS_RELATIONS = (("subclass of", RDFS.subClassOf, False), ("superclass of", RDFS.subClassOf, True),
                    ("equivalent to", OWL.equivalentClass, False), ("disjoint with", OWL.disjointWith, False),
                    ("disjoint with", OWL.disjointWith, True), ("exact match", SKOS.exactMatch, False),
                    ("close match", SKOS.closeMatch, False), ("in the domain of", RDFS.domain, True),
                    ("in the range of", RDFS.range, True))
_PROPERTY_RELATIONS = (("sub-property of", RDFS.subPropertyOf, False),
                       ("super-property of", RDFS.subPropertyOf, True), ("domain", RDFS.domain, False),
                       ("range", RDFS.range, False), ("inverse of", OWL.inverseOf, False),
                       ("inverse of", OWL.inverseOf, True), ("equivalent to", OWL.equivalentProperty, False),
                       ("chain", OWL.propertyChainAxiom, False), ("close match", SKOS.closeMatch, False))
_CONCEPT_RELATIONS = (("broader", SKOS.broader, False), ("narrower", SKOS.broader, True),
                      ("rank", iris.CG.rank, False), ("close match", SKOS.closeMatch, False),
                      ("exact match", SKOS.exactMatch, False))


def _tree(reader: _Reader, classes: list[URIRef]) -> list[tuple[int, Term]]:
    """The cg: class hierarchy, depth first, each class under each of its cg: superclasses."""
    members = set(classes)
    children: dict[URIRef, list[URIRef]] = defaultdict(list)
    roots = []
    for cls in classes:
        parents = [p for p in reader.ours(reader.graph.objects(cls, RDFS.subClassOf))
                   if p in members and p != cls]
        for parent in parents:
            children[parent].append(cls)
        if not parents:
            roots.append(cls)
    rows: list[tuple[int, Term]] = []

    def walk(cls: URIRef, depth: int, path: frozenset[URIRef]) -> None:
        rows.append((depth, reader.term(cls)))
        for child in sorted(children[cls], key=lambda c: reader.term(c).label.lower()):
            if child not in path:
                walk(child, depth + 1, path | {child})

    for root in sorted(roots, key=lambda c: reader.term(c).label.lower()):
        walk(root, 0, frozenset({root}))
    return rows


_EXAMPLES = f"""PREFIX cg: <{iris.CG}>
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) (GROUP_CONCAT(DISTINCT STR(?x); separator=" ") AS ?xs) WHERE {{
  ?x a ?class . FILTER(STRSTARTS(STR(?class), STR(cg:)) && STRSTARTS(STR(?x), "{iris.ID}"))
}} GROUP BY ?class
"""

_LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?x ?label WHERE { VALUES ?x { %s } { ?x skos:prefLabel ?label } UNION { ?x rdfs:label ?label } }
"""


def _examples(select: SelectRunner) -> tuple[dict[str, int], dict[str, list[Term]]]:
    """Instance counts per class (OWL 2 RL entailment) and a few examples of each, with labels."""
    counts, picked = {}, {}
    for row in select(_EXAMPLES, "owl-rl"):
        counts[row["class"]] = int(row["n"])
        picked[row["class"]] = sorted(row.get("xs", "").split())[:EXAMPLES_PER_CLASS]
    wanted = sorted({iri for iris_ in picked.values() for iri in iris_})
    labels: dict[str, str] = {}
    if wanted:
        for row in select(_LABELS % " ".join(f"<{iri}>" for iri in wanted), "simple"):
            labels.setdefault(row["x"], row["label"])
    examples = {cls: [Term(iri, labels.get(iri, iri), iri[len(str(iris.ID)):], page=local_path(iri))
                      for iri in chosen]
                for cls, chosen in picked.items()}
    return counts, examples


def document(graph: Graph, select: SelectRunner | None = None) -> OntologyDoc:
    """Read the ontology graph into the documentation page.

    Args:
        graph: the ontology graph (from :func:`construct_query`).
        select: runs the examples query over the whole dataset; None: no counts or examples.
    """
    reader = _Reader(graph)
    ontology = iris.ONTOLOGY_IRI
    counts, examples = _examples(select) if select is not None else ({}, {})

    classes = reader.ours(graph.subjects(RDF.type, OWL.Class))
    class_entries = []
    for cls in sorted(classes, key=lambda c: reader.term(c).label.lower()):
        entry = reader.entry(cls, "class", _CLASS_RELATIONS)
        entry.count = counts.get(str(cls), 0 if select is not None else None)
        entry.examples = examples.get(str(cls), [])
        class_entries.append(entry)

    properties: dict[str, list[Entry]] = {}
    for rdf_type, kind in _PROPERTY_KINDS:
        entries = []
        for prop in reader.ours(graph.subjects(RDF.type, rdf_type)):
            entry = reader.entry(prop, kind, _PROPERTY_RELATIONS)
            traits = [reader.term(t).label for t in _CHARACTERISTICS if (prop, RDF.type, t) in graph]
            if traits:
                entry.relations.append(("characteristics", list(traits)))
            entries.append(entry)
        properties[kind] = sorted(entries, key=lambda e: e.term.label.lower())

    schemes = []
    for scheme in reader.ours(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        concepts = [reader.entry(c, "concept", _CONCEPT_RELATIONS)
                    for c in reader.ours(graph.subjects(SKOS.inScheme, scheme))]
        concepts.sort(key=lambda e: e.term.label.lower())
        schemes.append((reader.entry(scheme, "scheme", ()), concepts))

    alignments = []
    for predicate in _ALIGNING:
        for subject, obj in graph.subject_objects(predicate):
            if not isinstance(subject, URIRef) or not str(subject).startswith(str(iris.CG)):
                continue
            if isinstance(obj, URIRef):
                target = reader.term(obj)
                if target.vocabulary is not None and target.vocabulary not in ("OWL", "RDF Schema", "RDF"):
                    alignments.append((reader.term(subject), reader.term(predicate).curie, target))
    alignments.sort(key=lambda a: (a[2].vocabulary or "", a[0].curie, a[1], a[2].curie))

    version_iri = next(graph.objects(ontology, OWL.versionIRI), None)
    return OntologyDoc(
        iri=str(ontology),
        version_iri=str(version_iri) if version_iri is not None else None,
        version=reader.text(ontology, OWL.versionInfo),
        title=reader.text(ontology, DCTERMS.title) or "Ontology",
        description=reader.text(ontology, DCTERMS.description),
        comment=reader.text(ontology, RDFS.comment),
        license=next((str(v) for v in graph.objects(ontology, DCTERMS.license)), None),
        creators=reader.texts(ontology, DCTERMS.creator),
        prefix=reader.text(ontology, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")),
        namespace=str(iris.CG),
        classes=class_entries,
        class_tree=_tree(reader, classes),
        properties=properties,
        schemes=schemes,
        alignments=alignments,
    )


def ontology_rdf(service: QueryService, format_name: str) -> QueryResponse:
    """The ontology graph serialised in one of the service's RDF formats (``turtle``, ``jsonld`` …).

    Raises:
        QueryError: the graph has more triples than the server's row or byte cap lets through (a
            partial ontology is never served), or the query failed.
    """
    response = service.run(QueryRequest(construct_query(), format_hints=(format_name,), entailment="simple"))
    if response.truncated:
        raise QueryError(f"the ontology has more triples than this server returns ({response.truncated_by}); "
                         "raise CONFLICT_GRAPH_MAX_ROWS or CONFLICT_GRAPH_MAX_RESPONSE_BYTES")
    return response


def load(service: QueryService, select: SelectRunner | None = None) -> OntologyDoc:
    """The documentation of the ontology the service holds (its graph read as N-Triples)."""
    graph = Graph()
    graph.parse(data=ontology_rdf(service, "ntriples").body.decode("utf-8"), format="nt")
    return document(graph, select)
