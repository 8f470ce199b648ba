"""The linked-data pages in a real browser: Debian's Chromium, driven by Playwright, against
``conflict-graph serve`` on the project's own data (the ``real_server`` of ``browser_support``).

From the landing page to the query page, from a result to an entity page, from a statement to
its sentence on the source page, and back; no page has a console error or asks another host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from browser_support import Recorder
from conflict_graph.query.named_queries import default_folder, load_queries

pytestmark = pytest.mark.browser

MEMBERS = "q01-brotherhood-alliance-members"
#: S02 as the article writes it: the sentence Q01 returns for both members, shown whole.
S02_START = "The Brotherhood’s Myanmar Nationalities Democratic Alliance Army (MNDAA) and Ta’ang National"
S02_END = "are attacking the regime in northern Shan State and northern Mandalay Region."


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def test_landing_page_leads_to_the_query_page(page: Page, real_server: str) -> None:
    recorder = Recorder(page)
    page.goto(real_server + "/")
    assert "phase two of Myanmar's Operation 1027" in page.locator(".cg-lead").inner_text()
    for label in ("Map", "Sources", "Ontology", "Query", "API"):
        assert page.locator(".cg-nav a", has_text=label).count() == 1
    page.locator(".cg-start a", has_text="Query page").click()
    page.wait_for_selector("#cg-tab-list a[data-tab]")
    assert path_of(page) == "/query"
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_old_shared_links_open_on_the_query_page(page: Page, real_server: str) -> None:
    recorder = Recorder(page)
    page.goto(real_server + "/#query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    page.wait_for_selector("#cg-tab-list a[data-tab].active")
    assert path_of(page) == "/query"
    editor = page.evaluate("() => window.conflictGraphYasgui.getTab().getYasqe().getValue()")
    assert editor == "ASK { ?s ?p ?o }"
    assert recorder.console_errors == []


def test_from_a_result_to_an_entity_to_its_sentence_and_back(page: Page, real_server: str) -> None:
    recorder = Recorder(page)
    query = next(q for q in load_queries(default_folder()) if q.name == MEMBERS)
    page.goto(real_server + "/query")
    page.locator(f'#cg-tab-list a[data-tab="query-{query.name}"]').click()
    panel = page.locator(f"#query-{query.name}")
    panel.locator(".yasqe_queryButton").click()
    rows = panel.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    # the sentence is shown whole, not cut with an ellipsis, and within the first screen
    cell = rows.first.locator("td").last
    assert S02_START in cell.inner_text() and S02_END in cell.inner_text()
    box = rows.first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900
    # a project IRI opens its local page, in this window
    link = panel.locator(".yasr a.iri", has_text="mndaa").first
    assert link.get_attribute("href") == "/id/org/mndaa"
    link.click()
    page.wait_for_url("**/id/org/mndaa")
    assert page.locator("h1").inner_text() == "Myanmar Nationalities Democratic Alliance Army"
    entity_url = page.url
    # the statement "member of the Brotherhood Alliance" and its sentence S02
    row = page.locator("tr", has=page.locator('a[href="/id/org/brotherhood-alliance"]')).first
    assert row.locator(".cg-mark").inner_text() == "stated"
    row.locator("a.cg-sentence", has_text="S02").click()
    page.wait_for_url("**/id/source/irrawaddy-2024-op1027-phase2#s02")
    target = page.locator(".cg-sentence-text:target")
    assert target.get_attribute("id") == "s02"
    assert S02_START in target.inner_text()
    assert target.is_visible()
    facts = page.locator('aside[aria-label="facts from S02"] a.cg-fact')
    assert facts.count() > 0
    page.go_back()
    page.wait_for_url(entity_url)
    assert page.locator("h1").inner_text() == "Myanmar Nationalities Democratic Alliance Army"
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_lashio_page_in_the_browser(page: Page, real_server: str) -> None:
    recorder = Recorder(page)
    page.goto(real_server + "/id/place/town/lashio")
    row = page.locator("table.cg-timeline tbody tr")
    assert row.count() == 1
    cells = row.first.locator("td").all_inner_texts()
    assert cells[0].startswith("Myanmar Nationalities Democratic Alliance Army")
    assert cells[1:4] == ["almost all", "stated", "2024-07-17 – 2024-08-03"]
    inferred = page.locator(".cg-mark-inferred a").first
    assert inferred.get_attribute("href", timeout=5000).startswith("/explain?subject=")
    assert recorder.remote() == []
    assert recorder.console_errors == []
