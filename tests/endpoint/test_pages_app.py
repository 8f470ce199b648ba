"""The pages in process, on the small fixture dataset: the public base URL setting, pages of a
dataset that has no source document, and the limit on triples per page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conflict_graph import settings
from conflict_graph.errors import SettingError
from conflict_graph.query.engine import QueryService
from conflict_graph.web import create_app


def test_links_use_the_public_base_url(engine: QueryService) -> None:
    app = create_app({"TESTING": True, "public_base_url": "https://cg.example.org/"}, engine=engine)
    version = engine.catalogue.data_version
    reply = app.test_client().get(f"/dataset/{version}", headers={"Accept": "text/html"})
    assert reply.status_code == 200
    assert f'<https://cg.example.org/dataset/{version}.ttl>; rel="alternate"; type="text/turtle"' \
        in reply.headers["Link"]
    assert f'<https://w3id.org/conflict-graph/dataset/{version}>; rel="canonical"' in reply.headers["Link"]


def test_without_it_links_use_the_request_address(engine: QueryService) -> None:
    app = create_app({"TESTING": True}, engine=engine)
    version = engine.catalogue.data_version
    reply = app.test_client().get(f"/dataset/{version}.nt", base_url="http://mirror.test/")
    assert reply.status_code == 200 and reply.mimetype == "application/n-triples"
    assert f"<http://mirror.test/dataset/{version}.rdf>" in reply.headers["Link"]


@pytest.mark.parametrize("value", ["ftp://cg.example.org/", "cg.example.org", "https://"])
def test_a_bad_public_base_url_is_refused(value: str) -> None:
    with pytest.raises(SettingError, match="CONFLICT_GRAPH_PUBLIC_BASE_URL"):
        settings.resolve(environ={"CONFLICT_GRAPH_PUBLIC_BASE_URL": value})


def test_landing_page_of_a_dataset_without_sources(engine: QueryService) -> None:
    reply = create_app({"TESTING": True}, engine=engine).test_client().get("/")
    assert reply.status_code == 200
    assert "from 0 source documents" in " ".join(reply.get_data(as_text=True).split())


def test_unknown_graph_is_404(engine: QueryService) -> None:
    client = create_app({"TESTING": True}, engine=engine).test_client()
    assert client.get("/graph/nowhere", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/graph/nowhere.ttl").status_code == 404


@pytest.fixture(scope="module")
def real_engine(real_cache_dir: Path) -> Iterator[QueryService]:
    values = settings.resolve({"workers": 1, "cache_dir": str(real_cache_dir)}, environ={})
    service = QueryService.from_settings(values)
    yield service
    service.close()


def test_a_page_shows_at_most_page_max_triples(real_engine: QueryService) -> None:
    client = create_app({"TESTING": True, "page_max_triples": 3}, engine=real_engine).test_client()
    page = client.get("/id/org/mndaa").get_data(as_text=True)
    outgoing = page.split('<section id="statements">', 1)[1].split("</section>", 1)[0]
    incoming = page.split('<section id="incoming">', 1)[1].split("</section>", 1)[0]
    assert outgoing.count("<tr class=") <= 3
    assert incoming.count("<tr class=") <= 3
    for section in (outgoing, incoming):
        assert "Only the first 3 are shown" in section
        assert 'href="/query#query=' in section
