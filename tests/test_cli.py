"""The ``conflict-graph`` console script, run as a subprocess: every command, format and exit code.

Exit codes: 0 ok, 1 data does not validate or is inconsistent, 2 bad input.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conflict_graph import iris
from pipeline_support import PIPELINE, ROOT, run_cli

CLI = PIPELINE / "cli"
WORLD = ["--no-default-data", "--data", str(CLI / "world.trig")]
ORGS = str(CLI / "organizations.rq")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-cache")


def cg(cache: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli([*WORLD, *args], cache, stdin=stdin)


def _errors(stderr: str) -> list[str]:
    """The error lines of a run; a cold build also reports its progress on standard error."""
    return [line for line in stderr.splitlines() if not _is_progress(line)]


def _is_progress(line: str) -> bool:
    return line.startswith("conflict-graph: ") and not line.startswith("conflict-graph: error")


def test_a_cold_build_reports_its_progress_on_stderr(tmp_path: Path) -> None:
    result = run_cli([*WORLD, "stats"], tmp_path)
    progress = [line for line in result.stderr.splitlines() if _is_progress(line)]
    assert [line.split("…")[0] for line in progress[1:]] == [
        "conflict-graph: validating with the SHACL shapes", "conflict-graph: computing the OWL 2 RL closure"]
    assert progress[0].startswith("conflict-graph: building the dataset from 1 file(s)")
    warm = run_cli([*WORLD, "stats"], tmp_path)
    assert warm.returncode == 0 and not warm.stderr


def test_help_lists_every_command(cache: Path) -> None:
    result = run_cli(["--help"], cache)
    assert result.returncode == 0
    for command in ("build", "validate", "stats", "query", "export"):
        assert command in result.stdout


def test_version(cache: Path) -> None:
    result = run_cli(["--version"], cache)
    assert result.returncode == 0 and "0.1.0" in result.stdout


def test_python_dash_m(cache: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "conflict_graph", "--help"], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    assert result.returncode == 0 and "query" in result.stdout


def test_build_prints_timings_and_graph_table(cache: Path) -> None:
    result = cg(cache, "build")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "cold build:" in out and "reason" in out
    assert "warm start:" in out and "cache hit" in out
    assert "ontology version: https://w3id.org/conflict-graph/ontology/0.0.1-test" in out
    for iri, kind in ((iris.ONTOLOGY_GRAPH, "ontology"), (iris.SHAPES_GRAPH, "shapes"),
                      (iris.source_graph("demo"), "source"), (iris.INFERRED_GRAPH, "inferred")):
        assert any(line.startswith(str(iri)) and kind in line for line in out.splitlines())


def test_options_work_after_the_command_too(cache: Path) -> None:
    result = run_cli(["query", *WORLD, "ASK { ?s ?p ?o }"], cache)
    assert result.returncode == 0 and result.stdout.strip() == "true"


def test_validate_ok(cache: Path) -> None:
    result = cg(cache, "validate")
    assert result.returncode == 0 and result.stdout.startswith("Conforms")


def test_validate_violation_exits_1_with_a_readable_report(cache: Path) -> None:
    result = cg(cache, "--data", str(CLI / "nameless.ttl"), "validate")
    assert result.returncode == 1
    assert "An organization needs a name." in result.stdout
    assert "focus:   id:org-nameless" in result.stdout


def test_build_of_invalid_data_exits_1(cache: Path) -> None:
    result = cg(cache, "--data", str(CLI / "nameless.ttl"), "build")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("conflict-graph: error: the data does not conform")
    assert "An organization needs a name." in result.stderr


def test_inconsistent_data_exits_1(cache: Path) -> None:
    result = cg(cache, "--data", str(CLI / "inconsistent.ttl"), "query", "ASK {}")
    assert result.returncode == 1
    assert "Disjoint classes" in result.stderr
    errors = _errors(result.stderr)  # the consistency report, then one error line
    assert [line for line in errors if line.startswith("conflict-graph: error")] == errors[-1:]
    assert errors[-1].startswith("conflict-graph: error: the OWL 2 RL closure found 1 problem(s): ")
    assert "1. [OWL 2 RL cax-dw] " in result.stderr


def test_stats(cache: Path) -> None:
    result = cg(cache, "stats")
    assert result.returncode == 0, result.stderr
    rows = {line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1] for line in result.stdout.splitlines()
            if line.strip() and not line.startswith(("-", "graph", "what", "https"))}
    assert rows["classes"] == "5"
    assert rows["individuals"] == "3"
    assert rows["control assertions"] == "1"


def test_query_table_from_a_rq_file(cache: Path) -> None:
    result = cg(cache, "query", ORGS)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["org", "name"]
    assert lines[2].split() == ["id:org-tnla", "TNLA"]
    assert lines[-1] == "(1 row)"


def test_no_inference_changes_the_answer(cache: Path) -> None:
    """tnla is asserted an ArmedGroup; it is an Organization only under OWL 2 RL."""
    for flags in (["--no-inference"], ["--entailment", "simple"]):
        result = cg(cache, "query", *flags, ORGS)
        assert result.returncode == 0 and result.stdout.splitlines()[-1] == "(0 rows)"


def test_query_header_chooses_the_entailment(cache: Path, tmp_path: Path) -> None:
    """A .rq file's '# entailment:' header applies unless a flag says otherwise."""
    text = Path(ORGS).read_text(encoding="utf-8")
    asserted_only = tmp_path / "asserted-only.rq"
    asserted_only.write_text("# title: organisations\n# entailment: simple\n" + text, encoding="utf-8")
    assert cg(cache, "query", str(asserted_only)).stdout.splitlines()[-1] == "(0 rows)"
    overridden = cg(cache, "query", "--entailment", "owl-rl", str(asserted_only))
    assert overridden.stdout.splitlines()[-1] == "(1 row)"


