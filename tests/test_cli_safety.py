"""No network access from data files or the command line, and one-line errors with exit codes.

Each test runs the real console script. A loopback HTTP server records every request it gets;
shapes with ``SERVICE`` or ``FROM`` and a ``query`` with ``SERVICE`` must leave it untouched.
Exit codes (``conflict-graph --help``): 2 bad input, 1 invalid data or an unexpected failure.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline_support import PIPELINE, run_cli

WORLD = ["--no-default-data", "--data", str(PIPELINE / "cli" / "world.trig")]
SHAPES_GRAPH = "https://w3id.org/conflict-graph/graph/shapes"


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the handler API
        Recorder.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def listener() -> Iterator[str]:
    Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def shapes_file(folder: Path, sparql: str) -> Path:
    path = folder / "shapes.trig"
    path.write_text(f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
<{SHAPES_GRAPH}> {{
  ex:Shape a sh:NodeShape ; sh:targetNode ex:a ;
    sh:sparql [ sh:message "m" ; sh:select \"\"\"{sparql}\"\"\" ] .
}}
<http://example.org/data> {{ ex:a ex:p ex:b . }}
""", encoding="utf-8")
    return path


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("conflict-graph: error: ")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "site-packages" not in stderr and "/src/" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("command", ["validate", "stats"])
@pytest.mark.parametrize("clause", ["SERVICE <{url}> {{ ?s ?p ?o }}", "SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
                                    "?s ?p ?o # FROM <{url}>\n", "?s ?p ?o . sErViCe <{url}> {{ }}"])
def test_shapes_that_would_call_the_network_are_refused(listener: str, tmp_path: Path, command: str,
                                                        clause: str) -> None:
    path = shapes_file(tmp_path, "SELECT $this WHERE { " + clause.format(url=listener) + " }")
    result = run_cli(["--no-default-data", "--data", str(path), command], tmp_path / "cache")
    if "# FROM" in clause:  # only in a comment: harmless, and validation runs (offline)
        assert result.returncode in (0, 1), result.stderr
    else:
        assert result.returncode == 2, result.stderr
        line = one_error_line(result.stderr)
        assert str(path) in line and "sh:select" in line and "SERVICE" in line
    assert Recorder.hits == []


def test_shapes_with_from_are_refused(listener: str, tmp_path: Path) -> None:
    path = shapes_file(tmp_path, f"SELECT $this FROM <{listener}> WHERE {{ ?s ?p ?o }}")
    result = run_cli(["--no-default-data", "--data", str(path), "validate"], tmp_path / "cache")
    assert result.returncode == 2
    assert "FROM" in one_error_line(result.stderr)
    assert Recorder.hits == []


def test_malformed_shapes_are_one_line_and_exit_2(tmp_path: Path) -> None:
    path = shapes_file(tmp_path, "SELECT $this WHERE { this is not sparql")
    result = run_cli(["--no-default-data", "--data", str(path), "validate"], tmp_path / "cache")
    assert result.returncode == 2
    assert "the SHACL shapes cannot be used" in one_error_line(result.stderr)


def test_query_applies_the_service_allowlist(listener: str, tmp_path: Path) -> None:
    text = f"SELECT * WHERE {{ SERVICE <{listener}> {{ ?s ?p ?o }} }}"
    refused = run_cli([*WORLD, "query", text], tmp_path)
    assert refused.returncode == 2
    assert "is not allowed" in one_error_line(refused.stderr)
    assert Recorder.hits == []
    allowed = run_cli([*WORLD, "query", "--service-allowlist", listener, "--format", "json", text], tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert len(Recorder.hits) == 1


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT (<x:f>(1) AS ?v) {}", "custom function <x:f> is not supported"),
    ("# a service\nSELECT (<x:f>(1) AS ?v) {}", "custom function <x:f> is not supported"),
    ("PREFIX p: <http://[> ASK {}", "syntax error"),
    ("BASE <http://]> ASK {}", "syntax error"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "read-only"),
])
def test_bad_queries_are_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    result = run_cli([*WORLD, "query", text], tmp_path)
    assert result.returncode == 2
    assert message in one_error_line(result.stderr)


def test_a_port_in_use_is_reported_before_any_build(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        started = time.monotonic()
        result = run_cli(["serve", "--port", str(port)], tmp_path / "cache")
        seconds = time.monotonic() - started
    finally:
        taken.close()
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "port is in use" in line and f"127.0.0.1:{port}" in line
    assert not (tmp_path / "cache").exists()  # refused before the cold build began
    assert seconds < 60  # safety net: a cold build of the project's data takes far longer


def test_an_unreadable_output_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")  # a missing folder is created
    result = run_cli([*WORLD, "export", "-o", str(tmp_path / "a-file" / "out.nq")], tmp_path)
    assert result.returncode == 2
    assert "cannot write" in one_error_line(result.stderr)
