"""Shared fixtures: a private default cache, the fixture project's build, the real-data build.

Every build writes into a pytest temporary folder, never into ``~/.cache``. Helpers live in
``pipeline_support.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_gate import pytest_collection_modifyitems, pytest_terminal_summary  # noqa: F401  (hooks)
from conflict_graph.pipeline import build, inputs
from conflict_graph.pipeline.build import BuildResult
from pipeline_support import project_files

#: Browser fixtures (Chromium, page recorder, a live server on the project's data).
pytest_plugins = ("browser_support",)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the default cache at a temporary folder, so no test can touch ``~/.cache``."""
    monkeypatch.setenv("CONFLICT_GRAPH_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "default-cache"))


@pytest.fixture(scope="session")
def project_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture project (tests/data/pipeline/project), built once."""
    return build.build(project_files(), cache_dir=tmp_path_factory.mktemp("project-cache"))


@pytest.fixture(scope="session")
def real_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for every build of the project's own data, so the build runs once.

    Live servers on the embedded data point ``--cache-dir`` here too: whichever test builds
    first publishes the artifact, and the others find it by its key.
    """
    return tmp_path_factory.mktemp("real-cache")


@pytest.fixture(scope="session")
def real_build(real_cache_dir: Path) -> BuildResult:
    """The project's own ontology and data, built once (the expensive fixture)."""
    return build.build(inputs.collect(), cache_dir=real_cache_dir)
