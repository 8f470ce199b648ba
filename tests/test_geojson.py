"""The GeoJSON of places (``conflict_graph.api.geojson``) over the project's own data.

Read back with shapely, as a GIS tool would, and compared with answers worked out by hand from the
article (the sentence of each is cited), never from the code's own output.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import shape

from conflict_graph.api import geojson
from conflict_graph.api.geojson import Bounds, holds_on
from conflict_graph.api.sparql_rows import SelectRunner, store_runner
from conflict_graph.errors import InputError
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query import store

OUTLINE = (Path(geojson.__file__).parents[1] / "web" / "static" / "map" / "vendor" / "myanmar"
           / "myanmar.geojson")
ID = "https://w3id.org/conflict-graph/id/"
TOWN = ID + "place/town/"
MNDAA, TNLA, KIA, MANDALAY_PDF = (ID + "org/mndaa", ID + "org/tnla", ID + "org/kia", ID + "org/mandalay-pdf")
PLACES_WITH_POINTS = {TOWN + "lashio", TOWN + "nawnghkio", TOWN + "mogoke", TOWN + "singu", TOWN + "mongmit",
                      TOWN + "pyin-oo-lwin", ID + "place/madaya", ID + "place/city/mandalay"}


@pytest.fixture(scope="module")
def select(real_build: BuildResult) -> SelectRunner:
    catalogue, opened = store.open_query_store(real_build.artifact)
    return store_runner(catalogue, opened)


def on_date(select: SelectRunner, day: str) -> dict[str, list[tuple[str, tuple[str, ...], str, str]]]:
    """Place IRI → [(holds, controller IRIs, level label, status label)] on ``day``."""
    collection = geojson.places(select, date.fromisoformat(day))
    assert collection["date"] == day
    return {f["id"]: [(h["holds"], tuple(c["iri"] for c in h["controllers"]), h["level"]["label"],
                       h["status"]["label"]) for h in f["properties"]["control_on_date"]]
            for f in collection["features"]}


# --- the date rule ---------------------------------------------------------------------------------

D = date.fromisoformat


@pytest.mark.parametrize(("bounds", "day", "expected"), [
    (Bounds(D("2024-07-20"), D("2024-07-20")), "2024-07-19", None),            # not yet started
    (Bounds(D("2024-07-20"), D("2024-07-20")), "2024-07-20", "certainly"),     # exact day, no end
    (Bounds(D("2024-07-17"), D("2024-08-03")), "2024-07-17", "possibly"),      # may have started
    (Bounds(D("2024-07-17"), D("2024-08-03")), "2024-08-03", "certainly"),     # latest start reached
    (Bounds(D("2024-01-01"), D("2024-01-31"), D("2024-01-01"), D("2024-07-20")), "2024-01-15", "possibly"),
    (Bounds(D("2024-01-01"), D("2024-01-31"), D("2024-02-10"), D("2024-07-20")), "2024-02-05", "certainly"),
    (Bounds(D("2024-01-01"), D("2024-01-31"), D("2024-02-10"), D("2024-07-20")), "2024-02-10", "certainly"),
    (Bounds(D("2024-01-01"), D("2024-01-31"), D("2024-02-10"), D("2024-07-20")), "2024-07-20", "possibly"),
    (Bounds(D("2024-01-01"), D("2024-01-31"), D("2024-02-10"), D("2024-07-20")), "2024-07-21", None),
    (Bounds(), "2024-07-21", "possibly"),                                      # no bounds at all
    (Bounds(latest_start=D("2024-07-01")), "2024-07-21", "certainly"),         # started by July 1
    (Bounds(D("2024-07-01"), D("2024-07-02"), latest_end=D("2024-07-10")), "2024-07-05", "possibly"),
])
def test_holds_on(bounds: Bounds, day: str, expected: str | None) -> None:
    assert holds_on(bounds, D(day)) == expected


@pytest.mark.parametrize("value", ["2024-7-21", "21/07/2024", "2024-02-30", "", "2024-07-21T00:00"])
def test_bad_dates_are_refused(value: str) -> None:
    with pytest.raises(InputError, match="date"):
        geojson.parse_date(value)


@pytest.mark.parametrize(("wkt", "expected"), [
    ("POINT(97.75 22.9333)", [97.75, 22.9333]),
    ("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(97.75 22.9333)", [97.75, 22.9333]),
    (" point ( -1.5e1 2 ) ", [-15.0, 2.0]),
])
def test_wkt_points_keep_longitude_first(wkt: str, expected: list[float]) -> None:
    assert geojson.point_coordinates(wkt) == (expected, None)


@pytest.mark.parametrize(("wkt", "reason"), [
    ("LINESTRING(1 2, 3 4)", "not a WKT POINT"),
    ("<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(22.9 97.7)", "is not CRS84"),
    ("POINT(200 10)", "out of range"),
])
def test_other_geometries_are_reported_not_converted(wkt: str, reason: str) -> None:
    coordinates, why = geojson.point_coordinates(wkt)
    assert coordinates is None and why is not None and reason in why


# --- the collection, read back as a GIS tool reads it -----------------------------------------------

def test_collection_is_valid_geojson_inside_myanmar(select: SelectRunner) -> None:
    """RFC 7946: a FeatureCollection of Point features, [longitude, latitude]; every place lies in
    Myanmar's outline (a swapped pair would land in the Indian Ocean or off the map)."""
    collection = json.loads(json.dumps(geojson.places(select)))
    assert collection["type"] == "FeatureCollection"
    assert "not_exported" not in collection
    myanmar = shape(json.loads(OUTLINE.read_text(encoding="utf-8"))["features"][0]["geometry"])
    assert {f["id"] for f in collection["features"]} == PLACES_WITH_POINTS
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        point = shape(feature["geometry"])
        assert isinstance(point, shapely.Point) and point.is_valid
        assert myanmar.contains(point), feature["id"]
        assert feature["properties"]["iri"] == feature["id"]
        assert feature["properties"]["page"] == "/" + feature["id"].removeprefix("https://w3id.org/conflict-graph/")
        assert "control_on_date" not in feature["properties"]


