"""SHACL validation of the asserted graphs, with a readable report.

The shapes come from ``graph/shapes`` (``ontology/shapes.ttl``); the data graph is the union of
every asserted graph (ontology, sources, background, user data), never the shapes and never the
inferred graph, so a violation always points at something a person wrote. pySHACL runs with
``inference="none"`` (reasoning is :mod:`conflict_graph.reasoning`'s job), SHACL-SPARQL
constraints (SHACL §5, https://www.w3.org/TR/shacl/#sparql-constraints) and the SHACL Advanced
Features (SPARQL targets; rules only ever touch pySHACL's working copy). Only results of severity
``sh:Violation`` make the data non-conforming; warnings and infos are listed all the same.

Two engines implement the same ``validate()`` call: ``pyshacl-turbo`` (the default: a Rust
implementation, about 100 times faster on the article) and ``pyshacl`` (the reference; a
differential test runs both on the article and on every fault of ``tests/test_shapes.py``).
Neither fetches anything: owl:imports are not followed, and pyshacl-turbo refuses a SHACL-SPARQL
constraint that uses ``SERVICE`` (reported as a :class:`~conflict_graph.errors.ValidationFailed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .. import iris
from ..errors import DataLoadError, ValidationFailed

__all__ = ["ENGINES", "ValidationReport", "Violation", "summary", "validate"]

#: SHACL engines :func:`validate` can run: the fast default first, then the reference.
ENGINES: tuple[str, ...] = ("pyshacl-turbo", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result (SHACL §3.6.2, https://www.w3.org/TR/shacl/#results-validation-result).

    Attributes:
        focus: the focus node, abbreviated with the known prefixes.
        path: the result path, or ``""`` for a node-level result.
        message: the result message(s), or the constraint component when there is none.
        shape: the source shape (a property shape is shown through its node shape).
        severity: ``Violation``, ``Warning`` or ``Info``.
        value: the offending value node, or ``""``.
        focus_term, path_term, value_term: the focus node, the path (when it is one IRI) and the
            value in N-Triples syntax, or ``""``: what evidence is looked up by.
    """

    focus: str
    path: str
    message: str
    shape: str
    severity: str
    value: str = ""
    focus_term: str = ""
    path_term: str = ""
    value_term: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        conforms: False if any result has severity ``sh:Violation``.
        text: a readable report listing every result.
        results: the results, sorted by focus node then shape.
    """

    conforms: bool
    text: str
    results: list[Violation] = field(default_factory=list)


def _union(dataset: Dataset, graphs: Iterable[URIRef]) -> Graph:
    union = Graph()
    for name in graphs:
        union += dataset.graph(name)
    for prefix, namespace in dataset.namespace_manager.namespaces():
        union.bind(prefix, namespace, override=False)
    return union


def _name(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    try:
        return node.n3(graph.namespace_manager)
    except Exception:  # noqa: BLE001 - rdflib raises several types for unprintable nodes
        return str(node)


def _nt(node: Node | None) -> str:
    """A node in N-Triples syntax (``""`` for none)."""
    return "" if node is None else node.n3()


def _focus(node: Node | None, data: Graph, names: Graph, depth: int = 0) -> str:
    """A focus node; a blank node is shown through a triple that points at it."""
    if not isinstance(node, BNode) or depth > 2:
        return _name(node, names)
    referrer = next(iter(data.subject_predicates(node)), None)
    if referrer is None:
        return "[] (a blank node)"
    subject, predicate = referrer
    return f"[] ({_name(predicate, names)} of {_focus(subject, data, names, depth + 1)})"


def _shape(shape: Node | None, shapes: Graph) -> str:
    parent = next(iter(shapes.subjects(SH.property, shape)), None) if shape is not None else None
    if parent is not None and not isinstance(parent, URIRef) and not isinstance(shape, URIRef):
        return "a property shape"
    if parent is not None and not isinstance(shape, URIRef):
        return f"{_name(parent, shapes)} (property {_name(shapes.value(shape, SH.path), shapes)})"
    return _name(shape, shapes)


def _results(report: Graph, shapes: Graph, data: Graph) -> list[Violation]:
    found = []
    for result in report.objects(None, SH.result):
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        component = report.value(result, SH.sourceConstraintComponent)
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        focus, value = report.value(result, SH.focusNode), report.value(result, SH.value)
        found.append(Violation(
            focus=_focus(report.value(result, SH.focusNode), data, shapes),
            path=_name(path, shapes) if isinstance(path, URIRef) else ("(complex path)" if path else ""),
            message="; ".join(messages) or f"fails {_name(component, shapes)}",
            shape=_shape(report.value(result, SH.sourceShape), shapes),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            value=_name(value, shapes),
            focus_term=_nt(focus), path_term=_nt(path) if isinstance(path, URIRef) else "",
            value_term=_nt(value),
        ))
    return sorted(found, key=lambda v: (v.focus, v.shape, v.path, v.message))


def summary(results: Sequence[Violation]) -> str:
    """One line: conforms, or how many violations and warnings there are."""
    if not results:
        return "Conforms: the data satisfies every SHACL shape."
    errors = sum(1 for r in results if r.severity == "Violation")
    return (f"{'Conforms' if not errors else 'Does not conform'}: {errors} violation(s), "
            f"{len(results) - errors} warning(s) or info(s).")


def _text(conforms: bool, results: list[Violation]) -> str:
    if not results:
        return summary(results)
    lines = [summary(results)]
    for number, result in enumerate(results, 1):
        lines.append(f"{number}. [{result.severity}] {result.message}")
        lines.append(f"   focus:   {result.focus}")
        if result.path:
            lines.append(f"   path:    {result.path}")
        if result.value:
            lines.append(f"   value:   {result.value}")
        lines.append(f"   shape:   {result.shape}")
    return "\n".join(lines)


def _run_engine(engine: str, data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """Run one SHACL engine; return (conforms, report graph).

    Raises:
        ValidationFailed: the engine cannot evaluate the shapes (pyshacl-turbo refuses ``SERVICE``
            in a SPARQL constraint, for instance).
        DataLoadError: the engine raised on the shapes (one line).
    """
    if engine == "pyshacl-turbo":
        import pyshacl_turbo as shacl  # imported here: only building needs it
    elif engine == "pyshacl":
        import pyshacl as shacl  # type: ignore[no-redef]  # slow to import; the reference engine
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}; expected one of {', '.join(ENGINES)}")
    import rdflib.plugins.sparql as rdflib_sparql

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # FROM in shape SPARQL never downloads (see shape_guard)
    try:
        conforms, report, text = shacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
            do_owl_imports=False,
        )
    except Exception as exc:  # noqa: BLE001 - SHACL engines raise many kinds for shapes they cannot use
        detail = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise DataLoadError(f"the SHACL shapes cannot be used: {detail}") from exc
    if not isinstance(report, Graph):
        raise ValidationFailed(f"the SHACL shapes cannot be evaluated: {text}", str(text))
    return bool(conforms), report


def validate(dataset: Dataset, asserted: Iterable[URIRef] | None = None, *,
             engine: str = ENGINES[0]) -> ValidationReport:
    """Validate the asserted graphs of ``dataset`` against the shapes in ``graph/shapes``.

    Args:
        dataset: holds the shapes graph and the asserted graphs.
        asserted: the graphs to validate; by default every named graph except the shapes and
            the inferred graph.
        engine: one of :data:`ENGINES`.

    Returns:
        The report. With no shapes graph (or an empty one) everything conforms.

    Raises:
        ValidationFailed: the shapes cannot be evaluated.
        DataLoadError: the engine cannot use the shapes (a SPARQL constraint that does not parse, a
            malformed shape); the message is one line.
    """
    shapes = _union(dataset, [iris.SHAPES_GRAPH])
    if len(shapes) == 0:
        return ValidationReport(True, "Conforms: there are no SHACL shapes to check.", [])
    if asserted is None:
        skip = {iris.SHAPES_GRAPH, iris.INFERRED_GRAPH}
        asserted = [g.identifier for g in dataset.graphs()
                    if isinstance(g.identifier, URIRef) and g.identifier not in skip]
    data = _union(dataset, asserted)
    conforms, report = _run_engine(engine, data, shapes)
    results = _results(report, shapes, data)
    return ValidationReport(conforms, _text(conforms, results), results)
