"""The query page in a real browser: Debian's Chromium, driven by Playwright, over a real socket.

Two servers, each on a free loopback port:

* ``served``: a werkzeug thread serving the real query page (``conflict_graph.web.ui.bp``) and
  the fixture queries in ``tests/data/queries`` next to a **test-only stand-in for /sparql** that
  records each request and answers every query with three rows naming the ``entailment`` it
  received. That checks the page's own behaviour (tabs, the request YASGUI sends, the rendered
  results, shared links) exactly and fast.
* ``real_server``: ``python -m conflict_graph serve --port 0`` as a subprocess with a temporary
  ``CONFLICT_GRAPH_CACHE_DIR``: the project's own data, queries and endpoint, end to end.

Needs ``/usr/bin/chromium`` (``scripts/ensure-browser.sh`` installs it) and the ``playwright``
package; Playwright never downloads a browser of its own here. Deselect with ``-m "not browser"``.
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
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Request, Route, sync_playwright
from werkzeug.serving import make_server

from conflict_graph.query.named_queries import NamedQuery, default_folder, load_queries
from conflict_graph.web import ui
from serve_support import serving

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
#: Without the background-networking flags Chromium phones home at start; the machine refuses it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUERIES_DIR = Path(__file__).parent / "data" / "queries"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium; Playwright gives each launch a fresh, empty profile (user data dir)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-browser.sh (as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Recorder:
    """Every URL the page asks for, with requests to other hosts blocked as well as recorded."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.route("**/*", self._route)

    def _request(self, req: Request) -> None:
        self.urls.append(req.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _page_error(self, error: Error) -> None:
        self.console_errors.append(str(error))

    @staticmethod
    def _route(route: Route, req: Request) -> None:
        if is_local(req.url):
            route.continue_()
        else:
            route.abort()

    def remote(self) -> list[str]:
        return [url for url in self.urls if not is_local(url)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOOPBACK


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Report Content-Security-Policy violations as console errors.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    try:
        yield page
    finally:
        context.close()


def tab_names(page: Page) -> list[str]:
    return page.locator(".yasgui .tabsList .tab a > span").all_inner_texts()


def open_tab(page: Page, query: NamedQuery) -> None:
    page.locator(".yasgui .tabsList .tab a > span", has_text=query.title).click()
    page.wait_for_selector(f"#query-{query.name}.tabPanel.active")


def test_one_tab_per_named_query(page: Page, served: tuple[str, list[dict[str, str]]]) -> None:
    base, _ = served
    recorder = Recorder(page)
    page.goto(base + "/")
    page.wait_for_selector(".yasgui .tabsList .tab")
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
    page.goto(base + "/")
    page.wait_for_selector(".yasgui .tabsList .tab")
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
    assert all(urlsplit(url).path in {"/", "/sparql"} or "/assets/" in url for url in recorder.urls)
    assert recorder.remote() == []
    assert recorder.console_errors == []


def test_editing_contacts_no_other_host(page: Page, served: tuple[str, list[dict[str, str]]]) -> None:
    """Autocompletion and sharing stay local: no LOV term lookup, no prefix.cc, no URL shortener.

    The page's Content-Security-Policy would block such a request too; the blocked attempt shows
    as a console error, which fails the test.
    """
    base, _ = served
    recorder = Recorder(page)
    page.goto(base + "/")
    page.wait_for_selector(".yasgui .tabsList .tab")
    page.locator(".yasgui .addTab").click()
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
    page.goto(f"{base}/#query={quote(shared)}&endpoint={quote('http://example.org/sparql')}&tabTitle=Shared")
    page.wait_for_selector(".yasgui .tabsList .tab.active")
    assert page.locator(".yasgui .tabsList .tab.active a > span").inner_text() == "Shared"
    page.locator(".tabPanel.active .yasr table.dataTable tbody tr").first.wait_for()
    assert [r["query"] for r in received] == [shared]
    assert recorder.remote() == []
    assert recorder.console_errors == []


@pytest.fixture(scope="module")
def real_server(real_cache_dir: Path) -> Iterator[str]:
    """The base URL of ``conflict-graph serve`` on the project's own data, in a subprocess."""
    with serving(real_cache_dir) as base:
        yield base


def test_real_server_runs_every_named_query(page: Page, real_server: str) -> None:
    """The project's page on ``serve``: a tab per ``queries/*.rq``, and each query shows rows."""
    recorder = Recorder(page)
    page.goto(real_server + "/")
    page.wait_for_selector(".yasgui .tabsList .tab")
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
