"""The reasoning benchmark's smoke run works end to end (untimed: it checks outputs, not speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_reasoning.py"


def test_smoke_run_writes_the_table_the_json_and_the_plot(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--smoke", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert "| case | reasoner |" in done.stdout
    rows = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [(r["case"], r["reasoner"]) for r in rows] == [("300", "native"), ("300", "owlrl"),
                                                            ("1000", "native")]
    native, owlrl = rows[0], rows[1]
    assert native["inferred"] == owlrl["inferred"] > 0 and native["errors"] == owlrl["errors"] == 0
    assert all(r["restored"] and r["added_facts"] > 3500 for r in rows if r["reasoner"] == "native")
    assert (tmp_path / "reasoning.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
