"""The reasoning benchmark's smoke run works end to end (untimed: it checks outputs, not speed)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_reasoning.py"
CANDIDATES = {"reasonable": "reasonable", "nemo": "nmo_python"}


def test_smoke_run_writes_the_table_the_json_and_the_plot(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--smoke", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert "| case | reasoner |" in done.stdout
    installed = [name for name, module in CANDIDATES.items() if importlib.util.find_spec(module)]
    for name in set(CANDIDATES) - set(installed):
        assert f"{name}: not installed" in done.stdout
    rows = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [(r["case"], r["reasoner"]) for r in rows] == [
        ("300", "native"), ("300", "owlrl"), *[("300", name) for name in installed], ("1000", "native")]
    native, owlrl = rows[0], rows[1]
    assert native["inferred"] == owlrl["inferred"] > 0 and native["errors"] == owlrl["errors"] == 0
    assert owlrl["missing"] == owlrl["extra"] == 0
    assert all(r["restored"] and r["added_facts"] > 3500 for r in rows if r["reasoner"] == "native")
    candidates = {r["reasoner"]: r for r in rows if r["reasoner"] in CANDIDATES}
    for row in candidates.values():
        assert "status" not in row and row["reason"] > 0 and row["extra"] == 0
        assert row["blank_candidate"] == row["blank_native"]
    if "reasonable" in candidates:  # no property chains, no scm-dom/scm-rng (test_candidates.py)
        assert candidates["reasonable"]["missing"] > 0
    if "nemo" in candidates:
        assert candidates["nemo"]["missing"] == 0 and candidates["nemo"]["inferred"] == native["inferred"]
        assert candidates["nemo"]["traced"] > 0 and candidates["nemo"]["trace_failed"] == 0
    assert (tmp_path / "reasoning.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
