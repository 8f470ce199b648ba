"""Checks across sources that SHACL cannot make: one entity, one IRI; no unknown IRIs or terms.

SHACL sees the union of the asserted graphs, so it cannot tell which source a label came from.
These checks look at each graph separately (``conflict-graph validate`` runs them after the
shapes):

* **same label, two IRIs** — an organisation or place of one source graph has a label
  (``rdfs:label``, ``skos:prefLabel`` or ``skos:altLabel``, compared without case and extra
  spaces) that an organisation or place with a different IRI has in another graph: a source
  that reuses an entity must reuse its IRI. Unnamed-group placeholders are exempt ("allies" is
  the name of many groups).
* **unknown instance IRI** — an IRI in the project's instance namespace is used in a source or
  user graph but has no ``rdf:type`` in any graph (usually a typo, or an entity another source
  was expected to define).
* **unknown ontology term** — an IRI in the ``cg:`` namespace is used in data but not defined by
  the ontology.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from .. import iris
from ..iris import CG
from ..pipeline.inputs import LoadedData
from ..reasoning.validation import ValidationReport, Violation

__all__ = ["check", "with_source_checks"]

_LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_ENTITY_ROOTS = (CG.Organization, CG.Place)
_DATA_KINDS = frozenset({"source", "background", "user"})
_SHAPE_SAME_LABEL = "cross-source check: one entity, one IRI"
_SHAPE_UNKNOWN_IRI = "cross-source check: unknown instance IRI"
_SHAPE_UNKNOWN_TERM = "cross-source check: unknown ontology term"


def _subclasses(ontology: Graph, roots: Iterable[URIRef]) -> set[URIRef]:
    """Every class at or below ``roots`` by ``rdfs:subClassOf`` in the ontology graph."""
    found: set[URIRef] = set(roots)
    frontier = list(found)
    while frontier:
        parent = frontier.pop()
        for child in ontology.subjects(RDFS.subClassOf, parent):
            if isinstance(child, URIRef) and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _normal(label: str) -> str:
    return " ".join(label.split()).casefold()


def _data_graphs(loaded: LoadedData) -> list[tuple[str, Graph]]:
    return [(name, loaded.dataset.graph(URIRef(name))) for name, kind in loaded.kinds.items()
            if kind in _DATA_KINDS]


def _same_label(loaded: LoadedData, graphs: list[tuple[str, Graph]]) -> Iterator[Violation]:
    ontology = loaded.dataset.graph(iris.ONTOLOGY_GRAPH)
    kinds = _subclasses(ontology, _ENTITY_ROOTS) - _subclasses(ontology, [CG.UnnamedGroup])
    owners: dict[str, dict[URIRef, set[str]]] = defaultdict(lambda: defaultdict(set))
    for name, graph in graphs:
        typed = {s for s, o in graph.subject_objects(RDF.type) if o in kinds and isinstance(s, URIRef)}
        for entity in typed:
            for predicate in _LABELS:
                for value in graph.objects(entity, predicate):
                    owners[_normal(str(value))][entity].add(name)
    for label, entities in sorted(owners.items()):
        if len(entities) < 2:
            continue
        ordered = sorted(entities)
        for first_index, first in enumerate(ordered):
            for second in ordered[first_index + 1:]:
                if entities[first] == entities[second] and len(entities[first]) == 1:
                    continue  # two entities of one source: that source's own business
                yield Violation(
                    focus=f"<{second}>", path="", shape=_SHAPE_SAME_LABEL, severity="Violation",
                    value=f"<{first}>",
                    message=f"<{first}> and <{second}> both have the label \"{label}\" in different "
                            "sources: reuse one IRI for the same entity, or give each a distinct label",
                )


def _unknown(loaded: LoadedData, graphs: list[tuple[str, Graph]]) -> Iterator[Violation]:
    typed = {s for s, _, _, _ in loaded.dataset.quads((None, RDF.type, None, None)) if isinstance(s, URIRef)}
    defined = {s for s in loaded.dataset.graph(iris.ONTOLOGY_GRAPH).subjects() if isinstance(s, URIRef)}
    evidence = {o for _, _, o, _ in loaded.dataset.quads((None, CG.evidence, None, None)) if isinstance(o, URIRef)}
    instance_ns, term_ns = str(iris.ID), str(CG)
    seen_iris: dict[URIRef, str] = {}
    seen_terms: dict[URIRef, str] = {}
    for name, graph in graphs:
        for triple in graph:
            for node in triple:
                if not isinstance(node, URIRef):
                    continue
                text = str(node)
                if text.startswith(instance_ns) and node not in typed and node not in evidence:
                    seen_iris.setdefault(node, name)
                elif text.startswith(term_ns) and node not in defined:
                    seen_terms.setdefault(node, name)
    for node, graph_name in sorted(seen_iris.items()):
        yield Violation(focus=f"<{node}>", path="", shape=_SHAPE_UNKNOWN_IRI, severity="Violation",
                        message=f"<{node}> is used in <{graph_name}> but no graph gives it a type: "
                                "a typo, or an entity no source defines")
    for node, graph_name in sorted(seen_terms.items()):
        yield Violation(focus=f"<{node}>", path="", shape=_SHAPE_UNKNOWN_TERM, severity="Violation",
                        message=f"<{node}> is used in <{graph_name}> but the ontology does not define it")


def check(loaded: LoadedData) -> list[Violation]:
    """The cross-source problems of ``loaded`` (evidence already named), in a stable order."""
    graphs = _data_graphs(loaded)
    return [*_same_label(loaded, graphs), *_unknown(loaded, graphs)]


def with_source_checks(report: ValidationReport, loaded: LoadedData) -> ValidationReport:
    """``report`` (from SHACL) with the cross-source problems of ``loaded`` added."""
    problems = check(loaded)
    if not problems:
        return report
    lines = [report.text, "", f"Cross-source checks: {len(problems)} violation(s)."]
    for number, problem in enumerate(problems, 1):
        lines.append(f"{number}. [{problem.severity}] {problem.message}")
        lines.append(f"   focus:   {problem.focus}")
        lines.append(f"   check:   {problem.shape}")
    return ValidationReport(False, "\n".join(lines), [*report.results, *problems])
