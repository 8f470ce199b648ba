"""The derivation store of a build (``derivations.sqlite``) read through DerivationIndex."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conflict_graph import iris
from conflict_graph.errors import ReasoningError
from conflict_graph.pipeline import inputs
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.reasoning import DERIVATIONS_FILE, Derivation, DerivationIndex, materialize, write_derivations
from conflict_graph.reasoning.engine import RULES
from pipeline_support import PIPELINE

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ORG = "http://www.w3.org/ns/org#"
CG = str(iris.CG)
ID = str(iris.ID)
TNLA = ox.NamedNode(ID + "org/tnla")
BROTHERHOOD = ox.NamedNode(ID + "org/brotherhood-alliance")
MEMBER_OF = (TNLA, ox.NamedNode(ORG + "memberOf"), BROTHERHOOD)
HAS_MEMBER = (BROTHERHOOD, ox.NamedNode(ORG + "hasMember"), TNLA)
SOURCE = str(iris.source_graph("irrawaddy-2024-op1027-phase2"))


@pytest.fixture(scope="module")
def index(real_build: BuildResult) -> DerivationIndex:
    opened = DerivationIndex.open(real_build.artifact)
    yield opened  # type: ignore[misc]
    opened.close()


def test_the_artifact_holds_the_store(real_build: BuildResult) -> None:
    assert (real_build.artifact / DERIVATIONS_FILE).is_file()


def test_an_inverse_membership_is_explained_by_prp_inv1(index: DerivationIndex) -> None:
    assert index.is_inferred(HAS_MEMBER) and index.asserted_in(HAS_MEMBER) == []
    assert index.asserted_in(MEMBER_OF) == [SOURCE] and not index.is_inferred(MEMBER_OF)
    shortest = index.derivations(HAS_MEMBER)[0]
    assert shortest.rule == "prp-inv1" and shortest.height == 1
    assert MEMBER_OF in shortest.premises
    inverse = (ox.NamedNode(ORG + "memberOf"), ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf"),
               ox.NamedNode(ORG + "hasMember"))
    assert set(shortest.premises) == {inverse, MEMBER_OF}
    assert index.asserted_in(inverse) == [str(iris.ONTOLOGY_GRAPH)]


def test_the_tnla_is_an_ethnic_army_by_the_alliance_restriction(index: DerivationIndex) -> None:
    """cls-avf: the members of an alliance of ethnic armies are ethnic armies (S01, S02)."""
    typed = (TNLA, RDF_TYPE, ox.NamedNode(CG + "EthnicArmedOrganization"))
    rules = {d.rule for d in index.derivations(typed)}
    assert "cls-avf" in rules


def test_a_triple_not_entailed_is_neither_asserted_nor_inferred(index: DerivationIndex) -> None:
    absent = (BROTHERHOOD, ox.NamedNode(ORG + "memberOf"), TNLA)
    assert index.asserted_in(absent) == [] and not index.is_inferred(absent)
    assert index.derivations(absent) == []
    assert not index.knows(ox.NamedNode(ID + "org/no-such-organisation")) and index.knows(TNLA)


def test_every_inferred_triple_has_a_well_founded_derivation(index: DerivationIndex) -> None:
    """Walk the whole closure: the shortest derivation of each inferred triple has premises that
    are asserted or have strictly lower shortest derivations, so following them ends at asserted
    triples without a cycle."""
    inferred = list(index.inferred_triples())
    assert len(inferred) > 2000
    height: dict[tuple[object, ...], int] = {}

    def shortest(triple: tuple[object, ...]) -> Derivation:
        found = index.derivations(triple)  # type: ignore[arg-type]
        assert found, f"no derivation recorded for {triple}"
        assert [d.height for d in found] == sorted(d.height for d in found)
        assert all(d.rule in RULES for d in found)
        return found[0]

    def walk(triple: tuple[object, ...], path: tuple[tuple[object, ...], ...]) -> int:
        if index.asserted_in(triple):  # type: ignore[arg-type]
            return 0
        if triple in height:
            return height[triple]
        assert triple not in path, f"cycle through {triple}"
        derivation = shortest(triple)
        below = [walk(p, path + (triple,)) for p in derivation.premises]
        assert max(below) < derivation.height
        height[triple] = derivation.height
        return derivation.height

    for triple in inferred:
        walk(triple, ())
    assert len(height) >= len(inferred)


def test_blank_nodes_keep_the_labels_of_the_dataset(index: DerivationIndex, real_build: BuildResult) -> None:
    quads = list(ox.parse(path=str(real_build.artifact / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    blank = {q.subject for q in quads if isinstance(q.subject, ox.BlankNode)}
    with_blanks = [t for t in index.inferred_triples() if isinstance(t[0], ox.BlankNode)
                   or isinstance(t[2], ox.BlankNode)]
    assert with_blanks
    for triple in with_blanks[:50]:
        assert {t for t in (triple[0], triple[2]) if isinstance(t, ox.BlankNode)} <= blank | {
            q.object for q in quads}


def test_inconsistencies_are_stored_with_their_premises(tmp_path: Path) -> None:
    fixtures = PIPELINE / "reasoning"
    files = [inputs.InputFile(fixtures / "ontology.ttl", "turtle", str(iris.ONTOLOGY_GRAPH), "ontology")]
    files += [inputs.InputFile(fixtures / n, "turtle", str(iris.source_graph(Path(n).stem)), "source")
              for n in ("consistent.ttl", "disjoint.ttl")]
    loaded = inputs.load(files)
    report = materialize(loaded.dataset)
    assert report.engine is not None
    write_derivations(tmp_path / DERIVATIONS_FILE, report.engine, loaded.dataset)
    with DerivationIndex.open(tmp_path) as index:
        (clash,) = index.inconsistencies()
    lashio = ox.NamedNode(ID + "place-lashio")
    assert clash.rule == "cax-dw" and "Disjoint classes" in clash.message
    assert len(clash.premises) == 3
    assert {t[0] for t in clash.premises if t[1] == RDF_TYPE} == {lashio}


def test_an_artifact_without_a_store_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReasoningError, match="no derivation store"):
        DerivationIndex.open(tmp_path)
