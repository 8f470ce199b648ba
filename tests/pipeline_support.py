"""Helpers for the pipeline tests: fixture folders, the fixture project, the real console script."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conflict_graph.pipeline import inputs

TESTS = Path(__file__).resolve().parent
PIPELINE = TESTS / "data" / "pipeline"
ROOT = TESTS.parent


def project_files(root: Path = PIPELINE / "project") -> list[inputs.InputFile]:
    """The fixture project's files by the file → graph rule."""
    return inputs.embedded_files(root)


def console_script() -> str:
    """The installed ``conflict-graph`` script next to this interpreter."""
    script = Path(sys.executable).with_name("conflict-graph")
    if not script.exists():
        pytest.fail(f"{script} is missing: install the package (pip install -e '.[test]')")
    return str(script)


def run_cli(args: Sequence[str], cache_dir: Path, *, stdin: str | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the real console script with a private cache folder."""
    env = {**os.environ, "CONFLICT_GRAPH_CACHE_DIR": str(cache_dir)}
    return subprocess.run([console_script(), *args], capture_output=True, text=True, env=env, cwd=cwd,
                          input=stdin, timeout=600, check=False)
