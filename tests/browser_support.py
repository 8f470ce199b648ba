"""Browser-test fixtures: Debian's Chromium driven by Playwright, a recorder of what a page asks
for, and ``conflict-graph serve`` on the project's own data in a subprocess.

Registered for every test module by ``conftest.py``. Needs ``/usr/bin/chromium``
(``scripts/ensure-browser.sh`` installs it); Playwright never downloads a browser of its own here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from serve_support import serving
from browser_gate import chromium
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Request, Route

__all__ = ["Recorder", "is_local"]

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: How long ``serve`` may take to build the graph (OWL 2 RL closure, SHACL) before it listens.
SERVE_TIMEOUT = 600


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (see ``browser_gate``); Playwright gives each launch a fresh, empty profile."""
    with chromium() as launched:
        yield launched


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


@pytest.fixture(scope="module")
def real_server(real_cache_dir: Path) -> Iterator[str]:
    """The base URL of ``conflict-graph serve`` on the project's own data, in a subprocess."""
    with serving(real_cache_dir) as base:
        yield base
