"""Fixtures of the explanation tests: the article's build, its explainer, a live server on it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "endpoint"))

from live_server import LiveServer, start_server, stop_server  # noqa: E402

from conflict_graph.pipeline.build import BuildResult  # noqa: E402
from conflict_graph.reasoning.explainer import Explainer  # noqa: E402


@pytest.fixture(scope="session")
def article(real_build: BuildResult) -> Iterator[Explainer]:
    """The explainer of the project's own build."""
    explainer = Explainer.open(real_build.artifact)
    yield explainer
    explainer.index.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def explain_server(real_cache_dir: Path, real_build: BuildResult) -> Iterator[LiveServer]:
    """``conflict-graph serve`` on the project's own data (the build is already cached)."""
    server = start_server(["--workers", "1"], real_cache_dir)
    yield server
    stop_server(server.process)
