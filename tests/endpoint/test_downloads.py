"""Downloads over HTTP from a live server on the embedded data: the listing, each file with its
checksum and caching headers, the published JSON-LD context, and a helpful 404."""

from __future__ import annotations

import base64
import hashlib
import io
import json

import pandas as pd
import pyoxigraph as ox
from live_server import LiveServer

EXPECTED_FILES = ["dataset.nq", "dataset.trig", "dataset.jsonld", "context.jsonld", "events-acled.csv", "places.geojson",
                  "void.ttl", "SHA256SUMS"]


def test_listing_names_every_file_with_its_checksum(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/downloads/")
    assert reply.status == 200 and reply.content_type == "application/json"
    listing = reply.json()
    assert isinstance(listing, dict)
    assert [item["name"] for item in listing["files"]] == EXPECTED_FILES
    assert listing["data_version"] == embedded_server.health()["data_version"]
    for item in listing["files"]:
        got = embedded_server.get(f"/downloads/{item['name']}")
        assert got.status == 200, item["name"]
        assert hashlib.sha256(got.body).hexdigest() == item["sha256"]
        assert len(got.body) == item["bytes"]
        assert got.content_type == item["media_type"]
        assert got.headers["ETag"] == f'"{item["sha256"]}"'
        assert got.headers["Digest"] == "sha-256=" + base64.b64encode(hashlib.sha256(got.body).digest()).decode()
        again = embedded_server.get(f"/downloads/{item['name']}", {"If-None-Match": got.headers["ETag"]})
        assert again.status == 304 and again.body == b""


def test_listing_is_a_page_for_browsers(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/downloads/", {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert reply.status == 200 and reply.content_type == "text/html"
    for name in EXPECTED_FILES:
        assert f'href="/downloads/{name}"' in reply.text


def test_the_csv_opens_in_pandas_and_the_quads_parse(embedded_server: LiveServer) -> None:
    frame = pd.read_csv(io.BytesIO(embedded_server.get("/downloads/events-acled.csv").body), dtype=str)
    assert len(frame) > 0 and frame.columns[0] == "event_id_cnty"
    quads = list(ox.parse(embedded_server.get("/downloads/dataset.nq").body, format=ox.RdfFormat.N_QUADS))
    void = ox.Store()
    void.load(embedded_server.get("/downloads/void.ttl").body, format=ox.RdfFormat.TURTLE)
    (total,) = void.query("""PREFIX void: <http://rdfs.org/ns/void#>
        SELECT DISTINCT ?n { ?d void:subset ?g ; void:triples ?n }""")
    assert len(quads) == int(total["n"].value)


def test_context_is_published_as_json_ld(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/context.jsonld")
    assert reply.status == 200 and reply.content_type == "application/ld+json"
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    context = json.loads(reply.body)["@context"]
    assert context["cg"] == "https://w3id.org/conflict-graph/ontology#"


def test_an_unknown_download_is_a_404_that_points_to_the_list(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/downloads/secrets.txt")
    assert reply.status == 404
    assert "/downloads/" in reply.text and "secrets.txt" in reply.text
    assert embedded_server.get("/downloads/..%2Fmeta.json").status == 404
