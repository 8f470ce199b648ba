"""Every public competency question is answered by a named query, with the answer the article supports.

The questions and their answers are in the project's competency-question list (Q01–Q38, public
set). Each query in ``queries/`` runs on the real, reasoned data with the entailment its header
names; the assertions are the answers stated there, written out by hand. Where the article leaves
an answer undetermined, the test checks that the query says so instead of answering yes or no.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conflict_graph.query import named_queries as queries
from conflict_graph.pipeline.build import BuildResult
from named_query_support import Rows, column, query_runner


@pytest.fixture(scope="module")
def run(real_build: BuildResult) -> Callable[[str], Rows]:
    return query_runner(real_build)


PUBLIC_QUESTIONS = [
    "q01",
    "q02",
    "q03",
    "q04",
    "q05",
    "q06",
    "q07",
    "q08",
    "q09",
    "q10",
    "q11",
    "q12",
    "q13",
    "q14",
    "q21",
    "q22",
    "q23",
    "q31",
    "q32",
    "q33",
    "q36",
    "q37",
    "q38",
]


#: Parameterised questions of the research API, tested in test_research_queries.py.
RESEARCH_QUESTIONS = ["q40", "q41", "q42"]
#: Questions of sources in tension, tense and modality, alliances, durations and agreement across
#: sources; their answers are pinned in tests/test_tension.py and tests/test_second_source.py.
SOURCE_QUESTIONS = ["q51", "q52", "q53", "q54", "q55", "q56", "q57"]


def test_one_query_per_public_question() -> None:
    names = sorted(q.name[:3] for q in queries.load_queries())
    assert names == PUBLIC_QUESTIONS + RESEARCH_QUESTIONS + SOURCE_QUESTIONS
    for query in queries.load_queries():
        assert query.title.startswith(query.name[:3].upper()), query.name
        assert query.description


def test_q01_brotherhood_members(run: Callable[[str], Rows]) -> None:
    rows = run("q01")
    assert column(rows, "name") == {
        "Myanmar Nationalities Democratic Alliance Army",
        "Ta’ang National Liberation Army",
    }
    assert column(rows, "sentenceId") == {"S02"}


def test_q02_mndaa_names(run: Callable[[str], Rows]) -> None:
    rows = run("q02")
    full = {r["name"] for r in rows if r["kind"] == "full name"}
    other = {r["name"] for r in rows if r["kind"] == "other name"}
    assert full == {"Myanmar Nationalities Democratic Alliance Army"}
    assert "Kokang army" in other
    assert "Myanmar National Democratic Alliance Army" not in full | other
    assert {r["sentenceId"] for r in rows if r["name"] == "Kokang army"} == {"S27"}


def test_q03_pdfs_under_nug(run: Callable[[str], Rows]) -> None:
    rows = run("q03")
    assert column(rows, "name") == {"National Unity Government"}
    assert column(rows, "description") == {"civilian"}


def test_q04_resumed_on_2024_06_25(run: Callable[[str], Rows]) -> None:
    (row,) = run("q04")
    assert (row["earliest"], row["latest"]) == ("2024-06-25", "2024-06-25")
    assert row["operationName"] == "Operation 1027"
    assert row["asWritten"] == "on June 25"


def test_q05_last_position_in_nawnghkio_township(run: Callable[[str], Rows]) -> None:
    (row,) = run("q05")
    assert row["siteName"] == "Missile Battalion 606 headquarters"
    assert row["seizedBy"] == "Ta’ang National Liberation Army"
    assert row["coAgent"] == "allies (S06)"
    assert row["latest"] == "2024-07-10"


def test_q06_pyin_oo_lwin(run: Callable[[str], Rows]) -> None:
    (row,) = run("q06")
    assert (row["kind"], row["region"], row["institution"], row["owner"]) == (
        "garrison town",
        "Mandalay Region",
        "Military Defense Academies",
        "Myanmar junta",
    )


def test_q07_places_on_the_highway(run: Callable[[str], Rows]) -> None:
    rows = run("q07")
    assert column(rows, "name") == {"Nawnghkio town", "Kyaukme town"}
    assert column(rows, "highwayDescription") == {"a vital Myanmar-China trade route"}


def test_q08_madaya_headquarters(run: Callable[[str], Rows]) -> None:
    (row,) = run("q08")
    assert row["headquarters"] == "Air Defense Battalion 1024 headquarters"
    assert (row["hedge"], float(row["count"])) == ("around", 30.0)
    assert "Mandalay PDF" in row["seizedBy"] and "Ta’ang National Liberation Army" in row["seizedBy"]


def test_q09_central_command_in_mandalay(run: Callable[[str], Rows]) -> None:
    assert column(run("q09"), "name") == {"Mandalay city"}


def test_q10_ruby_town(run: Callable[[str], Rows]) -> None:
    rows = run("q10")
    assert column(rows, "nickname") == {"Ruby Town"}
    assert column(rows, "reason") == {"mines that produce some of the world’s finest red gemstones"}
    assert "S20" in column(rows, "sentenceId")


def test_q11_ethnic_armies_need_inference(run: Callable[[str], Rows]) -> None:
    rows = run("q11")
    basis = {r["name"]: r["basis"] for r in rows}
    assert set(basis) == {"Myanmar Nationalities Democratic Alliance Army", "Ta’ang National Liberation Army"}
    assert basis["Myanmar Nationalities Democratic Alliance Army"] == "stated"
    assert basis["Ta’ang National Liberation Army"].startswith("inferred")
    assert "Kachin Independence Army" not in basis


def test_q12_lashio_containment(run: Callable[[str], Rows]) -> None:
    basis = {r["name"]: r.get("basis") for r in run("q12")}
    assert set(basis) == {"northern Shan State", "Shan State", "Myanmar"}
    assert basis["northern Shan State"].startswith("stated")
    assert basis["Shan State"] == "name-based"
    assert basis["Myanmar"] == "background"


def test_q13_adjacent_to_mogoke(run: Callable[[str], Rows]) -> None:
    assert column(run("q13"), "name") == {"Singu Township", "Monglon town", "Mongmit town"}


def test_q14_borders_by_symmetry(run: Callable[[str], Rows]) -> None:
    pairs = {(r["placeName"], r["neighbourName"]) for r in run("q14")}
    assert pairs == {("Pyin Oo Lwin", "Nawnghkio Township"), ("Mandalay city", "Madaya Township")}


def test_q21_chronology_keeps_undetermined_orders(run: Callable[[str], Rows]) -> None:
    rows = run("q21")
    dated = [r for r in rows if r["dated"] == "true"]
    order = [r["place"] for r in dated]
    assert order.index("Nawnghkio town") < order.index("Nawnghkio Township") < order.index("Mongmit town")
    assert order.index("Mongmit town") < order.index("Singu Township") < order.index("Mogoke town")
    by_place = {r["place"]: r for r in rows}
    assert (by_place["Nawnghkio town"]["earliest"], by_place["Nawnghkio Township"]["latest"]) == (
        "2024-06-26",
        "2024-07-10",
    )
    assert by_place["Nawnghkio Township"]["status"] == "claimed"
    assert "Nawnghkio town" in by_place["Kyaukme town"]["orderUndeterminedWith"]
    for later in ("Mongmit town", "Singu town", "Mogoke town"):
        assert later in by_place["Lashio town"]["orderUndeterminedWith"]
    assert by_place["Monglon town"]["dated"] == "false"
    assert "Mongmit town" not in {r["place"] for r in rows if r["earliest"] < "2024-06-25"}


def test_q22_towns_by_2024_07_21_three_valued(run: Callable[[str], Rows]) -> None:
    answers = {r["town"]: r["answer"] for r in run("q22")}
    assert {t for t, a in answers.items() if a == "yes"} == {
        "Nawnghkio town",
        "Kyaukme town",
        "Mongmit town",
        "Singu town",
    }
    assert {t for t, a in answers.items() if a == "undetermined"} == {"Lashio town", "Monglon town"}
    assert answers["Mogoke town"] == "not shown"


def test_q23_complete_control_by_2024_07_21(run: Callable[[str], Rows]) -> None:
    rows = run("q23")
    stated = {r["place"]: r["status"] for r in rows if r["basis"] == "stated in the article"}
    assert stated == {"Singu Township": "stated", "Singu town": "stated", "Nawnghkio Township": "claimed"}
    name_based = {r["place"] for r in rows if r["basis"].startswith("name-based")}
    assert name_based == {"Nawnghkio town"}
    assert "Mogoke town" not in column(rows, "place")


def test_q31_sentence_for_adjacency(run: Callable[[str], Rows]) -> None:
    (row,) = run("q31")
    assert row["sentenceId"] == "S07"
    assert row["sentence"].startswith("Nawnghkio Township is located next to Pyin Oo Lwin, the garrison town")


def test_q32_nec_headquarters_statuses(run: Callable[[str], Rows]) -> None:
    statuses = {r["sentenceId"]: r["status"] for r in run("q32")}
    assert statuses == {"S03": "stated", "S28": "claimed", "S29": "hedged"}


def test_q33_singu_township_date(run: Callable[[str], Rows]) -> None:
    assert column(run("q33"), "sentenceId") == {"S13", "S21"}


def test_q36_claimed_or_announced_only(run: Callable[[str], Rows]) -> None:
    rows = run("q36")
    facts: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        facts.setdefault(row["fact"].rsplit("/", 1)[-1], set()).add((row["status"], row["actor"]))
    mndaa = "Myanmar Nationalities Democratic Alliance Army (MNDAA)"
    assert ("claimed", "Ta’ang National Liberation Army (TNLA)") in facts["nawnghkio-township-complete"]
    assert facts["north-eastern-command-hq-seizure-perpetrator-mndaa"] == {("claimed", mndaa)}
    announced = {"formation-of-lashio-commission", "lashio-commission-is-an-administrative-body",
                 "lashio-commission-jurisdiction-lashio", "lashio-commission-purpose"}
    for fact in announced:
        assert facts[fact] == {("announced", mndaa)}
    assert set(facts) == announced | {"nawnghkio-township-complete",
                                      "north-eastern-command-hq-seizure-perpetrator-mndaa"}
    assert {r["sentenceId"] for r in rows} == {"S06", "S28", "S32"}


def test_q37_partial_control_at_publication(run: Callable[[str], Rows]) -> None:
    levels = {r["place"]: r["level"] for r in run("q37")}
    assert levels == {
        "Kyaukme town": "effective control",
        "Mongmit town": "effective control",
        "Mongmit Township": "contested",
        "Lashio town": "almost all",
    }


def test_q38_kyaukme_not_yet_claimed(run: Callable[[str], Rows]) -> None:
    (row,) = run("q38")
    assert (row["answer"], row["status"], row["sentenceId"]) == ("no", "not yet claimed", "S12")
