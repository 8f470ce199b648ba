"""Adding a source, end to end: ``source new``, ``validate``, queries across sources and the endpoint.

The second source is a test fixture, an invented report in ``tests/data/second-source/`` (never in
``data/``): it agrees with the Irrawaddy article on Mogoke (complete control by the TNLA and
allied PDFs on July 25) and on who took Lashio (the MNDAA), and disagrees on how much of Lashio
was taken (complete, as the MNDAA claims, against the article's "almost all" with a junta
position remaining). Its text, sentence file and quotes are what ``source new`` writes; its
facts were filled in by hand.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from conflict_graph.authoring.sentences import split, to_tsv
from conflict_graph.cli import commands
from conflict_graph.reasoning.explain_text import consistency_text
from conflict_graph.iris import CG
from conflict_graph.pipeline import build, inputs
from conflict_graph.pipeline.build import BuildResult
from named_query_support import Rows, local, query_runner
from pipeline_support import ROOT, run_cli
from serve_support import serving

SLUG = "test-fixture-invented-report"
FIXTURE = Path(__file__).parent / "data" / "second-source"
FIXTURE_TTL = FIXTURE / "data" / "ttl"
FIXTURE_TEXT = FIXTURE / "data" / "sources" / f"{SLUG}.txt"
ARTICLE = "Operation 1027: Major Gains in Phase Two of Myanmar Resistance Offensive"
TEST_SOURCE = "TEST FIXTURE: an invented report"
MNDAA = "Myanmar Nationalities Democratic Alliance Army (MNDAA)"
NEW_ARGS = ["--slug", SLUG, "--title", TEST_SOURCE, "--publisher", "Invented Test Press",
            "--url", "https://example.org/test-fixture/invented-report", "--published", "2024-08-02",
            "--licence", "https://creativecommons.org/publicdomain/zero/1.0/"]


# --- source new ------------------------------------------------------------------------------------

def test_source_new_writes_the_fixture_text_sentences_and_quotes(tmp_path: Path) -> None:
    result = run_cli(["source", "new", str(FIXTURE_TEXT), *NEW_ARGS, "--root", str(tmp_path)], tmp_path / "c")
    assert result.returncode == 0, result.stderr
    assert "5 sentences and headings quoted" in result.stdout
    for relative in (f"data/sources/{SLUG}.txt", f"data/sources/{SLUG}.sentences.tsv",
                     f"data/ttl/source/{SLUG}/quotes.ttl"):
        assert (tmp_path / relative).read_bytes() == (FIXTURE / relative).read_bytes(), relative
    skeleton = Graph().parse(tmp_path / f"data/ttl/source/{SLUG}/facts.ttl")
    document = URIRef(f"https://w3id.org/conflict-graph/id/source/{SLUG}")
    assert skeleton.value(document, DCTERMS.title) == Literal(TEST_SOURCE)
    assert str(skeleton.value(document, CG.earliestPublicationDate)) == "2024-08-02"
    assert str(skeleton.value(document, CG.latestPublicationDate)) == "2024-08-02"
    assert skeleton.value(document, DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    publisher = skeleton.value(document, CG.publishedBy)
    assert publisher == URIRef("https://w3id.org/conflict-graph/id/org/invented-test-press")
    assert skeleton.value(publisher, RDFS.label) == Literal("Invented Test Press", lang="en")


def test_source_new_with_publication_bounds_and_a_rights_statement(tmp_path: Path) -> None:
    args = [a for a in NEW_ARGS if a not in ("--published", "2024-08-02")]
    args[args.index("--licence") + 1] = "All rights reserved by the publisher"
    result = run_cli(["source", "new", str(FIXTURE_TEXT), *args, "--published-earliest", "2024-07-25",
                      "--published-latest", "2024-08-04", "--root", str(tmp_path)], tmp_path / "c")
    assert result.returncode == 0, result.stderr
    skeleton = Graph().parse(tmp_path / f"data/ttl/source/{SLUG}/facts.ttl")
    document = URIRef(f"https://w3id.org/conflict-graph/id/source/{SLUG}")
    assert str(skeleton.value(document, CG.earliestPublicationDate)) == "2024-07-25"
    assert str(skeleton.value(document, CG.latestPublicationDate)) == "2024-08-04"
    assert str(skeleton.value(document, DCTERMS.rights)) == "All rights reserved by the publisher"
    assert skeleton.value(document, DCTERMS.license) is None


def test_the_split_reproduces_the_article_sentence_file() -> None:
    text = (ROOT / "data" / "sources" / "irrawaddy-2024-op1027-phase2.txt").read_text(encoding="utf-8")
    expected = (ROOT / "data" / "sources" / "irrawaddy-2024-op1027-phase2.sentences.tsv").read_text(encoding="utf-8")
    assert to_tsv(split(text)) == expected


def test_source_quote_rewrites_quotes_after_a_corrected_sentence_file(tmp_path: Path) -> None:
    assert run_cli(["source", "new", str(FIXTURE_TEXT), *NEW_ARGS, "--root", str(tmp_path)],
                   tmp_path / "c").returncode == 0
    sentences = tmp_path / "data" / "sources" / f"{SLUG}.sentences.tsv"
    rows = sentences.read_text(encoding="utf-8").splitlines()
    merged = rows[:4] + [rows[4] + " " + rows[5].split("\t")[2]]  # join S03 and S04 into one sentence
    sentences.write_text("\n".join(merged) + "\n", encoding="utf-8")
    result = run_cli(["source", "quote", SLUG, "--root", str(tmp_path)], tmp_path / "c")
    assert result.returncode == 0, result.stderr
    quotes = (tmp_path / "data" / "ttl" / "source" / SLUG / "quotes.ttl").read_text(encoding="utf-8")
    assert "the group said. No junta position remains" in quotes
    assert f"quote/{SLUG}/s04" not in quotes


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--slug", "Bad_Slug"], "lower-case letters"),
        (["--url", "example.org/x"], "http(s) address"),
        (["--published", "2024-08-02", "--published-earliest", "2024-08-01"], "not both"),
        (["--published", None], "give --published DATE"),
        (["--published", "2 August"], "Invalid value for '--published'"),
    ],
)
def test_source_new_refuses_bad_metadata(tmp_path: Path, extra: list[str | None], message: str) -> None:
    args = list(NEW_ARGS)
    for flag, value in zip(extra[::2], extra[1::2]):
        if flag in args:
            index = args.index(flag)
            del args[index:index + 2]
        if value is not None:
            args += [str(flag), value]
    result = run_cli(["source", "new", str(FIXTURE_TEXT), *args, "--root", str(tmp_path)], tmp_path / "c")
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "data").exists()


def test_source_new_never_overwrites_without_force(tmp_path: Path) -> None:
    command = ["source", "new", str(FIXTURE_TEXT), *NEW_ARGS, "--root", str(tmp_path)]
    assert run_cli(command, tmp_path / "c").returncode == 0
    again = run_cli(command, tmp_path / "c")
    assert again.returncode == 2 and "already exist" in again.stderr and "--force" in again.stderr
    assert run_cli([*command, "--force"], tmp_path / "c").returncode == 0


def test_source_new_rejects_a_sentence_that_is_not_verbatim(tmp_path: Path) -> None:
    sentences = tmp_path / "given.tsv"
    sentences.write_text("id\tparagraph\ttext\nS01\t1\tThis sentence is not in the text.\n", encoding="utf-8")
    result = run_cli(["source", "new", str(FIXTURE_TEXT), *NEW_ARGS, "--sentences", str(sentences),
                      "--root", str(tmp_path / "project")], tmp_path / "c")
    assert result.returncode == 2
    assert "S01 does not occur verbatim" in result.stderr
    assert not (tmp_path / "project").exists()


def test_source_new_rejects_text_that_is_not_utf8(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Ta\u2019ang forces took the town.".encode("cp1252"))
    result = run_cli(["source", "new", str(latin), *NEW_ARGS, "--root", str(tmp_path / "p")], tmp_path / "c")
    assert result.returncode == 2 and "not UTF-8" in result.stderr


# --- validate ---------------------------------------------------------------------------------------

def test_validate_accepts_the_second_source(tmp_path: Path) -> None:
    result = run_cli(["validate", "--data", str(FIXTURE_TTL)], tmp_path / "c")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Conforms" in result.stdout


def test_validate_reports_each_authoring_fault_of_a_source(tmp_path: Path) -> None:
    """One copy of the fixture with four faults; one validation names each of them."""
    copy = tmp_path / "ttl"
    shutil.copytree(FIXTURE_TTL, copy)
    facts = copy / "source" / SLUG / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("cg:controller org_:mndaa ;", "cg:controller org_:kokang-army ;")
    text += ('\norg_:kokang-army a cg:EthnicArmedOrganization ; rdfs:label "Kokang army"@en .\n'
             "control:lashio-town-complete cg:coController org_:mndaa-allies .\n"
             'control:no-evidence a cg:ControlAssertion ; rdfs:label "no evidence"@en ;\n'
             "    cg:controller org_:mndaa ; cg:controlledPlace town:lashio ; cg:controlLevel cg:CompleteControl ;\n"
             "    cg:epistemicStatus cg:Stated ; cg:tenseAspect cg:Past .\n")
    text = text.replace('"No junta position remains in the town, according to the MNDAA"',
                        '"No junta position remains in Lashio, according to the MNDAA"')
    facts.write_text(text, encoding="utf-8")
    report = commands.validate_files(inputs.collect(True, [copy]))
    assert not report.consistent
    messages = consistency_text(report)
    kokang = "<https://w3id.org/conflict-graph/id/org/kokang-army>"
    # 1. an entity of the article given a second IRI (the MNDAA's alternative label "Kokang army")
    assert f"{kokang} and <https://w3id.org/conflict-graph/id/org/mndaa> both have the label \"kokang army\"" in messages
    # 2. an IRI of the project namespace that no graph defines
    assert "<https://w3id.org/conflict-graph/id/org/mndaa-allies> is used in" in messages
    # 3. a wording that is not verbatim in its sentence
    assert "No junta position remains in Lashio, according to the MNDAA is not verbatim" in messages
    # 4. a fact without evidence
    assert "Assertion without source" in messages and "no-evidence" in messages


# --- the built dataset with both sources ------------------------------------------------------------

@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build.build(inputs.collect(True, [FIXTURE_TTL]), cache_dir=tmp_path_factory.mktemp("two-sources"))


@pytest.fixture(scope="module")
def run_both(both: BuildResult) -> Callable[[str], Rows]:
    return query_runner(both)


LASHIO_BOTH = {
    (ARTICLE, MNDAA, "almost all", "stated", "possibly", "2", frozenset({"S27", "S31"})),
    (TEST_SOURCE, MNDAA, "complete control", "claimed", "certainly", "2", frozenset({"S03", "S04"})),
}


def _lashio(rows: Rows) -> set[tuple[str, ...]]:
    return {(r["document"], r["controller"], r["level"], r["status"], r["onDate"],
             r["sourcesNamingController"], frozenset(r["sentences"].split(", "))) for r in rows}


def test_q57_sources_agree_on_who_and_disagree_on_how_much(run_both: Callable[[str], Rows]) -> None:
    assert _lashio(run_both("q57")) == LASHIO_BOTH


def test_q57_with_the_article_alone(real_build: BuildResult) -> None:
    assert _lashio(query_runner(real_build)("q57")) == {
        (ARTICLE, MNDAA, "almost all", "stated", "possibly", "1", frozenset({"S27", "S31"}))}


def test_q51_includes_the_tension_across_sources(run_both: Callable[[str], Rows]) -> None:
    rows = [r for r in run_both("q51") if local(r["tension"]) == "lashio-complete-vs-almost-all"]
    assert {(r["document"], r["sentenceId"]) for r in rows} == {
        (TEST_SOURCE, "S03"), (TEST_SOURCE, "S04"), (ARTICLE, "S27"), (ARTICLE, "S31")}
    assert {r["kind"] for r in rows} == {"status conflict"}
    assert {r["reconciliation"] for r in rows} == {"unresolved"}
    # the article's own tensions are all still there
    assert len({local(r["tension"]) for r in run_both("q51")}) == 16


def test_agreement_is_evidence_from_both_sources_on_one_fact(both: BuildResult) -> None:
    from conflict_graph.query import store

    opened = store.open_store(both.artifact)
    text = """
        PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?title ?sentence WHERE {
          <https://w3id.org/conflict-graph/id/assertion/control/mogoke-town-complete>
              cg:statedIn ?quote .
          ?quote cg:sentenceId ?sentence ; prov:wasQuotedFrom/dct:title ?title .
        }"""
    rows = store.execute(opened, text, store.query_dataset(both.catalogue, "owl-rl"))
    assert {(r["title"].value, r["sentence"].value) for r in rows} == {  # type: ignore[union-attr]
        (ARTICLE, "S19"), (ARTICLE, "S26"), (ARTICLE, "H5"), (TEST_SOURCE, "S02")}


# --- the endpoint, live ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served_with_second_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``conflict-graph serve --port 0 --data <fixture>`` in a subprocess; its base URL."""
    with serving(tmp_path_factory.mktemp("serve-cache"), ["--data", str(FIXTURE_TTL)]) as base:
        yield base


