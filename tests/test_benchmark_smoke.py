"""The query-path benchmark runs end to end (``--smoke``: the article, one repetition, untimed).

Nothing about time is asserted: this only keeps ``benchmarks/bench_query_path.py`` from rotting.
Systems that are not installed are skipped by the script, each with a printed line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_query_path.py"),
            "--smoke",
            "--cap",
            "10",
            "--json",
            str(out),
            "--plot",
            str(tmp_path / "bench.png"),
            "--work",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env=env,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert (tmp_path / "bench.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    systems = figures["results"]["article"]
    named = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    ours = systems["conflict-graph"]
    assert sorted(ours["queries"]) == named
    assert all(isinstance(q["rows"], int) for q in ours["queries"].values())
    assert ours["startup_s"] > 0 and ours["rss_mb"] > 0 and ours["disk_mb"] > 0
    assert 0 < ours["pss_mb"] < ours["rss_mb"]  # the server's processes share pages, counted once in PSS
    assert ours["processes"] > 2 and ours["pss_disk_mb"] == ours["pss_mb"] + ours["disk_mb"]
    assert ("oxigraph" in systems) == (shutil.which("oxigraph", path=env["PATH"]) is not None)
    for name in ("virtuoso", "rdflib-endpoint"):
        assert name in systems or f"{name}: not installed" in run.stdout
    assert "| conflict-graph |" in run.stdout and "p50 ratio" in run.stdout or "oxigraph" not in systems


def test_checker_benchmark_smoke_run() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_checker.py"),
         "--sizes", "64", "512", "--reps", "1"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [line for line in run.stdout.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == ["a-", "<a", '"\\', "'\\", '"\\"']
    assert all(row.endswith("for 8x the length |") for row in rows)
