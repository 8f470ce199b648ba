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