def test_endpoint_answers_which_sources_agree_on_lashio(served_with_second_source: str) -> None:
    client = SPARQLWrapper(served_with_second_source + "/sparql")
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery((ROOT / "queries" / "q57-sources-on-who-held-lashio-2024-08-01.rq").read_text(encoding="utf-8"))
    client.addParameter("entailment", "simple")
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    rows = [{name: value["value"] for name, value in binding.items()} for binding in bindings]
    assert _lashio(rows) == LASHIO_BOTH


def test_endpoint_finds_the_allies_of_the_tnla_with_inference(served_with_second_source: str) -> None:
    client = SPARQLWrapper(served_with_second_source + "/sparql")
    client.setReturnFormat(JSON)
    client.setQuery("PREFIX cg: <https://w3id.org/conflict-graph/ontology#> SELECT ?ally WHERE "
                    "{ ?ally cg:alliedWith <https://w3id.org/conflict-graph/id/org/tnla> }")
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert len({b["ally"]["value"] for b in bindings}) == 8


def test_evidence_of_one_fact_from_two_sources_gets_two_names() -> None:
    """The fixture's sentence S19 and the article's S19 both supporting one fact: two IRIs, and the
    project's own graph keeps the plain one whatever the user loads."""
    from rdflib import Dataset

    from conflict_graph.pipeline.evidence_iris import name_evidence

    fact = "https://w3id.org/conflict-graph/id/assertion/control/mogoke-town-complete"
    turtle = ("@prefix cg: <https://w3id.org/conflict-graph/ontology#> . "
              "@prefix prov: <http://www.w3.org/ns/prov#> . "
              f"<{fact}> cg:evidence [ prov:entity <{{quote}}> ; cg:epistemicStatus cg:Stated ] .")
    dataset = Dataset()
    user = dataset.graph(URIRef("file:///tmp/another-source.ttl"))
    user.parse(data=turtle.format(quote="https://example.org/quote/other/s19"), format="turtle")
    project = dataset.graph(URIRef("https://w3id.org/conflict-graph/graph/source/irrawaddy-2024-op1027-phase2"))
    project.parse(data=turtle.format(quote="https://w3id.org/conflict-graph/id/quote/irrawaddy-2024-op1027-phase2/s19"),
                  format="turtle")
    assert name_evidence(dataset) == 2
    assert {str(o) for o in project.objects(None, CG.evidence)} == {f"{fact}/evidence/s19-stated"}
    assert {str(o) for o in user.objects(None, CG.evidence)} == {f"{fact}/evidence/s19-stated-2"}
