"""The SHACL runner (SHACL §3 validation, §5 SPARQL-based constraints) on tiny fixture shapes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from conflict_graph.pipeline import inputs; from conflict_graph import iris
from conflict_graph.reasoning.validation import validate
from pipeline_support import PIPELINE

FIXTURES = PIPELINE / "validation"
EX = "https://example.org/validation/"


def _loaded(*data: str) -> inputs.LoadedData:
    files = [inputs.InputFile(FIXTURES / "shapes.ttl", "turtle", str(iris.SHAPES_GRAPH), "shapes")]
    files += [inputs.input_file(FIXTURES / name) for name in data]
    return inputs.load(files)


def test_valid_data_conforms() -> None:
    report = validate(_loaded("valid.ttl").dataset)
    assert report.conforms
    assert report.results == []
    assert report.text.startswith("Conforms")


def test_each_violation_names_focus_path_message_and_shape() -> None:
    report = validate(_loaded("invalid.ttl").dataset)
    assert not report.conforms
    nameless = next(r for r in report.results if r.focus == "ex:nameless")  # prefixes of the files
    assert nameless.path == "ex:label"
    assert nameless.message == "An event needs a label."
    assert nameless.shape == "ex:EventShape (property ex:label)"
    assert nameless.severity == "Violation"
    for needle in ("focus:   ex:nameless", "path:    ex:label", "An event needs a label.",
                   "shape:   ex:EventShape"):
        assert needle in report.text
    assert "1 warning(s)" in report.text


def test_shacl_sparql_constraints_run() -> None:
    """SHACL §5.1: a sh:sparql SELECT constraint reports each solution as a result."""
    report = validate(_loaded("invalid.ttl").dataset)
    backwards = [r for r in report.results if r.message == "An event ends before it starts."]
    assert [r.focus for r in backwards] == ["ex:backwards"]
    assert backwards[0].value == '"2024-07-03"^^xsd:date'


def test_warnings_are_listed_but_do_not_fail() -> None:
    loaded = _loaded("valid.ttl")
    graph = loaded.dataset.graph(URIRef(next(iter(k for k in loaded.kinds if k.startswith("file:")))))
    graph.remove((URIRef(EX + "battle"), URIRef(EX + "note"), None))
    report = validate(loaded.dataset)
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]
    assert "An event should carry a note." in report.text


def test_inferred_graph_is_not_validated() -> None:
    loaded = _loaded("valid.ttl")
    loaded.dataset.graph(iris.INFERRED_GRAPH).add(
        (URIRef(EX + "ghost"), RDF.type, URIRef(EX + "Event")))
    assert validate(loaded.dataset).conforms


def test_asserted_graphs_are_validated_as_one_union(tmp_path: Path) -> None:
    """The label sits in one graph and the type in another: the union conforms."""
    (tmp_path / "typed.ttl").write_text(f"<{EX}split> a <{EX}Event> ; <{EX}note> \"n\" .\n")
    (tmp_path / "labelled.ttl").write_text(f"<{EX}split> <{EX}label> \"Split\" .\n")
    files = [inputs.InputFile(FIXTURES / "shapes.ttl", "turtle", str(iris.SHAPES_GRAPH), "shapes")]
    files += inputs.collect(False, [tmp_path])
    assert validate(inputs.load(files).dataset).conforms


def test_no_shapes_means_conforming() -> None:
    loaded = inputs.load([inputs.input_file(FIXTURES / "invalid.ttl")])
    report = validate(loaded.dataset)
    assert report.conforms and "no SHACL shapes" in report.text


def test_datatype_violation_is_reported() -> None:
    loaded = _loaded("valid.ttl")
    graph = loaded.dataset.graph(URIRef(next(k for k in loaded.kinds if k.startswith("file:"))))
    graph.set((URIRef(EX + "battle"), URIRef(EX + "start"), Literal("July 3rd")))
    report = validate(loaded.dataset)
    assert not report.conforms
    assert any(r.path == "ex:start" for r in report.results)


def test_blank_focus_node_is_shown_through_its_referrer(tmp_path: Path) -> None:
    path = tmp_path / "nested.ttl"
    path.write_text(f"<{EX}war> <{EX}part> [ a <{EX}Event> ; <{EX}note> \"n\" ] .\n")
    files = [inputs.InputFile(FIXTURES / "shapes.ttl", "turtle", str(iris.SHAPES_GRAPH), "shapes"),
             inputs.input_file(path)]
    report = validate(inputs.load(files).dataset)
    assert [r.focus for r in report.results] == ["[] (ex:part of ex:war)"]
