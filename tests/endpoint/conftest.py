"""Fixtures of the endpoint tests: live ``conflict-graph serve`` processes (see ``live_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import DATA, LiveServer, start_server, stop_server

from conflict_graph import settings
from conflict_graph.query.engine import QueryService


@pytest.fixture(scope="session")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The test ontology and facts (``tests/data/endpoint``) without the project's data."""
    cache = tmp_path_factory.mktemp("cache-fixture")
    server = start_server(["--no-default-data", "--data", str(DATA), "--max-rows", "50"], cache)
    yield server
    stop_server(server.process)


@pytest.fixture(scope="session")
def embedded_server(real_cache_dir: Path) -> Iterator[LiveServer]:
    """``conflict-graph serve`` with no data option: the project's own graph, as on a fresh clone."""
    server = start_server([], real_cache_dir)
    yield server
    stop_server(server.process)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryService]:
    """An in-process query engine (one worker) over the test ontology and facts, one per module."""
    values = settings.resolve({"data": (str(DATA),), "no_default_data": True, "workers": 1,
                               "cache_dir": str(tmp_path_factory.mktemp("engine-cache"))}, environ={})
    service = QueryService.from_settings(values)
    yield service
    service.close()
