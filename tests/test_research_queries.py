"""The research API's questions (Q40–Q42) on the real data, through the Python API's embedded graph.

The expected answers are worked out by hand from the article and its facts file
(``data/ttl/source/irrawaddy-2024-op1027-phase2/facts.ttl``), not from the code's output.

"As of" a day D (Q40), each control assertion other than a negated claim, with start bounds
[earliest, latest] and end bounds [earliest, latest]: it **certainly** holds when it began by D at
the latest and cannot have ended before D; it **possibly** holds when it may have begun by D and
may not yet have ended; otherwise it is left out. The twelve control assertions of the article:

=============================  =====================  ===================  =========================
assertion                      start bounds           end bounds           note
=============================  =====================  ===================  =========================
Nawnghkio town, effective      06-26 .. 06-27         none                 S05 "second day of attacks"
Nawnghkio Township, complete   06-25 .. 07-10         none                 claimed (claim of July 10)
Kyaukme town, effective        06-25 .. 07-05         none                 "early days"
Kyaukme town, complete         none                   none                 not yet claimed: left out
Singu Township, complete       07-20 .. 07-20         none
Singu town, complete           07-20 .. 07-20         none
Mogoke town, complete          07-25 .. 07-25         none
Monglon town, unspecified      06-25 .. 08-04         none                 "have also fallen", undated
Mongmit town, effective        07-11 .. 07-20         none                 "mid-July"
Mongmit Township, contested    none .. 08-04          none                 current at publication
Mongmit town, KIA              01-01 .. 01-31         01-01 .. 07-20       January, reversed
Lashio town, almost all        07-17 .. 08-03         none                 "last week"
=============================  =====================  ===================  =========================
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from conflict_graph.api.client import EmbeddedGraph, Result
from conflict_graph.api.sparql_rows import store_runner
from conflict_graph.api.values import IRI
from conflict_graph.errors import InputError, ParameterError
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query import store

TNLA = "Ta’ang National Liberation Army"
MNDAA = "Myanmar Nationalities Democratic Alliance Army"
PDF = "Mandalay PDF"
ID = "https://w3id.org/conflict-graph/id/"


@pytest.fixture(scope="module")
def graph(real_build: BuildResult, real_cache_dir: Path) -> EmbeddedGraph:
    return EmbeddedGraph(cache_dir=real_cache_dir)


def control(result: Result) -> set[tuple[object, ...]]:
    return {(r["place"], r["controller"], r["level"], r["status"], r["holds"]) for r in result}


#: Who controlled what on 2024-07-21 (q40 rows as :func:`control` tuples).
CONTROL_ON_2024_07_21 = {
    ("Nawnghkio town", TNLA, "effective control", "stated", "certainly"),
    ("Nawnghkio Township", TNLA, "complete control", "claimed", "certainly"),
    ("Kyaukme town", TNLA, "effective control", "stated", "certainly"),
    ("Singu Township", PDF, "complete control", "stated", "certainly"),
    ("Singu town", PDF, "complete control", "stated", "certainly"),
    ("Mongmit town", TNLA, "effective control", "stated", "certainly"),
    # may have begun by then, or only later:
    ("Monglon town", TNLA, "control, level not stated", "stated", "possibly"),
    ("Mongmit Township", "resistance groups", "contested", "stated", "possibly"),
    ("Lashio town", MNDAA, "almost all", "stated", "possibly"),
}


def test_who_controlled_what_on_2024_07_21(graph: EmbeddedGraph) -> None:
    result = graph.run("q40-control-as-of-date", day="2024-07-21")
    assert control(result) == CONTROL_ON_2024_07_21
    assert len(result) == 9  # one row per assertion: no duplicate from co-controllers
    assert {r["day"] for r in result} == {datetime.date(2024, 7, 21)}
    lashio = next(r for r in result if r["place"] == "Lashio town")
    assert lashio["startEarliest"] == datetime.date(2024, 7, 17)
    assert lashio["startLatest"] == datetime.date(2024, 8, 3)
    assert lashio["placeIri"] == IRI(ID + "place/town/lashio")
    nawnghkio = next(r for r in result if r["place"] == "Nawnghkio town")
    assert set(str(nawnghkio["coControllers"]).split("; ")) == {
        "allied groups",
        PDF,
    }  # GROUP_CONCAT: any order
    assert result.columns[:7] == ("day", "place", "controller", "coControllers", "level", "status", "holds")


def test_who_controlled_what_on_2024_07_01(graph: EmbeddedGraph) -> None:
    assert control(graph.run("q40-control-as-of-date", day=datetime.date(2024, 7, 1))) == {
        ("Nawnghkio town", TNLA, "effective control", "stated", "certainly"),
        ("Nawnghkio Township", TNLA, "complete control", "claimed", "possibly"),
        ("Kyaukme town", TNLA, "effective control", "stated", "possibly"),
        ("Monglon town", TNLA, "control, level not stated", "stated", "possibly"),
        ("Mongmit Township", "resistance groups", "contested", "stated", "possibly"),
        # the KIA's January control may have lasted until the junta retook the town (by 07-20):
        ("Mongmit town", "Kachin Independence Army", "control, level not stated", "stated", "possibly"),
    }


def test_who_controlled_what_on_2024_07_25(graph: EmbeddedGraph) -> None:
    mogoke = ("Mogoke town", TNLA, "complete control", "stated", "certainly")
    assert control(graph.run("q40-control-as-of-date", day="2024-07-25")) == CONTROL_ON_2024_07_21 | {mogoke}


def test_before_phase_two_only_the_kia_january_control_and_the_undated_contest(graph: EmbeddedGraph) -> None:
    assert control(graph.run("q40-control-as-of-date", day="2024-01-15")) == {
        ("Mongmit town", "Kachin Independence Army", "control, level not stated", "stated", "possibly"),
        ("Mongmit Township", "resistance groups", "contested", "stated", "possibly"),
    }


def test_events_from_2024_07_18_to_2024_07_22(graph: EmbeddedGraph) -> None:
    """Events whose bounds meet the range; none lies wholly inside it."""
    result = graph.run("q41-events-in-date-range", start="2024-07-18", end="2024-07-22")
    assert {(r["event"].removeprefix(ID + "event/"), r["within"]) for r in result} == {
        ("singu-township-attacks", "possibly"),  # ended 07-20, start not bounded
        ("mogoke-attacks", "possibly"),  # ended 07-25, start not bounded
        ("formation-of-lashio-commission", "possibly"),  # by 08-03, start not bounded
        ("junta-recapture-of-mongmit", "possibly"),  # 01-01 .. 07-20
        ("lashio-attacks", "possibly"),  # 06-25 .. 08-03
        ("north-eastern-command-hq-seizure", "possibly"),
        ("mandalay-security-tightening", "possibly"),
        ("madaya-township-seizures", "possibly"),
        ("alpha-cement-factory-base-seizure", "possibly"),
        ("mndaa-claim-north-eastern-command-hq", "possibly"),  # 07-17 .. 08-03
        ("mndaa-announcement-lashio-commission", "possibly"),  # 07-20 .. 08-03
    }
    madaya = next(r for r in result if r["event"].endswith("/madaya-township-seizures"))
    assert set(str(madaya["by"]).split("; ")) == {TNLA, PDF} and madaya["kind"] == "seizure"


def test_events_on_one_known_day_are_certainly_in_it(graph: EmbeddedGraph) -> None:
    result = graph.run("q41-events-in-date-range", start="2024-07-10", end="2024-07-10")
    certain = {r["event"].removeprefix(ID + "event/") for r in result if r["within"] == "certainly"}
    assert certain == {"tnla-claim-nawnghkio-township"}  # "on July 10"


def test_a_range_that_ends_before_it_starts_holds_no_event(graph: EmbeddedGraph) -> None:
    assert list(graph.run("q41-events-in-date-range", start="2024-07-22", end="2024-07-18")) == []
    assert list(graph.run("q41-events-in-date-range", start="2024-08-01", end="2024-07-01")) == []


def test_everything_a_background_source_supports(graph: EmbeddedGraph) -> None:
    result = graph.run("q42-what-a-source-supports", source=ID + "source/wikidata-q836")
    assert {(r["label"], r["status"], r["predicate"], r["object"]) for r in result} == {
        (
            "Myanmar is Wikidata item Q836",
            "background",
            ID.replace("id/", "ontology#") + "wikidataId",
            "Q836",
        ),
        (
            "Myanmar matches Wikidata item Q836",
            "background",
            "http://www.w3.org/2004/02/skos/core#exactMatch",
            "http://www.wikidata.org/entity/Q836",
        ),
    }


def test_what_sentence_s06_of_the_article_supports(graph: EmbeddedGraph) -> None:
    rows = [r for r in graph.run("q42-what-a-source-supports") if r["sentenceId"] == "S06"]
    stmt = ID + "statement/irrawaddy-2024-op1027-phase2/"
    assert {(r["fact"], r["status"]) for r in rows} == {
        (ID + "event/missile-battalion-606-hq-seizure", "stated"),
        (ID + "event/tnla-claim-nawnghkio-township", "stated"),
        (ID + "assertion/control/nawnghkio-township-complete", "claimed"),
        (stmt + "missile-battalion-606-is-a-battalion", "stated"),
        (stmt + "missile-battalion-606-unit-of-junta", "implied"),
        (stmt + "nawnghkio-township-is-a-township", "stated"),
        (stmt + "missile-battalion-606-hq-is-a-headquarters", "stated"),
        (stmt + "missile-battalion-606-hq-is-a-position", "stated"),
        (stmt + "missile-battalion-606-hq-installation-of-battalion", "stated"),
        (stmt + "missile-battalion-606-hq-held-by-junta", "stated"),
        (stmt + "missile-battalion-606-hq-in-nawnghkio-township", "implied"),
        (stmt + "missile-battalion-606-hq-last-remaining-position", "stated"),
        (stmt + "tnla-allied-with-s06-allies", "stated"),  # "The TNLA and allies" (cg:alliedWith)
    }
    assert len(rows) == 13
    assert rows[0]["sentence"].startswith(
        "The TNLA and allies claimed complete control of Nawnghkio Township"
    )


def test_evidence_against_its_fact_supports_nothing(graph: EmbeddedGraph, real_build: BuildResult) -> None:
    """A sentence that overstates, weakens or contradicts a fact is not among what the article
    supports (S05 contradicts "Singu is the first town seized by the Mandalay PDF")."""
    catalogue, opened = store.open_query_store(real_build.artifact)
    against = {
        (row["fact"], row["sentenceId"]) for row in store_runner(catalogue, opened)("""
        PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?fact ?sentenceId WHERE {
          ?fact cg:evidence ?evidence . ?evidence cg:stance ?stance ; prov:entity ?quote .
          ?quote cg:sentenceId ?sentenceId .
          FILTER (?stance != cg:Supports)
        }""", "simple")
    }
    stmt = ID + "statement/irrawaddy-2024-op1027-phase2/"
    assert (stmt + "singu-first-town-seized-by-mandalay-pdf", "S05") in against and len(against) == 6
    supported = {(str(r["fact"]), str(r["sentenceId"])) for r in graph.run("q42-what-a-source-supports")}
    assert not supported & against
    assert (stmt + "singu-first-town-seized-by-mandalay-pdf", "S14") in supported  # its own sentence


def test_plain_sparql_answers_as_the_defaults(graph: EmbeddedGraph) -> None:
    """Run without bound parameters (query page, /sparql), a query answers for its header's defaults."""
    from conflict_graph.query import store

    for query in graph._queries.queries:  # the embedded graph's own catalogue
        if not query.parameters:
            continue
        defaults = graph.run(query.name)
        solutions = store.execute(
            graph._store, query.text, store.query_dataset(graph._catalogue, query.entailment, unions=True)
        )
        params = {p.name for p in query.parameters}
        plain = [
            {k: v for k, v in r.items() if k not in params}
            for r in Result(
                defaults.columns, [{c: s[c] and s[c].value for c in defaults.columns} for s in solutions]
            ).rows
        ]
        expected = [
            {k: (None if v is None else str(v)) for k, v in r.items() if k not in params}
            for r in defaults.rows
        ]
        assert len(plain) == len(expected) > 0, query.name
        assert plain == expected, query.name


def test_the_embedded_graph_refuses_bad_parameters_before_running(graph: EmbeddedGraph) -> None:
    with pytest.raises(ParameterError, match="parameter 'day' must be a date"):
        graph.run("q40-control-as-of-date", day="21 July")
    with pytest.raises(ParameterError, match="has no parameter 'date'; it takes: day"):
        graph.run("q40-control-as-of-date", date="2024-07-21")
    with pytest.raises(ParameterError, match="must be given as a str, an int or a date"):
        graph.run("q40-control-as-of-date", day=2024.7)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no named query 'q99'"):
        graph.run("q99")
