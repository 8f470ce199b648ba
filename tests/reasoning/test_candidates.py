"""Where the candidates of issue 6 differ from the native engine (and owlrl), each pinned.

``reasonable`` (PyPI, Rust) and Nemo (PyPI ``nemo-python``, module ``nmo_python``) are measured
by ``benchmarks/bench_reasoning.py``; both are in the ``bench`` extra that ``make test``
installs, and each test is skipped only when its package is absent. A test fails when a
candidate changes: then docs/reasoning.md ("Candidates measured") must change with it.

The native closure is the reference here because it equals owlrl's cleaned closure
(test_differential.py); every fixture below is also checked against owlrl where owlrl is cheap.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from conflict_graph import iris
from conflict_graph.reasoning import materialize
from conflict_graph.reasoning.closure import native_closure
from conflict_graph.reasoning.cleaning import noise_rule
from conflict_graph.reasoning.engine import RuleEngine
from conflict_graph.reasoning.synthetic import generate
from closure_support import ontology_triples

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from candidates import closures  # noqa: E402
from candidates.nemo_program import compile_program  # noqa: E402

EX = Namespace("urn:example:")
Triple = tuple[Node, Node, Node]


def _native(triples: list[Triple]) -> tuple[set[Triple], RuleEngine]:
    """The native engine's cleaned inferred triples."""
    engine = RuleEngine()
    engine.add(triples)
    return set(closures.cleaned(native_closure(engine), set(triples))), engine


def _reasonable(triples: list[Triple]) -> set[Triple]:
    """``reasonable``'s inferred triples, cleaned the same way (``xsd:string`` made plain)."""
    reasonable = pytest.importorskip("reasonable")
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(triples)
    closure = [(s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o)
               for s, p, o in reasoner.reason()]
    return set(closures.cleaned(closure, set(triples)))


def _owlrl(triples: list[Triple]) -> set[Triple]:
    dataset = Dataset()
    graph = dataset.graph(iris.ONTOLOGY_GRAPH)
    for triple in triples:
        graph.add(triple)
    report = materialize(dataset, reasoner="owlrl")
    assert not report.errors
    return set(dataset.graph(iris.INFERRED_GRAPH))


def _chain() -> list[Triple]:
    """``hasUncle`` is the chain ``hasParent`` / ``hasBrother`` (prp-spo2)."""
    chain = BNode()
    triples = [(EX.hasUncle, OWL.propertyChainAxiom, chain),
               (EX.ann, EX.hasParent, EX.bob), (EX.bob, EX.hasBrother, EX.carl)]
    graph_triples: list[Triple] = []
    from rdflib import Graph

    graph = Graph()
    Collection(graph, chain, [EX.hasParent, EX.hasBrother])
    graph_triples = list(graph)
    return triples + graph_triples


def _svf_then_intersection() -> list[Triple]:
    """LUBM's pattern: Employee ≡ Person ⊓ ∃worksFor.Organization; a Researcher is a Person
    who works for some Group, and a Group is an Organization. Only scm-svf1 (∃worksFor.Group ⊑
    ∃worksFor.Organization) chained with cls-int1 makes a Researcher an Employee."""
    from rdflib import Graph

    graph = Graph()
    wanted, group_r, members = BNode(), BNode(), BNode()
    graph.add((wanted, RDF.type, OWL.Restriction))
    graph.add((wanted, OWL.onProperty, EX.worksFor))
    graph.add((wanted, OWL.someValuesFrom, EX.Organization))
    graph.add((group_r, RDF.type, OWL.Restriction))
    graph.add((group_r, OWL.onProperty, EX.worksFor))
    graph.add((group_r, OWL.someValuesFrom, EX.Group))
    Collection(graph, members, [EX.Person, wanted])
    graph.add((EX.Employee, OWL.intersectionOf, members))
    graph.add((EX.Group, RDFS.subClassOf, EX.Organization))
    graph.add((EX.Researcher, RDFS.subClassOf, EX.Person))
    graph.add((EX.Researcher, RDFS.subClassOf, group_r))
    graph.add((EX.ann, RDF.type, EX.Researcher))
    return list(graph)


def test_reasonable_misses_property_chains() -> None:
    triples = _chain()
    uncle = (EX.ann, EX.hasUncle, EX.carl)
    native, _ = _native(triples)
    assert uncle in native and uncle in _owlrl(triples)
    assert uncle not in _reasonable(triples)


def test_reasonable_misses_scm_svf1_chained_with_cls_int1() -> None:
    triples = _svf_then_intersection()
    employee = (EX.ann, RDF.type, EX.Employee)
    native, _ = _native(triples)
    assert employee in native and employee in _owlrl(triples)
    theirs = _reasonable(triples)
    assert employee not in theirs
    assert (EX.ann, RDF.type, EX.Person) in theirs  # the rest of the closure is there


def test_reasonable_misses_schema_rules_for_domains_and_ranges() -> None:
    """scm-dom1 (a domain holds for its super-classes) and scm-dom2 (for sub-properties)."""
    triples = [(EX.leads, RDFS.domain, EX.Commander), (EX.Commander, RDFS.subClassOf, EX.Person),
               (EX.heads, RDFS.subPropertyOf, EX.leads)]
    wanted = {(EX.leads, RDFS.domain, EX.Person), (EX.heads, RDFS.domain, EX.Commander)}
    native, _ = _native(triples)
    assert wanted <= native and wanted <= _owlrl(triples)
    assert not wanted & _reasonable(triples)


