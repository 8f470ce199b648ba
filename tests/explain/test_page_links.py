"""Links on the explanation, consistency, entity and source pages of a live server on the article:
project IRIs go to their local pages, literals are text, and every ``/explain`` link answers."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from live_server import LiveServer

W3ID = "https://w3id.org/"

HTML = {"Accept": "text/html"}
_HREF = re.compile(r'<a\b[^>]*\shref="([^"]*)"')
HAS_MEMBER = {"subject": "id:org/brotherhood-alliance", "predicate": "org:hasMember", "object": "id:org/tnla"}


def hrefs(page: str) -> list[str]:
    return [html.unescape(found) for found in _HREF.findall(page)]


def _page(server: LiveServer, path: str) -> str:
    reply = server.get(path, headers=HTML)
    assert reply.status == 200, (path, reply.status, reply.text[:300])
    return reply.text


def test_explanation_page_links_terms_and_sentences_locally(explain_server: LiveServer) -> None:
    page = _page(explain_server, "/explain?" + urlencode(HAS_MEMBER))
    links = hrefs(page)
    assert '<nav class="cg-nav"' in page and "pages.css" in page
    assert "/id/org/brotherhood-alliance" in links and "/id/org/tnla" in links
    assert "/id/quote/irrawaddy-2024-op1027-phase2/s02" in links
    assert [link for link in links if link.startswith(W3ID)] == []


def test_consistency_page_has_the_site_navigation(explain_server: LiveServer) -> None:
    page = _page(explain_server, "/consistency")
    assert '<nav class="cg-nav"' in page and "pages.css" in page
    assert [link for link in hrefs(page) if link.startswith(W3ID)] == []


def test_landing_page_links_no_project_iri_off_site(explain_server: LiveServer) -> None:
    links = hrefs(_page(explain_server, "/"))
    assert links and [link for link in links if link.startswith(W3ID)] == []


def test_source_page_links_only_absolute_targets(explain_server: LiveServer) -> None:
    quote = explain_server.get("/id/quote/irrawaddy-2024-op1027-phase2/h1", headers=HTML)
    assert quote.status == 303
    assert quote.headers["Location"].endswith("/id/source/irrawaddy-2024-op1027-phase2#h1")
    page = _page(explain_server, "/id/source/irrawaddy-2024-op1027-phase2")
    relative = [link for link in hrefs(page) if not link.startswith(("/", "#", "http://", "https://"))]
    assert relative == []
    assert [link for link in hrefs(page) if link.startswith(W3ID)] == []
    assert '<span class="cg-literal">TNLA</span>' in page


def test_every_explain_link_on_an_entity_page_answers(explain_server: LiveServer) -> None:
    links = [link for link in hrefs(_page(explain_server, "/id/org/brotherhood-alliance"))
             if link.startswith("/explain?")]
    assert len(links) > 5
    failed = {}
    for link in links:
        reply = explain_server.get(link, headers=HTML)
        if reply.status != 200:
            failed[link] = (reply.status, reply.text[:200])
    assert failed == {}


def test_an_inferred_restriction_type_reads_as_words(explain_server: LiveServer) -> None:
    page = _page(explain_server, "/id/org/brotherhood-alliance")
    words = "all values of org:hasMember from cg:EthnicArmedOrganization"
    assert re.search(rf'<span class="cg-bnode" title="_:[^"]+">{words}</span>', page)
