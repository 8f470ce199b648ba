"""Tension between statements, tense-aspect-modality, alliances and derived duration bounds.

Each named query runs on the real, reasoned data; the expected answers are the article's, written
out by hand from a reading of it sentence against sentence (whole answer sets, not samples).
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest

from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query import store
from named_query_support import Rows, column, local, query_runner

ARTICLE = "Operation 1027: Major Gains in Phase Two of Myanmar Resistance Offensive"
ID = "https://w3id.org/conflict-graph/id/"


@pytest.fixture(scope="module")
def run(real_build: BuildResult) -> Callable[[str], Rows]:
    return query_runner(real_build)


# --- Q51: every tension of the article, with its sentences --------------------------------------

TENSIONS = {
    # tension: (kind, reconciliation, sentences, the sentence that prevails or None)
    "nawnghkio-town-heading-overstates": ("overstatement", "one prevails", {"H1", "S05"}, "S05"),
    "mongmit-fallen-vs-effective-control": ("overstatement", "one prevails", {"S22", "S23", "S24"}, "S23"),
    "lashio-lost-vs-almost-all": ("overstatement", "one prevails", {"S03", "S27", "S31"}, "S27"),
    "north-eastern-command-hq-stated-claimed-hedged": ("status conflict", "unresolved", {"S03", "S28", "S29"}, None),
    "kyaukme-all-positions-vs-remaining-position": ("completeness conflict", "both hold", {"S10", "S12"}, None),
    "singu-first-town-vs-nawnghkio": ("temporal or sequence conflict", "both hold", {"S05", "S14"}, None),
    "at-least-six-towns-vs-seven-named": (
        "count or quantity mismatch", "both hold",
        {"S03", "S05", "S10", "S13", "S19", "S22", "S23", "S27"}, None),
    "around-100-bases-vs-around-30-in-madaya": ("count or quantity mismatch", "both hold", {"S03", "S16"}, None),
    "mongmit-kia-january-then-tnla-mid-july": ("status change", "both hold", {"S23", "S25"}, None),
    "singu-township-agents-s13-vs-s21": ("participant mismatch", "one prevails", {"S13", "S21"}, "S13"),
    "mogoke-borders-mongmit-vs-an-hour-drive": ("spatial conflict", "both hold", {"S22", "S26"}, None),
    "madaya-heading-spelling": ("naming conflict", "one prevails", {"H4", "S16"}, "S16"),
    "lashio-commission-vs-remaining-position": ("status conflict", "both hold", {"S31", "S32"}, None),
    "nawnghkio-township-next-to-pyin-oo-lwin-vs-town-56-km-away": ("spatial conflict", "both hold", {"S07", "S09"}, None),
    "north-eastern-command-hq-counted-among-battalions": ("category conflict", "one prevails", {"S03", "S29"}, "S29"),
}


def test_q51_finds_every_tension_with_its_sentences(run: Callable[[str], Rows]) -> None:
    rows = run("q51")
    found: dict[str, tuple[str, str, set[str], str | None]] = {}
    for row in rows:
        kind, how, sentences, winner = found.setdefault(
            local(row["tension"]), (row["kind"], row["reconciliation"], set(), None))
        sentences.add(row["sentenceId"])
        if row["prevails"] == "true":
            assert winner in (None, row["sentenceId"])
            found[local(row["tension"])] = (kind, how, sentences, row["sentenceId"])
    assert found == TENSIONS
    assert column(rows, "document") == {ARTICLE}
    assert all(len(row["reading"]) > 80 for row in rows)


def test_q51_member_rows_carry_sentence_and_wording(run: Callable[[str], Rows]) -> None:
    rows = [r for r in run("q51") if local(r["tension"]) == "nawnghkio-town-heading-overstates"]
    assert {(r["sentenceId"], r["wording"], r["stance"]) for r in rows} == {
        ("H1", "Fall of Nawnghkio town", "overstates"),
        ("S05", "The TNLA and allied groups including Mandalay People’s Defense Forces managed to take "
                "effective control of Nawnghkio town in northern Shan State on the second day of attacks",
         "supports"),
    }
    for row in rows:
        assert row["wording"] in row["sentence"]


# --- Q52: facts whose evidence dissents -----------------------------------------------------------

def test_q52_facts_with_dissenting_evidence(run: Callable[[str], Rows]) -> None:
    rows = run("q52")
    assert {(local(r["fact"]), r["sentenceId"], r["stance"], r["evidenceStatus"]) for r in rows} == {
        ("nawnghkio-town-effective", "H1", "overstates", "heading"),
        ("mongmit-town-effective", "S22", "overstates", "stated"),
        ("lashio-town-almost-all", "S03", "overstates", "stated"),
        ("north-eastern-command-hq-seizure", "S29", "weakens", "hedged"),
        ("kyaukme-junta-positions-seizure", "S12", "weakens", "stated"),
        ("singu-first-town-seized-by-mandalay-pdf", "S05", "contradicts", "stated"),
    }
    # each fact keeps its own status, taken from evidence that supports it
    assert column(rows, "factStatus") == {"stated"}


def test_dissenting_evidence_is_never_counted_as_agreeing(real_build: BuildResult) -> None:
    """A stated fact always has stated evidence that supports it, besides any that dissents."""
    opened = store.open_store(real_build.artifact)
    query = """
        PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
        SELECT ?fact WHERE {
          ?fact cg:evidence/cg:stance ?stance ; cg:epistemicStatus cg:Stated .
          FILTER (?stance != cg:Supports)
          FILTER NOT EXISTS {
            ?fact cg:evidence ?evidence . ?evidence cg:epistemicStatus cg:Stated .
            FILTER NOT EXISTS { ?evidence cg:stance ?other }
          }
        }"""
    solutions = store.execute(opened, query, store.query_dataset(real_build.catalogue, "simple"))
    assert isinstance(solutions, ox.QuerySolutions)
    assert list(solutions) == []


# --- Q53, Q54: tense, aspect and modality ---------------------------------------------------------

def test_q53_only_future_or_hypothetical(run: Callable[[str], Rows]) -> None:
    rows = run("q53")
    assert {(local(r["statement"]), r["mode"], r["status"]) for r in rows} == {
        ("lashio-commission-is-an-administrative-body", "future", "announced"),
        ("lashio-commission-jurisdiction-lashio", "future", "announced"),
        ("lashio-commission-purpose", "future", "announced"),
        ("north-eastern-command-hq-first-regional-command-hq-seized", "modal or hypothetical", "hedged"),
        ("north-eastern-command-hq-seizure-milestone-of-uprising", "modal or hypothetical", "hedged"),
    }
    assert column(rows, "sentenceId") == {"S29", "S32"}


def test_q54_what_holds_at_publication(run: Callable[[str], Rows]) -> None:
    rows = run("q54")
    reported, derived = "reported as current", "derived: a past change of control with no reported end"
    assert {(local(r["what"]), r["how"]) for r in rows} == {
        # present tense in the article
        ("kyaukme-town-effective", reported),
        ("kyaukme-town-complete", reported),  # the negated claim holds at publication
        ("mongmit-town-effective", reported),
        ("mongmit-township-contested", reported),
        ("lashio-town-almost-all", reported),
        ("attacks-on-the-regime-in-northern-shan-and-mandalay", reported),
        ("attacks-on-kyaukme-remaining-position", reported),
        ("attacks-on-mongmit-remaining-bases", reported),
        ("attacks-on-lashio-remaining-position", reported),
        ("mongmit-township-clashes", reported),
        ("lashio-clashes", reported),
        ("junta-losses-since-resumption", reported),
        # past changes of control that nothing in the article ends
        ("nawnghkio-town-effective", derived),
        ("singu-township-complete", derived),
        ("singu-town-complete", derived),
        ("mogoke-town-complete", derived),
        ("monglon-town-unspecified", derived),
    }
    # Not derived: the TNLA's claim over Nawnghkio Township (claimed only) and the KIA's January
    # control of Mongmit (it ended).
    assert not {"nawnghkio-township-complete", "mongmit-town-kia-january"} & {local(r["what"]) for r in rows}


# --- Q55: alliances ------------------------------------------------------------------------------

TNLA_ALLIES = {
    "mandalay-pdf": {"S05"},
    "s05-allied-groups": {"S05"},
    "s06-allies": {"S06"},
    "s10-allied-resistance-groups": {"S10"},
    "s16-allies": {"S16"},
    "s19-allied-pdfs": {"S19", "S26"},
    "s22-allied-resistance-groups": {"S22"},
    "s23-allies": {"S23"},
}


def test_q55_allies_of_the_tnla(run: Callable[[str], Rows]) -> None:
    rows = run("q55")
    assert {local(r["ally"]): set(r["sentences"].split(", ")) for r in rows} == TNLA_ALLIES


def _select(built: BuildResult, entailment: str, where: str) -> set[str]:
    opened = store.open_store(built.artifact)
    text = f"PREFIX cg: <https://w3id.org/conflict-graph/ontology#>\nSELECT ?x WHERE {{ {where} }}"
    solutions = store.execute(opened, text, store.query_dataset(built.catalogue, entailment))
    assert isinstance(solutions, ox.QuerySolutions)
    return {local(row["x"].value) for row in solutions}


def test_allied_with_is_one_triple_pattern_only_with_inference(real_build: BuildResult) -> None:
    pattern = f"?x cg:alliedWith <{ID}org/tnla>"
    assert _select(real_build, "simple", pattern) == set()  # recorded as "the TNLA is allied with …"
    assert _select(real_build, "owl-rl", pattern) == set(TNLA_ALLIES)


def test_groups_never_called_allies_are_not_allies(real_build: BuildResult) -> None:
    """S16 names the Mandalay PDF and the TNLA as joint agents; S02 lists the MNDAA, the TNLA
    and the PDFs side by side: neither makes them allies of each other."""
    allies_of_tnla = _select(real_build, "owl-rl", f"?x cg:alliedWith <{ID}org/tnla>")
    assert not {"mndaa", "peoples-defense-forces", "s13-local-allies", "s18-allies",
                "s27-mndaa-allied-groups"} & allies_of_tnla
    joint = _select(real_build, "owl-rl", f"?x cg:jointActorWith <{ID}org/tnla>")
    assert joint == {"mandalay-pdf"}
    cooperating = _select(real_build, "owl-rl", f"?x cg:cooperatesWith <{ID}org/tnla>")
    assert cooperating == set(TNLA_ALLIES)  # the Mandalay PDF is both an ally and a joint actor
    assert _select(real_build, "owl-rl", f"?x cg:alliedWith <{ID}org/mndaa>") == {"s27-mndaa-allied-groups"}
    assert _select(real_build, "owl-rl", f"?x cg:alliedWith <{ID}org/kia>") == {"s25-kia-allied-resistance-groups"}
    assert _select(real_build, "owl-rl", f"?x cg:alliedWith <{ID}org/brotherhood-alliance>") == {"s01-allies"}
    assert _select(real_build, "owl-rl", f"?x cg:alliedWith <{ID}org/mandalay-pdf>") == {
        "tnla", "s13-local-allies", "s16-allies", "s18-allies"}


# --- Q56: durations and derived bounds ------------------------------------------------------------

def test_q56_date_range_finds_attacks_known_by_end_and_duration(run: Callable[[str], Rows]) -> None:
    rows = run("q56")
    assert {(local(r["attack"]), r["duration"], r["certainty"], r["earliestStart"], r["latestStart"])
            for r in rows} == {
        ("singu-township-attacks", "P20D", "certainly", "2024-06-26", "2024-07-04"),
        ("mogoke-attacks", "P1M", "certainly", "2024-06-25", "2024-07-01"),
        ("lashio-attacks", "P23D", "possibly", "2024-06-25", "2024-07-11"),
    }
    assert all(r["derivation"].startswith("start = end − duration") for r in rows)


def test_every_derived_bound_names_its_sentence_and_duration(real_build: BuildResult) -> None:
    derivations = _select(real_build, "simple", "?e cg:boundDerivation ?x . ?x a cg:BoundDerivation ; "
                                                "cg:usingDuration ?d ; cg:fromBoundsOf ?f ; "
                                                "<http://www.w3.org/ns/prov#entity> ?q")
    assert derivations == {"start-bounds"}  # one per event, all named <event>/start-bounds
    events = _select(real_build, "simple", "?x cg:boundDerivation ?d")
    assert events == {"singu-township-attacks", "mogoke-attacks", "lashio-attacks"}



def test_new_terms_stay_in_owl_2_rl(real_build: BuildResult) -> None:
    """Alliances are symmetric object properties; cg:duration declares no range, since
    xsd:duration is outside the OWL 2 datatype map (SHACL checks it instead)."""
    symmetric = _select(real_build, "simple", "?x a <http://www.w3.org/2002/07/owl#SymmetricProperty>")
    assert symmetric == {"ontology#adjacentTo", "ontology#cooperatesWith", "ontology#alliedWith",
                         "ontology#jointActorWith"}
    assert _select(real_build, "simple", "cg:duration <http://www.w3.org/2000/01/rdf-schema#range> ?x") == set()