def test_a_triple_in_two_files_counts_once(tmp_path: Path) -> None:
    """The default graph is an RDF merge, a set: a triple stated in two files is one triple."""
    for name in ("a.ttl", "b.nt"):
        (tmp_path / name).write_text("<http://ex/a> <http://ex/b> <http://ex/c> .\n", encoding="utf-8")
    files = ["--data", str(tmp_path / "a.ttl"), "--data", str(tmp_path / "b.nt")]
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://ex/b> ?o }"
    result = run_cli(["--no-default-data", *files, "query", "--format", "csv", query], tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "1"]


def test_query_csv(cache: Path) -> None:
    result = cg(cache, "query", "--format", "csv", ORGS)
    assert result.returncode == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["org", "name"], [str(iris.ID["org-tnla"]), "TNLA"]]


def test_query_json(cache: Path) -> None:
    result = cg(cache, "query", "--format", "json", ORGS)
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["org", "name"]
    assert data["results"]["bindings"][0]["org"] == {"type": "uri", "value": str(iris.ID["org-tnla"])}


@pytest.mark.parametrize(("fmt", "expected"), [("table", "true"), ("json", '"boolean":true')])
def test_ask(cache: Path, fmt: str, expected: str) -> None:
    query = f"ASK {{ <{iris.ID['org-tnla']}> a <{iris.CG.Organization}> }}"
    result = cg(cache, "query", "--format", fmt, query)
    assert result.returncode == 0 and expected in result.stdout.replace(" ", "")