def test_lashio_as_the_gazetteer_and_the_article_give_it(select: SelectRunner) -> None:
    """Gazetteer: Lashio at 22°56′N 97°45′E. S27: the MNDAA and allied groups seized almost all of
    Lashio town "last week" (publication 2024-07-25..08-04, after 23 days of attacks begun no earlier
    than 2024-06-25: start 2024-07-17..2024-08-03); S03 and S31 support it; no end."""
    lashio = next(f for f in geojson.places(select)["features"] if f["id"] == TOWN + "lashio")
    assert lashio["geometry"] == {"type": "Point", "coordinates": [97.75, 22.9333]}
    properties = lashio["properties"]
    assert (properties["label"], properties["place_type"]) == ("Lashio town", "town")
    assert [s["iri"] for s in properties["coordinate_sources"]] == [ID + "source/web-lashio-xcv-wiki"]
    [entry] = properties["control_history"]
    assert entry["assertion"] == ID + "assertion/control/lashio-town-almost-all"
    assert [c["iri"] for c in entry["controllers"]] == [MNDAA]
    allies = ID + "org/unnamed/irrawaddy-2024-op1027-phase2/s27-mndaa-allied-groups"
    assert [c["iri"] for c in entry["co_controllers"]] == [allies]
    level = "https://w3id.org/conflict-graph/ontology#AlmostAllControl"
    assert (entry["level"]["iri"], entry["level"]["rank"]) == (level, 3)
    assert entry["status"]["label"] == "stated"
    assert entry["start"] == {"earliest": "2024-07-17", "latest": "2024-08-03"}
    assert entry["end"] is None
    assert sorted({e["sentence"] for e in entry["evidence"]}) == ["S03", "S27", "S31"]


