"""The query page in a real browser: Debian's Chromium, driven by Playwright, over a real socket.

Two servers, each on a free loopback port:

* ``served``: a werkzeug thread serving the real query page (``conflict_graph.web.ui.bp``) and
  the fixture queries in ``tests/data/queries`` next to a **test-only stand-in for /sparql** that
  records each request and answers every query with three rows naming the ``entailment`` it
  received. That checks the page's own behaviour (tabs, the request YASGUI sends, the rendered
  results, shared links) exactly and fast.
* ``real_server``: ``python -m conflict_graph serve --port 0`` as a subprocess with a temporary
  ``CONFLICT_GRAPH_CACHE_DIR``: the project's own data, queries and endpoint, end to end.

The browser, the page recorder and ``real_server`` are fixtures of ``browser_support.py``. Needs
``/usr/bin/chromium`` (``scripts/ensure-browser.sh`` installs it) and the ``playwright`` package.
Deselect with ``-m "not browser"``.
Set ``CONFLICT_GRAPH_SCREENSHOT=/tmp/ui.png`` to keep a screenshot of the page with results
(of the real server's page).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask, Response, request
from playwright.sync_api import Page
from werkzeug.serving import make_server

from browser_support import Recorder
from conflict_graph.query.named_queries import NamedQuery, default_folder, load_queries
from conflict_graph.web import ui
from serve_support import serving

pytestmark = pytest.mark.browser

QUERIES_DIR = Path(__file__).parent / "data" / "queries"
STUB_ROWS = 3


def stub_app(queries_dir: Path, received: list[dict[str, str]]) -> Flask:
    """The query page plus a test-only ``/sparql`` that records requests and returns fixed rows."""
    app = Flask(__name__)
    app.config.update(TESTING=True, QUERIES_DIR=str(queries_dir))
    app.register_blueprint(ui.bp)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        received.append(request.values.to_dict())
        entailment = request.values.get("entailment", "owl-rl")
        rows = [
            {
                "row": {"type": "literal", "value": f"row {n}"},
                "entailment": {"type": "literal", "value": entailment},
            }
            for n in range(1, STUB_ROWS + 1)
        ]
        body = {"head": {"vars": ["row", "entailment"]}, "results": {"bindings": rows}}
        return Response(json.dumps(body), mimetype="application/sparql-results+json")

    return app


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """``(base URL, requests received by /sparql)`` of a server on a free loopback port."""
    received: list[dict[str, str]] = []
    server = make_server("127.0.0.1", 0, stub_app(QUERIES_DIR, received), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        thread.join(timeout=10)


def tab_names(page: Page) -> list[str]:
    """The tabs as the side menu lists them (YASGUI's own row of tabs is hidden)."""
    return [text.strip() for text in page.locator("#cg-tab-list a[data-tab]").all_inner_texts()]


def open_tab(page: Page, query: NamedQuery) -> None:
    page.locator(f'#cg-tab-list a[data-tab="query-{query.name}"]').click()
    page.wait_for_selector(f"#query-{query.name}.tabPanel.active")


def test_one_tab_per_named_query(page: Page, served: tuple[str, list[dict[str, str]]]) -> None:
    base, _ = served
    recorder = Recorder(page)
    page.goto(base + "/query")
    page.wait_for_selector("#cg-tab-list a[data-tab]")
    queries = load_queries(QUERIES_DIR)
    assert len(queries) >= 2, "the fixture folder should exercise more than one tab"
    assert tab_names(page) == [q.title for q in queries]
    for query in queries:
        open_tab(page, query)
        editor_text = page.evaluate("() => window.conflictGraphYasgui.getTab().getYasqe().getValue()")
        assert editor_text == query.text
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_running_a_tab_renders_rows_with_its_entailment(
    page: Page, served: tuple[str, list[dict[str, str]]]
) -> None:
    base, received = served
    recorder = Recorder(page)
    page.goto(base + "/query")
    page.wait_for_selector("#cg-tab-list a[data-tab]")
    for query in load_queries(QUERIES_DIR):
        open_tab(page, query)
        panel = page.locator(f"#query-{query.name}")
        received.clear()
        panel.locator(".yasqe_queryButton").click()
        rows = panel.locator(".yasr table.dataTable tbody tr")
        rows.first.wait_for()
        assert rows.count() == STUB_ROWS
        assert rows.first.inner_text().split() == ["1", "row", "1", query.entailment]
        assert [(r["query"], r.get("entailment")) for r in received] == [(query.text, query.entailment)]
    assert all(urlsplit(url).path in {"/query", "/sparql"} or "/assets/" in url for url in recorder.urls)
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_editing_contacts_no_other_host(page: Page, served: tuple[str, list[dict[str, str]]]) -> None:
    """Autocompletion and sharing stay local: no LOV term lookup, no prefix.cc, no URL shortener.

    The page's Content-Security-Policy would block such a request too; the blocked attempt shows
    as a console error, which fails the test.
    """
    base, _ = served
    recorder = Recorder(page)
    page.goto(base + "/query")
    page.wait_for_selector("#cg-tab-list a[data-tab]")
    page.locator("#cg-new-tab").click()
    page.locator(".tabPanel.active .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    # Ctrl+Space at a class and then at a property position: upstream YASGUI asks LOV for terms.
    page.keyboard.type("PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT * WHERE {\n?s a foaf:Pers")
    page.keyboard.press("Control+Space")
    page.keyboard.type(" .\n?s foaf:na")
    page.keyboard.press("Control+Space")
    page.locator(".tabPanel.active .yasqe_share").click()
    page.wait_for_timeout(500)
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_shared_link_queries_this_server(page: Page, served: tuple[str, list[dict[str, str]]]) -> None:
    """A link naming another endpoint opens as a tab and runs, but against this server only."""
    base, received = served
    recorder = Recorder(page)
    received.clear()
    shared = "ASK { ?s ?p ?o }"
    page.goto(f"{base}/query#query={quote(shared)}&endpoint={quote('http://example.org/sparql')}&tabTitle=Shared")
    page.wait_for_selector("#cg-tab-list a[data-tab].active")
    assert page.locator("#cg-tab-list a[data-tab].active").inner_text() == "Shared"
    page.locator(".tabPanel.active .yasr table.dataTable tbody tr").first.wait_for()
    assert [r["query"] for r in received] == [shared]
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_real_server_runs_every_named_query(page: Page, real_server: str) -> None:
    """The project's page on ``serve``: a tab per ``queries/*.rq``, and each query shows rows."""
    recorder = Recorder(page)
    page.goto(real_server + "/query")
    page.wait_for_selector("#cg-tab-list a[data-tab]")
    queries = load_queries(default_folder())
    assert tab_names(page) == [q.title for q in queries]
    for query in queries:
        open_tab(page, query)
        panel = page.locator(f"#query-{query.name}")
        with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql", timeout=120_000) as info:
            panel.locator(".yasqe_queryButton").click()
        response = info.value
        assert response.status == 200, (query.name, response.text())
        form = response.request.post_data_json or {}
        assert form.get("entailment") == query.entailment
        chip = panel.locator(".yasr_response_chip:not(.empty)")
        chip.wait_for()
        count = re.match(r"(\d+) results?", chip.inner_text())
        assert count is None or int(count.group(1)) > 0, f"{query.name}.rq returns no rows"
    screenshot = os.environ.get("CONFLICT_GRAPH_SCREENSHOT")
    if screenshot:
        open_tab(page, queries[0])
        page.screenshot(path=screenshot, full_page=True)
    assert recorder.remote() == []
    assert recorder.console_errors == []
