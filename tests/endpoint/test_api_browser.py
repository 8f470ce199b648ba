"""The API page (``/api/``) in Debian's Chromium: Swagger UI, vendored, over the live server's
OpenAPI description; one operation per named query, and "Execute" runs one with a parameter.

Needs the browser (``scripts/ensure-browser.sh``); without it these tests are skipped with the
other browser tests, in one line (``tests/browser_gate.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from live_server import LiveServer
from playwright.sync_api import Browser, Page, Route

from browser_gate import chromium
from conflict_graph.query.named_queries import load_queries

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page, the URLs of other hosts it asked for (blocked), and its console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    remote: list[str] = []
    errors: list[str] = []

    def route(handler: Route) -> None:
        url = handler.request.url
        if urlsplit(url).hostname in {"127.0.0.1", "localhost"} or url.startswith(("data:", "blob:")):
            handler.continue_()
        else:
            remote.append(url)
            handler.abort()

    opened.route("**/*", route)
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    try:
        yield opened, remote, errors
    finally:
        context.close()


def test_one_operation_per_named_query_and_one_for_the_places(
    page: tuple[Page, list[str], list[str]], embedded_server: LiveServer
) -> None:
    opened, remote, errors = page
    opened.goto(embedded_server.root + "/api/")
    opened.wait_for_selector(".opblock")
    paths = opened.locator(".opblock .opblock-summary-path").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('data-path'))"
    )
    assert paths == (["/api/queries"] + [f"/api/queries/{q.name}" for q in load_queries()]
                     + ["/api/places.geojson"])  # its own tag, "map", after the named queries
    assert remote == [] and errors == []


def test_execute_runs_a_query_with_its_parameter(
    page: tuple[Page, list[str], list[str]], embedded_server: LiveServer
) -> None:
    opened, remote, errors = page
    opened.goto(embedded_server.root + "/api/")
    operation = opened.locator(
        ".opblock",
        has=opened.locator(".opblock-summary-path[data-path='/api/queries/q40-control-as-of-date']"),
    )
    operation.locator(".opblock-summary").click()
    day = operation.locator("tr[data-param-name='day'] input")
    day.fill("2024-07-01")
    with opened.expect_response(lambda r: "/api/queries/q40-control-as-of-date?" in r.url) as info:
        operation.locator("button.execute").click()
    response = info.value
    assert response.status == 200
    assert "day=2024-07-01" in response.url
    body = operation.locator(".live-responses-table td.response-col_description:not(.col_header)")
    body.get_by_text("Kyaukme town").first.wait_for()
    assert "Mongmit Township" in body.inner_text()
    assert remote == [] and errors == []
