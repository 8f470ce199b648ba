"""Input files: the file → graph rule, every RDF format, and errors that name the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, URIRef

from conflict_graph.pipeline import inputs; from conflict_graph import iris
from conflict_graph.errors import DataLoadError, InputError
from pipeline_support import PIPELINE, ROOT, project_files

FORMATS = PIPELINE / "formats"
BROKEN = PIPELINE / "broken"
EX = "https://example.org/formats/"


def test_embedded_rule_maps_each_project_file_to_its_graph() -> None:
    root = PIPELINE / "project"
    found = [(f.path.relative_to(root).as_posix(), f.graph, f.kind) for f in project_files()]
    assert found == [
        ("ontology/conflict-graph.ttl", str(iris.ONTOLOGY_GRAPH), "ontology"),
        ("ontology/shapes.ttl", str(iris.SHAPES_GRAPH), "shapes"),
        ("data/ttl/source/demo-article/facts.ttl", str(iris.source_graph("demo-article")), "source"),
        ("data/ttl/source/demo-article/places.ttl", str(iris.source_graph("demo-article")), "source"),
        ("data/ttl/source/single.ttl", str(iris.source_graph("single")), "source"),
        ("data/ttl/background/gazetteer.ttl", str(iris.background_graph("gazetteer")), "background"),
    ]


def test_files_of_one_source_folder_share_its_graph() -> None:
    loaded = inputs.load(project_files())
    graph = loaded.dataset.graph(iris.source_graph("demo-article"))
    subjects = {str(s) for s in graph.subjects()}
    assert str(iris.ID["org-tnla"]) in subjects and str(iris.ID["place-lashio"]) in subjects
    assert loaded.kinds[str(iris.source_graph("demo-article"))] == "source"


def test_missing_ontology_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataLoadError, match="conflict-graph.ttl"):
        inputs.embedded_files(tmp_path)


def test_source_checkout_finds_the_repository_data() -> None:
    assert inputs.embedded_root() == ROOT
    assert (inputs.embedded_root() / "ontology" / "conflict-graph.ttl").is_file()


@pytest.mark.parametrize("name", ["triples.ttl", "triples.nt", "triples.rdf", "triples.owl",
                                  "triples.jsonld"])
def test_triples_file_goes_to_a_graph_named_by_its_file_uri(name: str) -> None:
    path = FORMATS / name
    item = inputs.input_file(path)
    assert item.default_graph == path.resolve().as_uri() and item.kind == "user"
    loaded = inputs.load([item])
    graph = loaded.dataset.graph(URIRef(item.default_graph))
    assert (URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b")) in graph
    assert loaded.kinds == {item.default_graph: "user"}


@pytest.mark.parametrize("name", ["quads.trig", "quads.nq", "quads.jsonld"])
def test_quads_file_keeps_its_graphs_and_sends_default_triples_to_its_uri(name: str) -> None:
    path = FORMATS / name
    item = inputs.input_file(path)
    assert item.graph is None
    loaded = inputs.load([item])
    named = loaded.dataset.graph(URIRef(EX + "graph1"))
    default = loaded.dataset.graph(URIRef(path.resolve().as_uri()))
    assert list(named) == [(URIRef(EX + "c"), URIRef(EX + "p"), URIRef(EX + "d"))]
    assert list(default) == [(URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b"))]


def test_json_extension_is_json_ld(tmp_path: Path) -> None:
    path = tmp_path / "triples.json"
    shutil.copy(FORMATS / "triples.jsonld", path)
    assert inputs.input_file(path).format == "json-ld"
    assert len(inputs.load([inputs.input_file(path)]).dataset) == 2


def test_quads_file_naming_a_project_graph_gets_that_graph_kind(tmp_path: Path) -> None:
    path = tmp_path / "mixed.trig"
    path.write_text(f"<{iris.SHAPES_GRAPH}> {{ <urn:s> <urn:p> <urn:o> }}\n"
                    f"<{iris.source_graph('x')}> {{ <urn:s> <urn:p> <urn:o> }}\n")
    loaded = inputs.load([inputs.input_file(path)])
    assert loaded.kinds == {str(iris.SHAPES_GRAPH): "shapes", str(iris.source_graph("x")): "source"}


@pytest.mark.parametrize("graph", [iris.INFERRED_GRAPH, iris.ASSERTED_GRAPH, iris.ALL_GRAPH])
def test_reserved_graphs_cannot_be_loaded(tmp_path: Path, graph: URIRef) -> None:
    path = tmp_path / "sneaky.trig"
    path.write_text(f"<{graph}> {{ <urn:s> <urn:p> <urn:o> }}\n")
    with pytest.raises(DataLoadError, match="reserved"):
        inputs.load([inputs.input_file(path)])


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path) -> None:
    for name in ("one.ttl", "two.ttl"):
        (tmp_path / name).write_text("_:b1 <urn:p> <urn:o> .\n")
    loaded = inputs.load(inputs.collect(False, [tmp_path]))
    subjects = {s for s, _, _, _ in loaded.dataset.quads((None, URIRef("urn:p"), None, None))}
    assert len(subjects) == 2 and all(isinstance(s, BNode) for s in subjects)


def test_folders_are_searched_recursively_and_repeats_dropped(tmp_path: Path) -> None:
    (tmp_path / "deep" / "er").mkdir(parents=True)
    shutil.copy(FORMATS / "triples.ttl", tmp_path / "deep" / "er" / "a.ttl")
    shutil.copy(FORMATS / "triples.nt", tmp_path / "b.nt")
    (tmp_path / "notes.txt").write_text("not RDF")
    files = inputs.collect(False, [tmp_path, tmp_path / "b.nt"])
    assert [f.path.name for f in files] == ["b.nt", "a.ttl"]


def test_collect_puts_project_files_first() -> None:
    files = inputs.collect(True, [FORMATS / "triples.ttl"])
    assert files[0].kind == "ontology" and files[-1].kind == "user"


def test_missing_user_path_names_it() -> None:
    with pytest.raises(DataLoadError, match="no-such-file.ttl"):
        inputs.collect(False, [Path("no-such-file.ttl")])


def test_unknown_extension_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(InputError, match=r"data\.csv.*unknown RDF file extension"):
        inputs.collect(False, [path])


def test_unreadable_file_names_it(tmp_path: Path) -> None:
    item = inputs.InputFile(tmp_path / "gone.ttl", "turtle", "urn:g")
    with pytest.raises(DataLoadError, match="gone.ttl: cannot read"):
        inputs.load([item])


# One broken file per format: (file, line the message must name, words of the reason).
BROKEN_CASES = [
    ("broken.ttl", 3, "end of file"),
    ("broken.nt", 2, "object"),
    ("broken.nq", 3, "dot"),
    ("broken.trig", 4, "graph block"),
    ("broken.jsonld", 5, "bracket"),
    ("broken-type.jsonld", 6, "@type"),
    ("broken.rdf", 6, "rdf:RDFx"),
    ("broken-attributes.rdf", 6, "rdf:nodeID"),
    ("latin1.ttl", 2, "UTF-8"),
]


@pytest.mark.parametrize(("name", "line", "reason"), BROKEN_CASES)
def test_broken_file_error_names_file_and_line(name: str, line: int, reason: str) -> None:
    path = BROKEN / name
    with pytest.raises(DataLoadError) as caught:
        inputs.load([inputs.input_file(path)])
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert reason in message
