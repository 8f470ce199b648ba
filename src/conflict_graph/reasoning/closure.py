"""The one reasoning function: the cleaned OWL 2 RL closure of a dataset into ``graph/inferred``.

:func:`materialize` runs the native engine (:mod:`.engine`) always, because its derivation and
inconsistency records are what the build stores and explanations read; with ``reasoner="owlrl"``
the published closure is owlrl's (the reference semantics), otherwise the engine's. Either closure
is cleaned by :mod:`.cleaning`.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from .. import iris
from ..errors import SettingError
from .cleaning import NOISE_RULES, external_same_as, noise_rule
from .engine import RULES, RuleEngine
from .incremental import IncrementalClosure

__all__ = ["REASONERS", "ReasoningReport", "materialize", "reasoning_graphs", "update"]

#: The reasoners ``--reasoner`` accepts.
REASONERS = ("native", "owlrl")

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class ReasoningReport:
    """The outcome of :func:`materialize`.

    Attributes:
        inferred_triples: triples in ``graph/inferred`` after cleaning.
        removed_noise: how many triples each cleaning rule removed (``literal subject``,
            ``reflexive owl:sameAs``, ..., ``asserted``, ``error message``).
        errors: inconsistencies and other problems, one readable message each.
        seconds: wall time of the closure and cleaning.
        reasoner: ``native`` or ``owlrl``: whose closure is in ``graph/inferred``.
        engine: the native engine, holding every fact, derivation and inconsistency.
        graphs: the graphs reasoned over.
        timings: seconds per step (``reason``: the native engine; ``owlrl``: the reference).
    """

    inferred_triples: int
    removed_noise: dict[str, int] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    seconds: float = 0.0
    reasoner: str = "native"
    engine: RuleEngine | None = None
    graphs: tuple[URIRef, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


def reasoning_graphs(dataset: Dataset) -> list[URIRef]:
    """Every named graph except the shapes and the inferred graph (shapes would reason into junk)."""
    skip = {iris.SHAPES_GRAPH, iris.INFERRED_GRAPH, DATASET_DEFAULT_GRAPH_ID}
    return [URIRef(g.identifier) for g in dataset.graphs() if g.identifier not in skip]


def _asserted(dataset: Dataset, graphs: Iterable[URIRef]) -> Iterator[Triple]:
    for name in graphs:
        yield from Graph(store=dataset.store, identifier=name)


def engine_errors(engine: RuleEngine) -> list[str]:
    """The engine's inconsistencies as one message each, naming the rule."""
    return sorted({f"{message} ({RULES[rule]})" for rule, _, message in engine.inconsistencies})


def native_closure(engine: RuleEngine) -> Iterator[Triple]:
    """The engine's derived facts (not asserted) as rdflib triples, uncleaned."""
    terms = engine.terms.terms
    base = engine.base
    for f, fact in enumerate(engine.facts):
        if fact is not None and f not in base:
            yield terms[fact[0]], terms[fact[1]], terms[fact[2]]


def _owlrl(dataset: Dataset, graphs: list[URIRef]) -> tuple[list[Triple], set[Node], list[str]]:
    from .owlrl_closure import ERROR_MESSAGE, ERROR_TEXT, owlrl_closure

    closure = owlrl_closure(dataset, graphs)
    messages = set(closure.subjects(RDF.type, ERROR_MESSAGE))
    errors = sorted({str(text) for m in messages for text in closure.objects(m, ERROR_TEXT)})
    return list(closure), messages, errors


def materialize(dataset: Dataset, graphs: Iterable[URIRef] | None = None, *,
                reasoner: str = "native") -> ReasoningReport:
    """Compute the cleaned OWL 2 RL closure of ``dataset`` into its ``graph/inferred``.

    Args:
        dataset: the asserted graphs; ``graph/inferred`` is replaced.
        graphs: the graphs to reason over; by default :func:`reasoning_graphs`.
        reasoner: ``native`` (default) or ``owlrl``: whose closure is published.

    Returns:
        Counts, removed noise, errors (an empty tuple means consistent), the engine and timing.

    Raises:
        SettingError: an unknown reasoner.
    """
    if reasoner not in REASONERS:
        raise SettingError(f"unknown reasoner {reasoner!r}: expected one of {', '.join(REASONERS)}")
    started = time.perf_counter()
    names = reasoning_graphs(dataset) if graphs is None else list(graphs)
    engine = RuleEngine()
    engine.add(_asserted(dataset, names))
    return _publish(dataset, engine, names, reasoner, started)


def update(dataset: Dataset, state: IncrementalClosure, changed: Collection[str]) -> ReasoningReport:
    """Bring ``state`` (the native closure of an earlier build) to ``dataset`` and publish it.

    Graphs named in ``changed``, and graphs ``state`` does not have, are applied as a difference
    (:meth:`IncrementalClosure.set_graph`); graphs ``state`` has but ``dataset`` lacks are
    removed; every other graph is unchanged, and ``dataset`` takes its triples from ``state``
    so that blank nodes keep the labels of the stored derivations.
    """
    started = time.perf_counter()
    names = reasoning_graphs(dataset)
    present = {str(n) for n in names}
    for name in [g for g in state.graphs if g not in present]:
        state.remove_graph(name)
    for name in names:
        graph = Graph(store=dataset.store, identifier=name)
        if str(name) in changed or str(name) not in state.graphs:
            state.set_graph(str(name), graph)
        elif any(isinstance(t, BNode) for triple in graph for t in triple):
            graph.remove((None, None, None))
            graph.addN((s, p, o, graph) for s, p, o in state.triples(str(name)))
    return _publish(dataset, state.engine, names, "native", started)


def _publish(dataset: Dataset, engine: RuleEngine, names: list[URIRef], reasoner: str,
             started: float) -> ReasoningReport:
    """Clean the closure (the engine's, or owlrl's) and write it into ``graph/inferred``."""
    timings = {"reason": time.perf_counter() - started}
    errors = engine_errors(engine)
    if reasoner == "owlrl":
        mark = time.perf_counter()
        closure, messages, errors = _owlrl(dataset, names)
        timings["owlrl"] = time.perf_counter() - mark
    else:
        closure, messages = list(native_closure(engine)), set()
    # The native closure holds no fact of the reasoned graphs (they are the engine's base): only
    # the other graphs (the shapes) can still assert one of its triples.
    reasoned = set(names)
    asserted = {t for g in dataset.graphs() if g.identifier != iris.INFERRED_GRAPH
                and (reasoner == "owlrl" or g.identifier not in reasoned) for t in g}
    noise = dict.fromkeys(NOISE_RULES, 0)
    kept = []
    for triple in closure:
        rule = noise_rule(triple, asserted, messages)
        if rule is None:
            kept.append(triple)
        else:
            noise[rule] += 1
    dataset.remove_graph(iris.INFERRED_GRAPH)
    inferred = dataset.graph(iris.INFERRED_GRAPH)
    inferred.addN((s, p, o, inferred) for s, p, o in kept)
    same_as = [t for g in dataset.graphs() if g.identifier != iris.INFERRED_GRAPH
               for t in g.triples((None, OWL.sameAs, None))] + [t for t in kept if t[1] == OWL.sameAs]
    errors = list(errors) + external_same_as(same_as)
    return ReasoningReport(len(kept), noise, tuple(errors), time.perf_counter() - started, reasoner,
                           engine, tuple(names), timings)
