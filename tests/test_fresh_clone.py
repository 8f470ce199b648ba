"""What a fresh clone needs: the browser tests skip in one line where Chromium cannot be installed
(and are required in CI), ``scripts/ensure-browser.sh`` says so in one line, and the sdist carries
everything the tests need and runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from pipeline_support import ROOT

MISSING = "/nonexistent/chromium"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFLICT_GRAPH_")}
    env.update(extra)
    return env


def run_pytest(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in a subprocess, in ``cwd``, with ``env``."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=600, check=False, env=env)


def test_browser_tests_are_skipped_in_one_line_without_chromium(tmp_path: Path) -> None:
    env = _env(CONFLICT_GRAPH_CHROMIUM=MISSING, CONFLICT_GRAPH_CACHE_DIR=str(tmp_path))
    result = run_pytest(ROOT, env, "tests/test_ui_browser.py")
    assert result.returncode == 5, result.stdout  # every test deselected: pytest's "no tests ran"
    lines = [line for line in result.stdout.splitlines() if "browser tests skipped" in line]
    assert len(lines) == 1
    assert lines[0].startswith("browser tests skipped (")
    assert f"{MISSING} is missing" in lines[0] and "apt-get install chromium" in lines[0]
    assert "deselected" in result.stdout


def test_browser_tests_fail_without_chromium_when_required(tmp_path: Path) -> None:
    env = _env(
        CONFLICT_GRAPH_CHROMIUM=MISSING,
        CONFLICT_GRAPH_REQUIRE_BROWSER="1",
        CONFLICT_GRAPH_CACHE_DIR=str(tmp_path),
    )
    result = run_pytest(ROOT, env, "-x", "tests/test_ui_browser.py", "-k", "one_tab_per_named_query")
    assert result.returncode == 1, result.stdout
    assert f"{MISSING} is missing" in result.stdout
    assert "browser tests skipped" not in result.stdout


def _ensure_browser(tmp_path: Path, uid: int, **env: str) -> subprocess.CompletedProcess[str]:
    """scripts/ensure-browser.sh run by user ``uid`` where apt-get cannot be found (PATH holds only
    bash, env, dirname and an ``id`` that answers ``uid``)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("bash", "env", "dirname"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    (bin_dir / "id").write_text(f"#!{bin_dir / 'bash'}\necho {uid}\n", encoding="utf-8")
    (bin_dir / "id").chmod(0o755)
    return subprocess.run(
        [str(bin_dir / "bash"), str(ROOT / "scripts" / "ensure-browser.sh")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": str(bin_dir), "CONFLICT_GRAPH_CHROMIUM": MISSING, **env},
    )


@pytest.mark.parametrize(
    ("uid", "why"), [(1000, "installing it needs root"), (0, "there is no apt-get to install it with")]
)
def test_ensure_browser_says_in_one_line_that_it_cannot_install(tmp_path: Path, uid: int, why: str) -> None:
    result = _ensure_browser(tmp_path, uid)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"ensure-browser: {MISSING} is missing and {why}; ")
    assert "the browser tests will be skipped" in line and "sudo apt-get install chromium" in line
    assert result.stderr == ""


def test_ensure_browser_fails_when_the_browser_is_required(tmp_path: Path) -> None:
    result = _ensure_browser(tmp_path, 1000, CONFLICT_GRAPH_REQUIRE_BROWSER="1")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert "CONFLICT_GRAPH_REQUIRE_BROWSER=1 requires the browser tests" in line


def test_ci_requires_the_browser_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export CONFLICT_GRAPH_REQUIRE_BROWSER=1" in ci.splitlines()


#: What a clone has that the sdist need not carry (git metadata, local environments, caches).
_NOT_SHIPPED = {
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "build",
    "dist",
}


def _tree(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and not _NOT_SHIPPED.intersection(p.relative_to(root).parts)
        and not p.name.endswith((".pyc", ".egg-info"))
        and ".egg-info" not in p.as_posix()
    }


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist built from this tree with python -m build, unpacked."""
    out = tmp_path_factory.mktemp("sdist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (archive,) = out.glob("conflict_graph-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(out / "unpacked", filter="data")
    (root,) = (out / "unpacked").iterdir()
    return root


def test_sdist_carries_the_whole_repository(sdist: Path) -> None:
    missing = _tree(ROOT) - _tree(sdist)
    assert not missing, sorted(missing)[:20]
    for needed in (
        ".ci/run",
        "Makefile",
        "CHANGELOG.md",
        "scripts/ensure-browser.sh",
        "data/sources/irrawaddy-2024-op1027-phase2.txt",
        "tests/data/w3c",
        "benchmarks/data/lubm",
    ):
        assert any(name == needed or name.startswith(needed + "/") for name in _tree(sdist)), needed


def test_tests_run_from_the_unpacked_sdist(sdist: Path, tmp_path: Path) -> None:
    env = _env(PYTHONPATH=str(sdist / "src"), CONFLICT_GRAPH_CACHE_DIR=str(tmp_path))
    result = run_pytest(
        sdist, env, "tests/test_named_queries.py", "tests/test_parameters.py", "tests/test_article_data.py"
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout.splitlines()[-1]
