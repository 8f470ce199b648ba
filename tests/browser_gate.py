"""Skip the browser tests, in one line, where Chromium is missing and could not be installed.

``make test`` runs ``scripts/ensure-browser.sh`` first, which installs Debian's Chromium as root.
Without root (or apt-get) the browser stays missing; then the tests marked ``browser`` are
deselected and the summary says so in one line, with how to enable them. Where the browser
tests must run (CI: ``CONFLICT_GRAPH_REQUIRE_BROWSER=1``) nothing is deselected, so a missing
browser fails them. ``conftest.py`` imports these hooks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["CHROMIUM_ARGS", "chromium", "chromium_path", "pytest_collection_modifyitems",
           "pytest_terminal_summary"]

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

_KEY = pytest.StashKey[int]()


def chromium_path() -> Path:
    """The browser the tests drive: ``CONFLICT_GRAPH_CHROMIUM``, else Debian's ``/usr/bin/chromium``."""
    return Path(os.environ.get("CONFLICT_GRAPH_CHROMIUM") or "/usr/bin/chromium")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (or ``CONFLICT_GRAPH_CHROMIUM``) driven by Playwright, closed afterwards.

    Fails the test, naming the fix, when the browser is missing (it is then required: see above).
    """
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/ensure-browser.sh (as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _required() -> bool:
    return os.environ.get("CONFLICT_GRAPH_REQUIRE_BROWSER", "").strip().lower() in ("1", "true", "yes", "on")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the ``browser`` tests when the browser is missing and not required."""
    if _required() or chromium_path().exists():
        return
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
        config.stash[_KEY] = len(browser)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """The one line that says the browser tests were skipped, why, and how to run them."""
    skipped = config.stash.get(_KEY, 0)
    if skipped:
        terminalreporter.write_line(
            f"browser tests skipped ({skipped}): {chromium_path()} is missing; to run them install "
            "Debian's chromium (sudo apt-get install chromium, or sudo scripts/ensure-browser.sh), then "
            "make test",
            yellow=True,
        )
