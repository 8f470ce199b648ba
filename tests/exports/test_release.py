"""The release: every download written by `conflict-graph export --format release`, read back with
each consumer's own library (pyoxigraph, rdflib, PyLD, sha256 checks as `sha256sum -c` does)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, OWL, RDF, VOID

from conflict_graph.cli import main
from conflict_graph.pipeline.build import BuildResult

SPDX = Namespace("http://spdx.org/rdf/terms#")
CG = "https://w3id.org/conflict-graph/ontology#"


@pytest.fixture(scope="module")
def release(real_build: BuildResult, real_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("release")
    result = CliRunner().invoke(main, ["--cache-dir", str(real_cache_dir), "export", "--format", "release",
                                       "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _quads(path: Path, fmt: ox.RdfFormat) -> set[ox.Quad]:
    return set(ox.parse(path=str(path), format=fmt))


def test_checksums_cover_every_file_and_match(release: Path) -> None:
    listed = dict(line.split("  ", 1)[::-1] for line in (release / "SHA256SUMS").read_text().splitlines())
    assert set(listed) == {p.name for p in release.iterdir()} - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def _same_dataset(left: Dataset, right: Dataset) -> None:
    """Equal up to blank-node labels: the same graph names, each graph isomorphic."""
    a, b = _canonical(left), _canonical(right)
    assert set(a) == set(b)
    for name in b:
        assert isomorphic(a[name], b[name]), name


def test_nquads_and_trig_hold_the_same_quads_as_the_build(release: Path, real_build: BuildResult) -> None:
    built = Dataset().parse(real_build.artifact / "dataset.nq", format="nquads")
    _same_dataset(Dataset().parse(release / "dataset.nq", format="nquads"), built)
    _same_dataset(Dataset().parse(release / "dataset.trig", format="trig"), built)
    assert len(_quads(release / "dataset.nq", ox.RdfFormat.N_QUADS)) == \
        sum(g.triples for g in real_build.catalogue.graphs)


def test_void_describes_version_licence_graphs_and_files(release: Path, real_build: BuildResult) -> None:
    void = Graph().parse(release / "void.ttl", format="turtle")
    (dataset,) = set(void.subjects(RDF.type, VOID.Dataset)) - {URIRef(g.iri) for g in real_build.catalogue.graphs}
    assert str(void.value(dataset, OWL.versionInfo)) == real_build.catalogue.data_version
    assert str(void.value(dataset, URIRef("http://purl.org/dc/terms/license"))) == \
        "https://creativecommons.org/licenses/by/4.0/"
    assert int(void.value(dataset, VOID.triples)) == sum(g.triples for g in real_build.catalogue.graphs)
    for info in real_build.catalogue.graphs:
        assert int(void.value(URIRef(info.iri), VOID.triples)) == info.triples
    files = {str(d).rsplit("/", 1)[1]: d for d in void.objects(dataset, DCAT.distribution)}
    assert set(files) == {"dataset.nq", "dataset.trig", "dataset.jsonld", "context.jsonld", "events-acled.csv",
                          "places.geojson"}
    for name, distribution in files.items():
        data = (release / name).read_bytes()
        checksum = void.value(distribution, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert int(void.value(distribution, DCAT.byteSize)) == len(data)


def _canonical(dataset: Dataset) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graphs.setdefault(str(g), Graph()).add((s, p, o))
    return graphs


def test_jsonld_expands_to_exactly_the_quads(release: Path) -> None:
    """PyLD (the JSON-LD reference processor in Python) turns the file back into the N-Quads."""
    document = json.loads((release / "dataset.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["controlLevel"] == {"@id": "cg:controlLevel", "@type": "@id"}
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    from_jsonld = Dataset().parse(data=nquads, format="nquads")
    expected = Dataset().parse(release / "dataset.nq", format="nquads")
    _same_dataset(from_jsonld, expected)


def test_context_has_a_term_for_every_project_class_and_property(release: Path, real_build: BuildResult) -> None:
    context = json.loads((release / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    kinds = {str(OWL.Class), str(OWL.ObjectProperty), str(OWL.DatatypeProperty)}
    terms = {q.subject.value for q in _quads(real_build.artifact / "dataset.nq", ox.RdfFormat.N_QUADS)
             if q.predicate.value == str(RDF.type) and q.object.value in kinds
             and q.subject.value.startswith(CG)}
    assert terms and {CG + name for name, value in context.items()
                      if isinstance(value, (str, dict)) and not name.startswith("@")
                      and (value if isinstance(value, str) else value["@id"]).startswith("cg:")} >= terms
    assert context["earliestStart"] == {"@id": "cg:earliestStart", "@type": "xsd:date"}
