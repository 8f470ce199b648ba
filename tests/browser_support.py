"""Browser-test fixtures: Debian's Chromium driven by Playwright, a recorder of what a page asks
for, and ``conflict-graph serve`` on the project's own data in a subprocess.

Registered for every test module by ``conftest.py``. Needs ``/usr/bin/chromium``
(``scripts/ensure-browser.sh`` installs it); Playwright never downloads a browser of its own here.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
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
    env = {**os.environ, "CONFLICT_GRAPH_CACHE_DIR": str(real_cache_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "conflict_graph", "serve", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        base = _wait_for_url(lines, output, time.monotonic() + SERVE_TIMEOUT)
        if base is None:
            pytest.fail("conflict-graph serve did not start:\n" + "".join(output[-40:]))
        yield base
    finally:
        _stop(process)
        reader.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


def _wait_for_url(lines: queue.Queue[str | None], output: list[str], deadline: float) -> str | None:
    """Read ``serve``'s output until it prints the URL it listens on (or stops, or time runs out)."""
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            break
        output.append(line)
        match = re.search(r"serving SPARQL on (http://[^/\s]+)/sparql", line)
        if match:
            return match.group(1)
    return None


def _stop(process: subprocess.Popen[str]) -> None:
    """Interrupt ``serve`` as Ctrl-C would (it then stops its workers); kill its group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
