"""``/api/places.geojson``, ``/map`` and ``/ontology`` on ``conflict-graph serve``, with plain HTTP.

The ontology served is compared with ``ontology/conflict-graph.ttl`` parsed by rdflib (the file,
not the server, is the reference); the GeoJSON with the command line's export of the same build.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from live_server import REPO, LiveServer
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF
from shapely.geometry import shape

ONTOLOGY_FILE = REPO / "ontology" / "conflict-graph.ttl"
CG = "https://w3id.org/conflict-graph/ontology#"
RDF_SUFFIXES = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
                "nt": ("application/n-triples", "nt"), "rdf": ("application/rdf+xml", "xml")}


@pytest.fixture(scope="module")
def ontology_file() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


# --- GeoJSON ---------------------------------------------------------------------------------------

def test_geojson_media_type_and_points(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/api/places.geojson")
    assert reply.status == 200
    assert reply.content_type == "application/geo+json"
    assert reply.headers["Conflict-Graph-Data-Version"] == embedded_server.health()["data_version"]
    collection = reply.json()
    assert isinstance(collection, dict) and collection["type"] == "FeatureCollection"
    lashio = next(f for f in collection["features"] if f["id"].endswith("/place/town/lashio"))
    assert shape(lashio["geometry"]).coords[0] == (97.75, 22.9333)


def test_geojson_for_a_date_matches_the_command_line_export(embedded_server: LiveServer,
                                                            real_cache_dir: Path) -> None:
    reply = embedded_server.get("/api/places.geojson?date=2024-07-21")
    assert reply.status == 200
    exported = subprocess.run(
        [sys.executable, "-m", "conflict_graph", "--cache-dir", str(real_cache_dir), "export",
         "--format", "geojson", "--date", "2024-07-21"], capture_output=True, text=True, check=True,
        cwd=REPO).stdout
    assert reply.json() == json.loads(exported)
    lashio = next(f for f in json.loads(exported)["features"] if f["id"].endswith("/place/town/lashio"))
    assert [h["holds"] for h in lashio["properties"]["control_on_date"]] == ["possibly"]


@pytest.mark.parametrize(("query", "message"), [
    ("date=2024-02-30", "parameter date: date '2024-02-30' is not a calendar day"),
    ("date=July", "parameter date: date must be YYYY-MM-DD"),
    ("day=2024-07-21", "unknown parameter 'day'"),
    ("date=2024-07-21&date=2024-07-19", "parameter 'date' is given 2 times; give it once"),
])
def test_geojson_bad_parameters_are_400(embedded_server: LiveServer, query: str, message: str) -> None:
    reply = embedded_server.get(f"/api/places.geojson?{query}", headers={"Accept": "application/json"})
    assert reply.status == 400
    body = reply.json()
    assert isinstance(body, dict) and message in body["error"]


@pytest.mark.parametrize("accept", ["text/turtle", "text/html", "application/xml"])
def test_geojson_asked_for_in_another_format_is_406(embedded_server: LiveServer, accept: str) -> None:
    reply = embedded_server.get("/api/places.geojson", headers={"Accept": accept})
    assert reply.status == 406 and "application/geo+json" in reply.text


@pytest.mark.parametrize("accept", ["application/geo+json", "application/json", "*/*",
                                    "text/html;q=0.9, application/*;q=0.5",
                                    "application/geo+json; charset=utf-8", "application/json;charset=UTF-8",
                                    "", "text/turtle, application/json;q=0.1"])
def test_geojson_answers_whoever_accepts_json(embedded_server: LiveServer, accept: str) -> None:
    reply = embedded_server.get("/api/places.geojson", headers={"Accept": accept})
    assert reply.status == 200 and reply.content_type == "application/geo+json"
    assert reply.headers["Vary"] == "Accept"


def test_geojson_refused_by_a_zero_quality_is_406(embedded_server: LiveServer) -> None:
    refusing = "application/geo+json;q=0, application/json;q=0, text/html"
    reply = embedded_server.get("/api/places.geojson", headers={"Accept": refusing})
    assert reply.status == 406 and reply.headers["Vary"] == "Accept"


def test_geojson_revalidates_with_its_etag(embedded_server: LiveServer) -> None:
    first = embedded_server.get("/api/places.geojson?date=2024-07-21")
    etag = first.headers["ETag"]
    again = embedded_server.get("/api/places.geojson?date=2024-07-21", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    other = embedded_server.get("/api/places.geojson?date=2024-07-22", headers={"If-None-Match": etag})
    assert other.status == 200


def test_map_page_is_local_only(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/map?date=2024-07-21")
    assert reply.status == 200 and reply.content_type == "text/html"
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    assert '<output id="cg-date-text" for="cg-date">2024-07-21</output>' in reply.text
    for asset in ("/assets/map/vendor/leaflet/leaflet.js", "/assets/map/map.js", "/assets/map/map.css"):
        assert embedded_server.get(asset).status == 200, asset
    outline = embedded_server.get("/assets/map/vendor/myanmar/myanmar.geojson")
    assert outline.status == 200 and outline.content_type == "application/geo+json"
    assert shape(outline.json()["features"][0]["geometry"]).is_valid  # type: ignore[index]
    assert embedded_server.get("/map?date=soon").status == 400


# --- the ontology ----------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", sorted(RDF_SUFFIXES))
def test_ontology_by_suffix_is_the_ontology_file(embedded_server: LiveServer, ontology_file: Graph,
                                                 suffix: str) -> None:
    media, rdflib_format = RDF_SUFFIXES[suffix]
    reply = embedded_server.get(f"/ontology.{suffix}")
    assert reply.status == 200 and reply.content_type == media
    served = Graph().parse(data=reply.body, format=rdflib_format)
    assert isomorphic(served, ontology_file)


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json;q=0.9, text/html;q=0.1",
                                    "application/n-triples", "application/rdf+xml"])
def test_ontology_by_accept(embedded_server: LiveServer, ontology_file: Graph, accept: str) -> None:
    reply = embedded_server.get("/ontology", headers={"Accept": accept})
    assert reply.status == 200
    assert reply.headers["Vary"] == "Accept"
    suffix = next(s for s, (media, _) in RDF_SUFFIXES.items() if media == reply.content_type)
    assert reply.headers["Content-Location"] == f"/ontology.{suffix}"
    assert isomorphic(Graph().parse(data=reply.body, format=RDF_SUFFIXES[suffix][1]), ontology_file)
    links = reply.headers["Link"]
    for other, (media, _) in RDF_SUFFIXES.items():
        assert f'</ontology.{other}>; rel="alternate"; type="{media}"' in links


def test_ontology_html_documents_every_term(embedded_server: LiveServer, ontology_file: Graph) -> None:
    reply = embedded_server.get("/ontology", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert reply.status == 200 and reply.content_type == "text/html"
    assert reply.headers["Vary"] == "Accept"
    html = reply.text
    terms = {str(s) for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
             for s in ontology_file.subjects(RDF.type, t) if str(s).startswith(CG)}
    assert len(terms) > 100
    for term in terms:
        assert f'id="{term.removeprefix(CG)}"' in html, term
    settlement = f'<a href="#Settlement" title="{CG}Settlement"><code>cg:Settlement</code></a>'
    assert settlement in html
    for vocabulary in ("W3C Organization Ontology (ORG)", "PROV-O", "GeoSPARQL", "OWL-Time", "SKOS",
                       "Simple Event Model (SEM)"):
        assert f"<td>{vocabulary}</td>" in html, vocabulary
    assert 'href="/id/place/town/lashio"' in html  # an example instance of cg:Town
    assert '<link rel="alternate" type="text/turtle" href="/ontology.ttl"' in html


def test_version_iri_resolves_and_other_versions_do_not(embedded_server: LiveServer,
                                                        ontology_file: Graph) -> None:
    version = str(next(ontology_file.objects(None, OWL.versionIRI))).rsplit("/", 1)[-1]
    reply = embedded_server.get(f"/ontology/{version}.ttl")
    assert reply.status == 200 and isomorphic(Graph().parse(data=reply.body, format="turtle"), ontology_file)
    html = embedded_server.get(f"/ontology/{version}", headers={"Accept": "text/html"})
    assert html.content_type == "text/html"
    missing = embedded_server.get("/ontology/9.9.9")
    assert missing.status == 404 and f"/ontology/{version}" in missing.text
    assert embedded_server.get("/ontology.pdf").status == 404


def test_ontology_refuses_what_it_cannot_write(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/ontology", headers={"Accept": "image/png"})
    assert reply.status == 406 and "text/turtle" in reply.text