def test_mongmit_history_keeps_the_reversed_january_control(select: SelectRunner) -> None:
    """S25: the KIA briefly took Mongmit in January (ended by the junta's recapture, before the
    TNLA's mid-July control); S23: the TNLA and allies took effective control in mid-July."""
    mongmit = next(f for f in geojson.places(select)["features"] if f["id"] == TOWN + "mongmit")
    history = mongmit["properties"]["control_history"]
    assert [(tuple(c["iri"] for c in h["controllers"]), h["start"], h["end"]) for h in history] == [
        ((KIA,), {"earliest": "2024-01-01", "latest": "2024-01-31"},
         {"earliest": "2024-01-01", "latest": "2024-07-20"}),
        ((TNLA,), {"earliest": "2024-07-11", "latest": "2024-07-20"}, None),
    ]


def test_control_on_2024_07_21(select: SelectRunner) -> None:
    """By hand: Nawnghkio town (S05, June 26/27), Singu town (S13, July 20) and Mongmit town (S23,
    mid-July = by July 20) are certainly held; Lashio only possibly ("last week" may be as late as
    Aug 3); Mogoke not yet (S19, July 25); the KIA's January control ended by July 20 (S25)."""
    assert on_date(select, "2024-07-21") == {
        TOWN + "lashio": [("possibly", (MNDAA,), "almost all", "stated")],
        TOWN + "nawnghkio": [("certainly", (TNLA,), "effective control", "stated")],
        TOWN + "singu": [("certainly", (MANDALAY_PDF,), "complete control", "stated")],
        TOWN + "mongmit": [("certainly", (TNLA,), "effective control", "stated")],
        TOWN + "mogoke": [],
        TOWN + "pyin-oo-lwin": [],
        ID + "place/madaya": [],
        ID + "place/city/mandalay": [],
    }


def test_control_on_2024_07_15(select: SelectRunner) -> None:
    """Mid-July: the TNLA may already hold Mongmit (mid-July = July 11..20), and the KIA's January
    control may not yet have ended (the recapture is bounded only by July 20): both possible.
    Lashio's start is no earlier than July 17; Singu's is July 20."""
    assert on_date(select, "2024-07-15") == {
        TOWN + "lashio": [],
        TOWN + "nawnghkio": [("certainly", (TNLA,), "effective control", "stated")],
        TOWN + "singu": [],
        TOWN + "mongmit": [("possibly", (TNLA,), "effective control", "stated"),
                           ("possibly", (KIA,), "control, level not stated", "stated")],
        TOWN + "mogoke": [],
        TOWN + "pyin-oo-lwin": [],
        ID + "place/madaya": [],
        ID + "place/city/mandalay": [],
    }


def test_control_on_2024_08_04(select: SelectRunner) -> None:
    """At the latest publication date every reported control has begun: Lashio certainly (S27's
    "last week" ends by Aug 3) and Mogoke certainly (S19, July 25)."""
    answer = on_date(select, "2024-08-04")
    assert answer[TOWN + "lashio"] == [("certainly", (MNDAA,), "almost all", "stated")]
    assert answer[TOWN + "mogoke"] == [("certainly", (TNLA,), "complete control", "stated")]
    assert answer[TOWN + "mongmit"] == [("certainly", (TNLA,), "effective control", "stated")]


def test_every_answer_comes_from_the_store(select: SelectRunner) -> None:
    """Each control assertion about a place with a point appears once in that place's history."""
    rows = select("""PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
        PREFIX geo: <http://www.opengis.net/ont/geosparql#>
        SELECT ?place ?a WHERE { ?place geo:hasGeometry/geo:asWKT ?w . ?a cg:controlledPlace ?place }""",
                  "simple")
    expected = sorted((r["place"], r["a"]) for r in rows)
    collection: dict[str, Any] = geojson.places(select)
    got = sorted((f["id"], h["assertion"])
                 for f in collection["features"] for h in f["properties"]["control_history"])
    assert got == expected and len(got) == 6
