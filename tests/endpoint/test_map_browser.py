"""The map page and the ontology page in a real browser (Debian's Chromium through Playwright),
against ``conflict-graph serve`` on the project's own data.

What the map must show is computed here independently: the places with coordinates by a SPARQL
query sent to ``/sparql``, and the days on which Lashio's and Singu's control changes from the
article (S27: the MNDAA seized almost all of Lashio "last week", i.e. 2024-07-17..2024-08-03;
S13: the Mandalay PDF took Singu town on 2024-07-20).
"""

# ruff: noqa: F811
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from urllib.parse import quote, urlsplit

import pytest
from live_server import LiveServer
from playwright.sync_api import Page, Route

# The query page's browser fixtures; tests name ``page`` as a parameter, hence F811.
from browser_support import Recorder

pytestmark = pytest.mark.browser

ID = "https://w3id.org/conflict-graph/id/"
LASHIO, SINGU = ID + "place/town/lashio", ID + "place/town/singu"
MNDAA = ID + "org/mndaa"
PLACES_WITH_COORDINATES = """PREFIX geo: <http://www.opengis.net/ont/geosparql#>
SELECT (COUNT(DISTINCT ?place) AS ?n) WHERE { ?place geo:hasGeometry/geo:asWKT ?wkt }"""


@pytest.fixture
def map_page(page: Page, embedded_server: LiveServer) -> Iterator[tuple[Page, Recorder]]:
    recorder = Recorder(page)
    page.goto(embedded_server.root + "/map")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    yield page, recorder


def choose_day(page: Page, day: str) -> None:
    """Move the slider to ``day`` as a user would (keyboard focus and value), and wait for the map."""
    config = json.loads(page.locator("#cg-map-config").text_content() or "{}")
    offset = (date.fromisoformat(day) - date.fromisoformat(config["first"])).days
    page.locator("#cg-date").fill(str(offset))
    page.wait_for_selector(f"body[data-shown-date='{day}']", state="attached", timeout=30_000)
    assert page.locator("#cg-date-text").text_content() == day


def marker(page: Page, iri: str) -> dict[str, str | None]:
    element = page.locator(f"path.cg-place[data-iri='{iri}']")
    return {name: element.get_attribute(name)
            for name in ("fill", "fill-opacity", "stroke", "stroke-dasharray", "data-holds",
                         "data-controller")}


def legend_colour(page: Page, controller: str) -> str:
    """The swatch colour the legend gives a controller, as #rrggbb."""
    rgb = page.locator(f"#cg-legend-controllers li[data-controller='{controller}'] .cg-swatch").evaluate(
        "e => getComputedStyle(e).backgroundColor")
    red, green, blue = (int(part) for part in rgb[rgb.index("(") + 1:-1].split(","))
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_one_marker_per_place_with_coordinates(map_page: tuple[Page, Recorder],
                                               embedded_server: LiveServer) -> None:
    page, recorder = map_page
    reply = embedded_server.get("/sparql?query=" + quote(PLACES_WITH_COORDINATES),
                                headers={"Accept": "application/sparql-results+json"})
    expected = int(reply.json()["results"]["bindings"][0]["n"]["value"])  # type: ignore[index]
    assert expected == 8
    assert page.locator("path.cg-place").count() == expected
    assert page.locator("#cg-places tbody tr").count() == expected
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_slider_recolours_lashio_as_the_article_dates_it(map_page: tuple[Page, Recorder]) -> None:
    page, recorder = map_page
    choose_day(page, "2024-07-10")  # before "last week" can begin: no control reported
    before = marker(page, LASHIO)
    assert before["data-holds"] == "none" and before["fill"] == "#8a8a8a"

    choose_day(page, "2024-07-20")  # inside 07-17..08-03: only possibly; outlined, solid (stated)
    possible = marker(page, LASHIO)
    colour = legend_colour(page, MNDAA)
    assert possible["data-holds"] == "possibly" and possible["data-controller"] == MNDAA
    assert possible["stroke"] == colour and float(possible["fill-opacity"] or 1) < 0.2
    assert possible["stroke-dasharray"] is None

    choose_day(page, "2024-08-04")  # after the latest start: certainly; filled
    certain = marker(page, LASHIO)
    assert certain["data-holds"] == "certainly" and certain["fill"] == colour
    assert float(certain["fill-opacity"] or 0) > 0.5
    row = page.locator(f"#cg-places tr[data-iri='{LASHIO}']").inner_text()
    assert "almost all" in row and "certainly" in row and "stated" in row
    assert recorder.remote() == [] and recorder.console_errors == []


def test_singu_changes_hands_on_july_20(map_page: tuple[Page, Recorder]) -> None:
    page, _ = map_page
    choose_day(page, "2024-07-19")
    assert marker(page, SINGU)["data-holds"] == "none"
    choose_day(page, "2024-07-20")
    assert marker(page, SINGU)["data-holds"] == "certainly"
    assert marker(page, SINGU)["data-controller"] == ID + "org/mandalay-pdf"


def test_marker_click_opens_the_entity_page(map_page: tuple[Page, Recorder]) -> None:
    page, recorder = map_page
    with page.expect_navigation():
        page.locator(f"path.cg-place[data-iri='{LASHIO}']").click()
    assert urlsplit(page.url).path == "/id/place/town/lashio"
    assert recorder.remote() == []


def test_timeline_links_events_to_their_pages(map_page: tuple[Page, Recorder]) -> None:
    page, _ = map_page
    links = page.locator(".cg-event-label")
    assert links.count() >= 10
    assert page.locator(".cg-event-label[href='/id/event/lashio-attacks']").count() == 1


def test_ontology_page_loads_clean(page: Page, embedded_server: LiveServer) -> None:
    recorder = Recorder(page)
    page.goto(embedded_server.root + "/ontology#Town")
    assert page.locator("#Town h3").inner_text().startswith("town")
    page.locator("#Town a[href='#Settlement']").click()
    assert urlsplit(page.url).fragment == "Settlement"
    assert recorder.remote() == [] and recorder.console_errors == []


def test_claimed_control_is_dashed(page: Page, embedded_server: LiveServer) -> None:
    """No place with a point has claimed control in the article (the TNLA's claim is about Nawnghkio
    Township, which has none), so this test serves the page the server's own GeoJSON with Lashio's
    status changed to claimed, through the browser's request routing, and checks the drawing."""
    recorder = Recorder(page)
    claimed = "https://w3id.org/conflict-graph/ontology#Claimed"

    def claim(route: Route) -> None:
        answer = route.fetch().json()
        for feature in answer["features"]:
            for entry in feature["properties"].get("control_on_date", []):
                if feature["id"] == LASHIO:
                    entry["status"] = {"iri": claimed, "label": "claimed", "page": None}
        route.fulfill(json=answer, headers={"Content-Type": "application/geo+json"})

    page.route("**/api/places.geojson?date=*", claim)
    page.goto(embedded_server.root + "/map?date=2024-08-04")
    page.wait_for_selector("body[data-shown-date='2024-08-04']", state="attached", timeout=60_000)
    lashio = marker(page, LASHIO)
    assert lashio["data-holds"] == "certainly" and lashio["stroke-dasharray"] == "5 4"
    assert marker(page, ID + "place/town/mogoke")["stroke-dasharray"] is None  # stated: solid
    assert "claimed" in page.locator(f"#cg-places tr[data-iri='{LASHIO}']").inner_text()
    assert recorder.remote() == [] and recorder.console_errors == []
