"""The native engine's cleaned closure equals owlrl's (the reference) triple for triple.

Each case reasons over one rdflib dataset twice (so blank nodes are the same nodes): the article
with its background graphs, a generated conflict-like graph of 10^4 triples, and a fifth of
LUBM(1,0) (departments 0-2 and the university; owlrl needs about 2.5 minutes for the whole of it
here, the slice keeps the suite to one short owlrl run; the whole of LUBM(1) is checked against
the official query answers in test_lubm.py). Both closures are also consistent.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Dataset

from conflict_graph import iris
from conflict_graph.pipeline import inputs
from conflict_graph.reasoning import materialize
from conflict_graph.reasoning.synthetic import generate
from closure_support import ontology_triples
from lubm_support import load as load_lubm


def _article() -> Dataset:
    return inputs.load(inputs.collect()).dataset


def _generated() -> Dataset:
    dataset = Dataset()
    graph = dataset.graph(iris.ONTOLOGY_GRAPH)
    for triple in ontology_triples():
        graph.add(triple)
    source = dataset.graph(iris.source_graph("generated"))
    for triple in generate(10_000, seed=7):
        source.add(triple)
    return dataset


def _lubm_fifth() -> Dataset:
    return load_lubm(departments=(0, 1, 2))


@pytest.mark.parametrize("load", [_article, _generated, _lubm_fifth], ids=["article", "generated-1e4", "lubm-fifth"])
def test_native_closure_equals_owlrl_closure(load: Callable[[], Dataset]) -> None:
    dataset = load()
    native = materialize(dataset, reasoner="native")
    native_closure = set(dataset.graph(iris.INFERRED_GRAPH))
    reference = materialize(dataset, reasoner="owlrl")
    owlrl_closure = set(dataset.graph(iris.INFERRED_GRAPH))
    assert native.errors == reference.errors == ()
    assert len(native_closure) > 1000
    assert native_closure == owlrl_closure
