"""The explanation benchmark runs (a tiny size, untimed), so it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_run_writes_its_figures(tmp_path: Path) -> None:
    output = tmp_path / "figures.json"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_explain.py"), "--smoke",
                             "--repeats", "1", "--json", str(output)],
                            capture_output=True, text=True, timeout=600, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(output.read_text(encoding="utf-8"))
    assert row["generated"] == 2000 and row["explained"] == 20
    assert row["inferred"] > 2000 and row["derivations_graph"] > row["inferred"]
    assert row["explain_ms_median"] > 0 and row["nodes_max"] >= 1
    assert "2,000 generated" in result.stdout


def test_smoke_run_over_http_serves_the_build_and_reads_its_memory(tmp_path: Path) -> None:
    output = tmp_path / "figures.json"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_explain.py"), "--smoke",
                             "--http",
                             "--repeats", "1", "--work", str(tmp_path / "work"), "--json", str(output)],
                            capture_output=True, text=True, timeout=600, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(output.read_text(encoding="utf-8"))
    assert row["generated"] == 2000 and row["explained"] == 20 and row["build"] == "cold"
    assert 0 < row["json_ms_median"] <= row["json_ms_max"] and 0 < row["html_ms_median"] <= row["html_ms_max"]
    assert row["rss_web_before_mb"] > 0 and row["rss_after_mb"] >= row["rss_web_after_mb"]
    assert "JSON median" in result.stdout and "RSS web process" in result.stdout
