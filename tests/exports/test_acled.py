"""The ACLED-style events CSV of the article, read back with pandas and with the csv module."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from conflict_graph.cli import commands
from conflict_graph.exports.acled import COLUMNS, EVENT_TYPES
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query import store

#: ACLED's own columns, in the order of ACLED's exports (ACLED Codebook 2023).
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
EVENT = "https://w3id.org/conflict-graph/id/event/"


@pytest.fixture(scope="module")
def exported(real_build: BuildResult) -> bytes:
    catalogue, opened = store.open_query_store(real_build.artifact)
    return commands.export(catalogue, opened, fmt="acled")


@pytest.fixture(scope="module")
def frame(exported: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(exported), dtype=str, keep_default_na=False)


def _row(frame: pd.DataFrame, event: str, place: str = "") -> dict[str, str]:
    match = frame[(frame.cg_event == EVENT + event) & (frame.cg_place.str.endswith(place))]
    assert len(match) == 1, f"{event} at {place!r}: {len(match)} rows"
    return dict(match.iloc[0])


def test_columns_are_acleds_then_ours(frame: pd.DataFrame) -> None:
    assert list(frame.columns)[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert all(name.startswith("cg_") for name in list(frame.columns)[len(ACLED_COLUMNS):])
    assert list(frame.columns) == list(COLUMNS)


def test_every_event_of_a_mapped_class_is_exported_once_per_place(real_build: BuildResult,
                                                                   frame: pd.DataFrame) -> None:
    """Expected rows come from the graph by an independent query: events × their places."""
    catalogue, opened = store.open_query_store(real_build.artifact)
    values = " ".join(f"<{iri}>" for iri in EVENT_TYPES)
    result = store.execute(opened, f"""
        PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
        SELECT DISTINCT ?event ?place WHERE {{
          ?event a ?class VALUES ?class {{ {values} }} OPTIONAL {{ ?event cg:eventPlace ?place }} }}""",
        store.query_dataset(catalogue, "owl-rl", unions=True))
    expected = {(s["event"].value, s["place"].value if s["place"] else "") for s in result}
    got = {(row.cg_event, row.cg_place) for row in frame.itertuples()}
    assert got == expected
    assert len(frame) == len(expected)
    # 25 events in the article; operation, phase two, the junta's losses and the uprising are
    # periods or summaries, not ACLED events.
    assert len({event for event, _ in expected}) == 21
    assert list(frame.event_id_cnty) == [f"MMR-CG{n:05d}" for n in range(1, len(frame) + 1)]


def test_rows_read_by_hand_from_the_article(frame: pd.DataFrame) -> None:
    # S25: the junta retook Mongmit town (a government recapture), after January, before mid-July.
    mongmit = _row(frame, "junta-recapture-of-mongmit", "town/mongmit")
    assert (mongmit["event_type"], mongmit["sub_event_type"]) == ("Battles", "Government regains territory")
    assert (mongmit["actor1"], mongmit["inter1"], mongmit["actor2"]) == ("Myanmar junta", "1", "Kachin Independence Army")
    assert (mongmit["cg_earliest_date"], mongmit["cg_latest_date"]) == ("2024-01-01", "2024-07-20")
    # S06: the TNLA's claim is dated July 10 to the day: precision 1, a strategic development.
    claim = _row(frame, "tnla-claim-nawnghkio-township")
    assert (claim["event_date"], claim["time_precision"], claim["event_type"]) == \
        ("2024-07-10", "1", "Strategic developments")
    assert claim["tags"] == "stated"  # that the TNLA made the claim is stated; what it claims is not
    # S03/S28/S29: Lashio town seized, a non-state takeover; the town has a gazetteer point.
    lashio = _row(frame, "north-eastern-command-hq-seizure", "town/lashio")
    assert lashio["sub_event_type"] == "Non-state actor overtakes territory"
    assert (lashio["latitude"], lashio["longitude"], lashio["geo_precision"]) == ("22.9333", "97.75", "1")
    assert lashio["admin1"] == "Shan State"
    # Every row quotes its sentences verbatim in notes, and is placed in Myanmar.
    assert set(frame.country) == {"Myanmar"} and set(frame.iso) == {"104"}
    for row in frame.itertuples():
        for sentence in row.cg_sentences.split():
            assert f"[{sentence}] " in row.notes
    # Nothing invented: the article reports no deaths for any one event.
    assert set(frame.fatalities) == {""}


def test_a_spreadsheet_reads_it_as_plain_csv(exported: bytes) -> None:
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8"), newline="")))
    assert rows[0] == list(COLUMNS)
    assert {len(row) for row in rows} == {len(COLUMNS)}
    assert exported.count(b"\r\n") == len(rows)