def test_construct_is_turtle(cache: Path) -> None:
    query = f"CONSTRUCT WHERE {{ ?s a <{iris.CG.Organization}> }}"
    result = cg(cache, "query", query)
    assert result.returncode == 0
    triples = list(ox.parse(input=result.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert [t.subject.value for t in triples] == [str(iris.ID["org-tnla"])]
    as_json = cg(cache, "query", "--format", "json", query)
    assert json.loads(as_json.stdout)[0]["@id"] == str(iris.ID["org-tnla"])


def test_describe_is_turtle(cache: Path) -> None:
    result = cg(cache, "query", f"DESCRIBE <{iris.ID['org-tnla']}>")
    assert result.returncode == 0
    assert list(ox.parse(input=result.stdout.encode(), format=ox.RdfFormat.TURTLE))


def test_query_from_stdin(cache: Path) -> None:
    result = cg(cache, "query", "-", stdin="ASK { ?s ?p ?o }")
    assert result.returncode == 0 and result.stdout.strip() == "true"


def test_bad_query_exits_2_with_line_and_column(cache: Path) -> None:
    result = cg(cache, "query", str(CLI / "broken.rq"))
    assert result.returncode == 2
    assert "broken.rq: query syntax error at 6:1" in result.stderr
    assert len(_errors(result.stderr)) == 1


def test_missing_query_file_exits_2_naming_it(cache: Path) -> None:
    result = cg(cache, "query", "no-such-query.rq")
    assert result.returncode == 2 and "no-such-query.rq" in result.stderr


def test_missing_data_file_exits_2_naming_it(cache: Path) -> None:
    result = cg(cache, "--data", "missing-data.ttl", "stats")
    assert result.returncode == 2 and "missing-data.ttl" in result.stderr


def test_malformed_data_file_exits_2_naming_file_and_line(cache: Path) -> None:
    broken = PIPELINE / "broken" / "broken.ttl"
    result = cg(cache, "--data", str(broken), "validate")
    assert result.returncode == 2
    assert f"{broken}:3:" in result.stderr


@pytest.mark.parametrize("args", [["query", "--format", "xml", "ASK {}"], ["export", "--graphs", "some"],
                                  ["query", "--entailment", "rdfs", "ASK {}"], ["no-such-command"]])
def test_bad_option_exits_2(cache: Path, args: list[str]) -> None:
    assert cg(cache, *args).returncode == 2


def test_csv_for_a_graph_result_exits_2(cache: Path) -> None:
    result = cg(cache, "query", "--format", "csv", "CONSTRUCT WHERE { ?s ?p ?o }")
    assert result.returncode == 2 and "CSV" in result.stderr


def _graphs(data: bytes, fmt: ox.RdfFormat) -> dict[str, int]:
    counts: dict[str, int] = {}
    for quad in ox.parse(input=data, format=fmt):
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    return counts


def test_export_nquads_to_stdout_reparses(cache: Path) -> None:
    env = {**os.environ, "CONFLICT_GRAPH_CACHE_DIR": str(cache)}
    result = subprocess.run([sys.executable, "-m", "conflict_graph", *WORLD, "export"], capture_output=True,
                            cwd=ROOT, check=False, env=env)
    assert result.returncode == 0, result.stderr
    graphs = _graphs(result.stdout, ox.RdfFormat.N_QUADS)
    assert set(graphs) == {str(iris.ONTOLOGY_GRAPH), str(iris.SHAPES_GRAPH), str(iris.source_graph("demo")),
                           str(iris.INFERRED_GRAPH), "https://w3id.org/conflict-graph/graph/derivations"}


@pytest.mark.parametrize(("selection", "expected"), [
    ("asserted", {str(iris.ONTOLOGY_GRAPH), str(iris.source_graph("demo"))}),
    ("inferred", {str(iris.INFERRED_GRAPH)}),
])
def test_export_trig_to_a_file_reparses(cache: Path, tmp_path: Path, selection: str,
                                        expected: set[str]) -> None:
    output = tmp_path / "out.trig"
    result = cg(cache, "export", "--graphs", selection, "--format", "trig", "-o", str(output))
    assert result.returncode == 0 and result.stdout == ""
    assert set(_graphs(output.read_bytes(), ox.RdfFormat.TRIG)) == expected


def test_build_uses_the_chosen_reasoner(cache: Path) -> None:
    """`--reasoner owlrl` builds with owlrl: another artifact (the reasoner is in the cache key)."""
    native = cg(cache, "build")
    owlrl = cg(cache, "--reasoner", "owlrl", "build")
    assert native.returncode == 0 and owlrl.returncode == 0, owlrl.stderr

    def version(out: str) -> str:
        return next(line for line in out.splitlines() if line.startswith("data version:"))

    assert version(native.stdout) != version(owlrl.stdout)
    # both reasoners infer the same cleaned closure of the fixture
    inferred = [line for line in (native.stdout, owlrl.stdout)
                for line in [next(x for x in line.splitlines() if x.startswith(str(iris.INFERRED_GRAPH)))]]
    assert inferred[0] == inferred[1]


def test_export_writes_into_a_new_folder_and_refuses_a_folder(cache: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "events.nq"
    assert cg(cache, "export", "-o", str(target)).returncode == 0
    assert list(ox.parse(target.read_bytes(), format=ox.RdfFormat.N_QUADS))
    refused = cg(cache, "export", "-o", str(tmp_path))
    assert refused.returncode == 2
    assert _errors(refused.stderr) == [f"conflict-graph: error: {tmp_path} is a folder: give a file name with -o "
                                       "(a folder only with --format release)"]
