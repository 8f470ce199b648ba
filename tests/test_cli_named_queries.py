"""``conflict-graph queries`` and ``conflict-graph query NAME [--param k=v]``, run as a subprocess
from a folder outside the repository, on the project's own data."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest

from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query.named_queries import load_queries
from pipeline_support import run_cli

TNLA = "Ta’ang National Liberation Army"


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder with no queries/ in it."""
    return tmp_path_factory.mktemp("elsewhere")


def cg(real_cache_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(list(args), real_cache_dir, cwd=cwd)


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("conflict-graph: error")]


def test_queries_lists_name_title_and_parameters(real_cache_dir: Path, elsewhere: Path) -> None:
    result = cg(real_cache_dir, elsewhere, "queries")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "title", "parameters"]
    names = [line.split()[0] for line in lines[2:-1]]
    assert names == [q.name for q in load_queries()]
    q41 = next(line for line in lines if line.startswith("q41-events-in-date-range"))
    assert "Q41 Events in a date range" in q41
    assert q41.rstrip().endswith("start date = 2024-06-25, end date = 2024-08-04")
    q13 = next(line for line in lines if line.startswith("q13-adjacent-to-mogoke"))
    assert q13.rstrip().endswith("-")
    assert lines[-1] == f"({len(names)} rows)"


def test_query_by_name_from_any_directory(
    real_build: BuildResult, real_cache_dir: Path, elsewhere: Path
) -> None:
    result = cg(real_cache_dir, elsewhere, "query", "q13-adjacent-to-mogoke", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert {row["name"] for row in csv.DictReader(io.StringIO(result.stdout))} == {
        "Monglon town",
        "Mongmit town",
        "Singu Township",
    }


def test_query_by_name_with_a_parameter(
    real_build: BuildResult, real_cache_dir: Path, elsewhere: Path
) -> None:
    result = cg(
        real_cache_dir,
        elsewhere,
        "query",
        "q40-control-as-of-date",
        "--param",
        "day=2024-07-01",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["place"], r["holds"]) for r in rows} == {
        ("Nawnghkio town", "certainly"),
        ("Nawnghkio Township", "possibly"),
        ("Kyaukme town", "possibly"),
        ("Monglon town", "possibly"),
        ("Mongmit Township", "possibly"),
        ("Mongmit town", "possibly"),
    }
    assert {r["day"] for r in rows} == {"2024-07-01"}


def test_a_rq_file_with_a_header_takes_parameters(
    real_build: BuildResult, real_cache_dir: Path, elsewhere: Path
) -> None:
    source = next(q.path for q in load_queries() if q.name == "q41-events-in-date-range")
    copy = elsewhere / "events.rq"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = cg(
        real_cache_dir,
        elsewhere,
        "query",
        "events.rq",
        "-p",
        "start=2024-07-10",
        "-p",
        "end=2024-07-10",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    certain = {
        r["event"].rsplit("/", 1)[1]
        for r in csv.DictReader(io.StringIO(result.stdout))
        if r["within"] == "certainly"
    }
    assert certain == {"tnla-claim-nawnghkio-township"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["q40-control-as-of-date", "-p", "day=21/07/2024"],
            "parameter 'day' must be a date written YYYY-MM-DD, such as 2024-07-21, not '21/07/2024'",
        ),
        (["q40-control-as-of-date", "-p", "date=2024-07-21"], "has no parameter 'date'; it takes: day"),
        (["q40-control-as-of-date", "-p", "day"], "--param 'day' must be written NAME=VALUE"),
        (
            ["q40-control-as-of-date", "-p", "day=2024-07-01", "-p", "day=2024-07-02"],
            "--param day is given twice",
        ),
        (
            ["ASK { ?s ?p ?o }", "-p", "day=2024-07-01"],
            "--param needs a named query, and SPARQL text is not one",
        ),
        (
            ["q99-no-such-question"],
            "there is no named query 'q99-no-such-question'; the named queries are: q01-",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    real_cache_dir: Path, elsewhere: Path, args: list[str], message: str
) -> None:
    result = cg(real_cache_dir, elsewhere, "query", *args)
    assert result.returncode == 2
    (line,) = errors(result)
    assert message in line
