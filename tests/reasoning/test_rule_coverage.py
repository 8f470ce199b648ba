"""Every OWL 2 RL rule the engine implements fires on a small fixture, with owlrl's closure; every
rule whose head is false reports its clash."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from conflict_graph import iris
from conflict_graph.reasoning import materialize
from conflict_graph.reasoning.engine import RULES

DATA = Path(__file__).resolve().parent / "data"
DERIVING = {
    "cax-eqc1", "cax-eqc2", "cax-sco", "cls-avf", "cls-hv1", "cls-hv2", "cls-int1", "cls-int2",
    "cls-maxc2", "cls-maxqc3", "cls-maxqc4", "cls-oo", "cls-svf1", "cls-svf2", "cls-uni",
    "eq-rep-o", "eq-rep-p", "eq-rep-s", "eq-sym", "eq-trans", "prp-dom", "prp-eqp1", "prp-eqp2",
    "prp-fp", "prp-ifp", "prp-inv1", "prp-inv2", "prp-key", "prp-rng", "prp-spo1", "prp-spo2",
    "prp-symp", "prp-trp", "scm-avf1", "scm-avf2", "scm-dom1", "scm-dom2", "scm-eqc1", "scm-eqc2",
    "scm-eqp1", "scm-eqp2", "scm-hv", "scm-int", "scm-rng1", "scm-sco", "scm-spo", "scm-svf1",
    "scm-svf2", "scm-uni"}
CLASHES = {"cax-adc", "cax-dw", "cls-com", "cls-maxc1", "cls-maxqc1", "cls-maxqc2", "cls-nothing2",
           "dt-not-type", "eq-diff1", "eq-diff2", "eq-diff3", "prp-adp", "prp-asyp", "prp-irp", "prp-pdw"}


def _load(name: str) -> Dataset:
    dataset = Dataset()
    dataset.graph(iris.source_graph("rules")).parse(DATA / name, format="turtle")
    return dataset


def test_every_deriving_rule_fires_and_the_closure_equals_owlrl() -> None:
    dataset = _load("rule-coverage.ttl")
    native = materialize(dataset)
    assert native.engine is not None and native.errors == ()
    assert {RULES[r] for r in native.engine.d_rule} == DERIVING
    native_closure = set(dataset.graph(iris.INFERRED_GRAPH))
    assert materialize(dataset, reasoner="owlrl").errors == ()
    assert native_closure == set(dataset.graph(iris.INFERRED_GRAPH))


def test_every_clash_is_reported_with_its_rule() -> None:
    dataset = _load("inconsistent.ttl")
    native = materialize(dataset)
    assert native.engine is not None
    assert {RULES[rule] for rule, _, _ in native.engine.inconsistencies} == CLASHES
    assert all(premises for _, premises, _ in native.engine.inconsistencies)
    assert len(materialize(dataset, reasoner="owlrl").errors) >= 10
