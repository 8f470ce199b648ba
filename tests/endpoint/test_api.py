"""The query API on a live ``conflict-graph serve`` (the project's own data), over real HTTP.

``/api/queries`` lists the named queries; ``/api/queries/{name}`` runs one with typed parameters
(400 naming a bad one), in the endpoint's formats and with its citation headers;
``/api/openapi.json`` is a valid OpenAPI 3.1 document (checked with openapi-spec-validator);
``/api/`` is the Swagger UI page, whose assets are served from the package.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from live_server import LiveServer
from openapi_spec_validator import validate

from conflict_graph.query.named_queries import load_queries

Q40 = "/api/queries/q40-control-as-of-date"
TNLA = "Ta’ang National Liberation Army"
#: Who controlled what on 2024-07-21, worked out by hand (see tests/test_research_queries.py).
ON_2024_07_21 = {
    ("Nawnghkio town", TNLA, "effective control", "stated", "certainly"),
    ("Nawnghkio Township", TNLA, "complete control", "claimed", "certainly"),
    ("Kyaukme town", TNLA, "effective control", "stated", "certainly"),
    ("Singu Township", "Mandalay PDF", "complete control", "stated", "certainly"),
    ("Singu town", "Mandalay PDF", "complete control", "stated", "certainly"),
    ("Mongmit town", TNLA, "effective control", "stated", "certainly"),
    ("Monglon town", TNLA, "control, level not stated", "stated", "possibly"),
    ("Mongmit Township", "resistance groups", "contested", "stated", "possibly"),
    ("Lashio town", "Myanmar Nationalities Democratic Alliance Army", "almost all", "stated", "possibly"),
}


def csv_rows(text: str) -> set[tuple[str, ...]]:
    return {
        (r["place"], r["controller"], r["level"], r["status"], r["holds"])
        for r in csv.DictReader(io.StringIO(text))
    }


def test_who_controlled_what_on_2024_07_21_as_csv(embedded_server: LiveServer) -> None:
    """The one-line curl of the notes: GET …/q40-control-as-of-date?day=2024-07-21&format=csv."""
    reply = requests.get(
        embedded_server.root + Q40, params={"day": "2024-07-21", "format": "csv"}, timeout=60
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(reply.text) == ON_2024_07_21
    assert {r["day"] for r in csv.DictReader(io.StringIO(reply.text))} == {"2024-07-21"}
    health = embedded_server.health()
    assert reply.headers["Conflict-Graph-Data-Version"] == health["data_version"]
    assert reply.headers["Conflict-Graph-Ontology-Version"] == health["ontology_version"]
    assert reply.headers["Conflict-Graph-Entailment"] == "simple"
    assert reply.headers["Conflict-Graph-Rows"] == "9"
    assert reply.headers["Conflict-Graph-Truncated"] == "false"
    assert f'<{embedded_server.root}/api/openapi.json>; rel="service-desc"' in reply.headers["Link"]


def test_the_default_day_and_the_accept_header(embedded_server: LiveServer) -> None:
    reply = requests.get(embedded_server.root + Q40, headers={"Accept": "text/csv"}, timeout=60)
    assert reply.status_code == 200 and csv_rows(reply.text) == ON_2024_07_21


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_sparql_results_formats(embedded_server: LiveServer, accept: str, content_type: str) -> None:
    reply = requests.get(
        embedded_server.root + Q40, params={"day": "2024-07-01"}, headers={"Accept": accept}, timeout=60
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"].split(";")[0] == content_type
    if content_type.endswith("+json"):
        places = {b["place"]["value"] for b in reply.json()["results"]["bindings"]}
    elif content_type.endswith("+xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(reply.content)
        places = {
            b.findtext("r:literal", namespaces=ns) for b in root.iterfind(".//r:binding[@name='place']", ns)
        }
    else:
        header, *lines = reply.text.splitlines()
        column = header.split("\t").index("?place")
        places = {line.split("\t")[column].split('"')[1] for line in lines}
    assert places == {
        "Nawnghkio town",
        "Nawnghkio Township",
        "Kyaukme town",
        "Monglon town",
        "Mongmit Township",
        "Mongmit town",
    }


def test_records_are_plain_json_with_typed_values(embedded_server: LiveServer) -> None:
    url = embedded_server.root + Q40
    reply = requests.get(url, params={"day": "2024-07-21", "format": "records"}, timeout=60)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    rows = reply.json()
    assert {(r["place"], r["controller"], r["level"], r["status"], r["holds"]) for r in rows} == ON_2024_07_21
    lashio = next(r for r in rows if r["place"] == "Lashio town")
    assert lashio["day"] == "2024-07-21" and lashio["startEarliest"] == "2024-07-17"
    assert lashio["endEarliest"] is None
    assert lashio["placeIri"] == "https://w3id.org/conflict-graph/id/place/town/lashio"
    assert reply.headers["Conflict-Graph-Rows"] == "9"
    sparql_json = requests.get(url, params={"day": "2024-07-21"}, timeout=60)
    assert sparql_json.headers["ETag"] != reply.headers["ETag"]  # a cache never mixes the two
    again = requests.get(
        url,
        params={"day": "2024-07-21", "format": "records"},
        headers={"If-None-Match": reply.headers["ETag"]},
        timeout=60,
    )
    assert again.status_code == 304


def test_etag_revalidation(embedded_server: LiveServer) -> None:
    url = embedded_server.root + Q40
    first = requests.get(url, params={"day": "2024-07-21"}, timeout=60)
    again = requests.get(
        url, params={"day": "2024-07-21"}, headers={"If-None-Match": first.headers["ETag"]}, timeout=60
    )
    assert again.status_code == 304 and again.content == b""
    other_day = requests.get(
        url, params={"day": "2024-07-22"}, headers={"If-None-Match": first.headers["ETag"]}, timeout=60
    )
    assert other_day.status_code == 200  # the ETag covers the parameter values


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "day=2024-13-01",
            "parameter 'day' must be a date written YYYY-MM-DD, such as 2024-07-21, not '2024-13-01'",
        ),
        ("day=yesterday", "parameter 'day' must be a date written YYYY-MM-DD"),
        ("dya=2024-07-21", "query 'q40-control-as-of-date' has no parameter 'dya'; it takes: day"),
        ("day=2024-07-21&day=2024-07-22", "parameter 'day' is given 2 times; give it once"),
        ("format=pdf", "unknown result format 'pdf'"),
        # a format of graphs, for a SELECT query
        ("format=turtle", "format 'turtle' is not a format of this query's answers "
                          "('q40-control-as-of-date' answers with a table of results); give one of json, "
                          "xml, csv, tsv, records"),
    ],
)
def test_bad_parameters_are_400_naming_them(embedded_server: LiveServer, query: str, message: str) -> None:
    reply = embedded_server.get(f"{Q40}?{query}", headers={"Accept": "application/json"})
    assert reply.status == 400
    body = reply.json()
    assert body["status"] == 400 and message in body["error"]  # type: ignore[index,operator]


def test_a_bad_iri_is_a_400(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/api/queries/q42-what-a-source-supports?source=" + quote("not an iri"))
    assert reply.status == 400
    assert "parameter 'source' must be an absolute IRI" in reply.text


def test_an_unknown_query_is_404(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/api/queries/q99-nothing", headers={"Accept": "application/json"})
    assert reply.status == 404
    assert "there is no named query 'q99-nothing'" in reply.json()["error"]  # type: ignore[index]


def test_a_source_iri_parameter(embedded_server: LiveServer) -> None:
    reply = requests.get(
        embedded_server.root + "/api/queries/q42-what-a-source-supports",
        params={"source": "https://w3id.org/conflict-graph/id/source/wikidata-q836"},
        timeout=60,
    )
    assert reply.status_code == 200
    assert sorted(b["label"]["value"] for b in reply.json()["results"]["bindings"]) == [
        "Myanmar is Wikidata item Q836",
        "Myanmar matches Wikidata item Q836",
    ]


def test_listing_names_every_query_with_its_parameters(embedded_server: LiveServer) -> None:
    listing = requests.get(embedded_server.root + "/api/queries", timeout=60).json()
    assert [q["name"] for q in listing["queries"]] == [q.name for q in load_queries()]
    q41 = next(q for q in listing["queries"] if q["name"] == "q41-events-in-date-range")
    assert q41["url"] == "/api/queries/q41-events-in-date-range"
    assert q41["parameters"] == [
        {
            "name": "start",
            "type": "date",
            "description": "First day of the range, YYYY-MM-DD",
            "required": False,
            "default": "2024-06-25",
        },
        {
            "name": "end",
            "type": "date",
            "description": "Last day of the range, YYYY-MM-DD",
            "required": False,
            "default": "2024-08-04",
        },
    ]


def test_every_named_query_answers(embedded_server: LiveServer) -> None:
    for query in load_queries():
        reply = embedded_server.get(f"/api/queries/{query.name}")
        assert reply.status == 200, (query.name, reply.text)
        assert reply.json()["results"]["bindings"], query.name  # type: ignore[index]


def test_openapi_description_is_valid_and_complete(embedded_server: LiveServer) -> None:
    document = requests.get(embedded_server.root + "/api/openapi.json", timeout=60).json()
    validate(document)  # OpenAPI 3.1 schema, with openapi-spec-validator
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": embedded_server.root}]
    names = [q.name for q in load_queries()]
    assert set(document["paths"]) == ({"/api/queries", "/api/places.geojson"}
                                      | {f"/api/queries/{n}" for n in names})
    places = document["paths"]["/api/places.geojson"]["get"]
    assert [p["name"] for p in places["parameters"]] == ["date"]
    assert set(places["responses"]["200"]["content"]) == {"application/geo+json"}
    served = requests.get(embedded_server.root + "/api/places.geojson", timeout=60)
    assert served.headers["Content-Type"].startswith("application/geo+json")
    operation = document["paths"][Q40]["get"]
    assert operation["summary"] == "Q40 Who controlled what on a given day"
    day, fmt = operation["parameters"]
    assert day == {
        "name": "day",
        "in": "query",
        "required": False,
        "description": "The day to ask about, YYYY-MM-DD",
        "schema": {"type": "string", "format": "date", "default": "2024-07-21"},
    }
    assert fmt["name"] == "format" and fmt["schema"]["enum"] == ["json", "xml", "csv", "tsv", "records"]
    assert set(operation["responses"]["200"]["content"]) == {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "application/json",
    }
    assert len({op["get"]["operationId"] for op in document["paths"].values()}) == len(document["paths"])


def test_the_api_page_and_its_vendored_assets(embedded_server: LiveServer) -> None:
    page = requests.get(embedded_server.root + "/api/", timeout=60)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert 'data-openapi-url="/api/openapi.json"' in page.text
    assets = [
        "/api/assets/vendor/swagger-ui/swagger-ui-bundle.js",
        "/api/assets/vendor/swagger-ui/swagger-ui.css",
        "/api/assets/api/api.js",
    ]
    for asset in assets:
        assert asset in page.text
        reply = requests.get(embedded_server.root + asset, timeout=60)
        assert reply.status_code == 200 and len(reply.content) > 100, asset
    vendored = Path(__file__).resolve().parents[2] / "src/conflict_graph/web/static/vendor/swagger-ui"
    assert (vendored / "VERSION").read_text().split() == [
        "swagger-ui-dist",
        json.loads(
            (Path(__file__).resolve().parents[2] / "scripts/vendor/swagger-ui/package.json").read_text()
        )["dependencies"]["swagger-ui-dist"],
    ]
    assert (vendored / "LICENSE").is_file()
    assert "http" not in page.text.split("<body>", 1)[1].replace(embedded_server.root, "")  # no CDN