def test_reasonable_reports_no_inconsistency() -> None:
    """cax-dw: the native engine records the clash; reasonable returns a closure and no error."""
    triples = [(EX.Army, OWL.disjointWith, EX.Town), (EX.x, RDF.type, EX.Army), (EX.x, RDF.type, EX.Town)]
    _, engine = _native(triples)
    assert [message for _, _, message in engine.inconsistencies]
    theirs = _reasonable(triples)
    assert (EX.x, RDF.type, OWL.Nothing) not in theirs and not any(
        noise_rule(t, ()) == "error message" for t in theirs)


def test_reasonable_types_plain_literals_as_xsd_string() -> None:
    """Merged back into an rdflib graph unchanged, its closure would duplicate every plain literal."""
    reasonable = pytest.importorskip("reasonable")
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph([(EX.town, RDFS.label, Literal("Lashio"))])
    labels = [o for _, p, o in reasoner.reason() if p == RDFS.label]
    assert labels == [Literal("Lashio", datatype=XSD.string)] and labels[0] != Literal("Lashio")


def test_reasonable_equals_native_on_a_generated_graph_except_chains_and_schema() -> None:
    """On the project's ontology every difference is one of the kinds pinned above."""
    triples = list(ontology_triples()) + list(generate(1_000, seed=3))
    native, _ = _native(triples)
    theirs = _reasonable(triples)
    assert not theirs - native
    chained = {EX_CG.statedIn, PROV.wasDerivedFrom}
    schema = {RDFS.domain, RDFS.range, RDFS.subPropertyOf, RDFS.subClassOf, OWL.inverseOf,
              OWL.equivalentProperty, OWL.equivalentClass}
    unexplained = {t for t in native - theirs if t[1] not in chained | schema}
    assert not unexplained, sorted(unexplained)[:5]
    assert {t[1] for t in native - theirs} & chained


EX_CG = iris.CG
PROV = Namespace("http://www.w3.org/ns/prov#")


def _nemo(ontology: list[Triple], data: list[Triple], folder: Path) -> tuple[set[Triple], object, object]:
    """Nemo's closure of the compiled program over ``ontology`` and ``data``, cleaned."""
    nmo = pytest.importorskip("nmo_python")
    program, schema = compile_program(ontology)
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / "ontology.nt", folder / "data.nt"]
    closures.write(ontology, files[0])
    closures.write(data, files[1])
    engine = nmo.NemoEngine(nmo.load_string(program.text([str(f) for f in files], "inferred.nt")))
    engine.reason()
    engine.write_result("inferred", nmo.NemoOutputManager(str(folder / "out")))
    produced = [(closures.from_oxigraph(q.subject), closures.from_oxigraph(q.predicate),
                 closures.from_oxigraph(q.object)) for q in closures.read(folder / "out" / "inferred.nt")]
    return set(closures.cleaned(produced + schema, set(ontology) | set(data))), engine, program


def _ground(triples: set[Triple]) -> set[Triple]:
    return {t for t in triples if not any(isinstance(x, BNode) or str(x).startswith("urn:x-bnode:")
                                          for x in t)}


def test_nemo_compiled_rules_equal_native_on_a_generated_graph(tmp_path: Path) -> None:
    ontology = list(ontology_triples())
    data = list(generate(1_000, seed=3))
    native, _ = _native(ontology + data)
    theirs, _, _ = _nemo(ontology, data, tmp_path)
    assert _ground(theirs) == _ground(native) and len(native) > 1_000


def test_nemo_compiled_rules_find_the_lubm_pattern_and_chains(tmp_path: Path) -> None:
    """The two combinations reasonable misses come out of the compiled rules."""
    svf = _svf_then_intersection()
    ontology = [t for t in svf if t[0] != EX.ann]
    theirs, engine, program = _nemo(ontology, [(EX.ann, RDF.type, EX.Researcher)], tmp_path / "svf")
    assert (EX.ann, RDF.type, EX.Employee) in theirs
    trace = engine.trace(program.fact((EX.ann, RDF.type, EX.Employee))).dict()  # type: ignore[attr-defined]
    assert program.rule_ids[trace["rule"]] == "cls-int1" and len(trace["subtraces"]) == 2  # type: ignore[attr-defined]
    chain = _chain()
    theirs, _, _ = _nemo([t for t in chain if t[1] not in (EX.hasParent, EX.hasBrother)],
                         [t for t in chain if t[1] in (EX.hasParent, EX.hasBrother)], tmp_path / "chain")
    assert (EX.ann, EX.hasUncle, EX.carl) in theirs


def test_nemo_compiled_rules_report_no_inconsistency(tmp_path: Path) -> None:
    """Not compiled on purpose (see benchmarks/candidates/nemo_program.py): a clash passes silently."""
    ontology = [(EX.Army, OWL.disjointWith, EX.Town)]
    theirs, _, _ = _nemo(ontology, [(EX.x, RDF.type, EX.Army), (EX.x, RDF.type, EX.Town)], tmp_path)
    assert theirs == set()
