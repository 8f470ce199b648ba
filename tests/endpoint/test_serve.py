"""``conflict-graph serve``: settings from flags and environment, start-up errors, layering."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from live_server import REPO, SRC

from conflict_graph import cli, errors, settings
from conflict_graph.web import command

SERVE = [s for s in settings.SETTINGS if s.name in command.SERVE_SETTINGS]


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run ``serve`` without serving: record the settings it would serve with."""
    values: dict[str, Any] = {}
    monkeypatch.setattr(command, "run_server", values.update)
    for setting in settings.SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    return values


def test_defaults(captured: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli.main, ["serve"])
    assert result.exit_code == 0, result.output
    assert captured["host"] == "127.0.0.1" and captured["port"] == 8000
    assert captured["workers"] == 2 and captured["query_timeout"] == 10.0
    assert captured["max_rows"] == 10_000 and captured["service_allowlist"] == ()
    assert captured["cors_origins"] == ("*",) and captured["no_default_data"] is False


def test_flags_win_over_environment(captured: dict[str, Any]) -> None:
    env = {"CONFLICT_GRAPH_MAX_ROWS": "7", "CONFLICT_GRAPH_QUERY_TIMEOUT": "2.5",
           "CONFLICT_GRAPH_SERVICE_ALLOWLIST": "https://a.example/sparql, https://b.example/",
           "CONFLICT_GRAPH_NO_DEFAULT_DATA": "yes", "CONFLICT_GRAPH_DATA": os.pathsep.join(["a.ttl", "b"])}
    result = CliRunner().invoke(cli.main, ["serve", "--max-rows", "3", "--port", "0"], env=env)
    assert result.exit_code == 0, result.output
    assert captured["max_rows"] == 3 and captured["port"] == 0
    assert captured["query_timeout"] == 2.5
    assert captured["service_allowlist"] == ("https://a.example/sparql", "https://b.example/")
    assert captured["no_default_data"] is True and captured["data"] == ("a.ttl", "b")


def test_data_options_before_the_command(captured: dict[str, Any]) -> None:
    arguments = ["--data", "x.ttl", "--no-default-data", "serve", "--data", "y.trig"]
    result = CliRunner().invoke(cli.main, arguments)
    assert result.exit_code == 0, result.output
    assert captured["data"] == ("x.ttl", "y.trig") and captured["no_default_data"] is True


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--workers", "0"], {}, "above 0"),
    (["--port", "70000"], {}, "TCP port"),
    (["--query-timeout", "soon"], {}, "query-timeout"),
    ([], {"CONFLICT_GRAPH_MAX_ROWS": "-1"}, "CONFLICT_GRAPH_MAX_ROWS"),
    (["--query-timeout", "nan"], {}, "--query-timeout"),
    (["--query-timeout", "inf"], {}, "--query-timeout"),
    (["--query-timeout", "-1"], {}, "--query-timeout"),
    ([], {"CONFLICT_GRAPH_QUERY_TIMEOUT": "NaN"}, "CONFLICT_GRAPH_QUERY_TIMEOUT"),
    ([], {"CONFLICT_GRAPH_QUERY_TIMEOUT": "-inf"}, "CONFLICT_GRAPH_QUERY_TIMEOUT"),
    (["--max-response-bytes", "0"], {}, "--max-response-bytes"),
    (["--max-waiting", "nan"], {}, "--max-waiting"),
    (["--max-client-queries", "0"], {}, "--max-client-queries"),
    ([], {"CONFLICT_GRAPH_MAX_QUERY_BYTES": "1e400"}, "CONFLICT_GRAPH_MAX_QUERY_BYTES"),
])
def test_bad_settings_are_refused(captured: dict[str, Any], args: list[str], env: dict[str, str],
                                  message: str) -> None:
    result = CliRunner().invoke(cli.main, ["serve", *args], env=env)
    assert result.exit_code == 2
    assert message in result.output
    assert not captured


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0.0, -1.0])
def test_a_bad_number_given_as_a_value_is_refused(value: float) -> None:
    with pytest.raises(errors.SettingError, match="query-timeout"):
        settings.resolve({"query_timeout": value}, environ={})


def test_help_names_every_setting_and_variable() -> None:
    output = CliRunner().invoke(cli.main, ["serve", "--help"], terminal_width=200).output
    for setting in SERVE:
        assert setting.flag in output and setting.env in output


def test_settings_are_documented() -> None:
    doc = (REPO / "docs" / "endpoint.md").read_text(encoding="utf-8")
    for setting in SERVE:
        assert f"`{setting.flag}`" in doc and f"`{setting.env}`" in doc, setting.name


def run_serve(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFLICT_GRAPH_")}
    env["PYTHONPATH"] = str(SRC)
    return subprocess.run([sys.executable, "-m", "conflict_graph", "serve", "--port", "0", "--cache-dir",
                           str(tmp_path / "cache"), *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=REPO)


def test_malformed_file_stops_the_start_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n", encoding="utf-8")
    result = run_serve(tmp_path, "--no-default-data", "--data", str(bad))
    assert result.returncode == 2
    assert f"{bad}:3" in result.stderr


def test_missing_file_stops_the_start(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--data", str(tmp_path / "nowhere.ttl"))
    assert result.returncode == 2
    assert "nowhere.ttl" in result.stderr


def test_nothing_to_serve(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--no-default-data")
    assert result.returncode == 2
    assert "--data" in result.stderr


def test_domain_modules_do_not_import_flask() -> None:
    """Only ``conflict_graph.web`` may import Flask or werkzeug's request machinery."""
    for path in (SRC / "conflict_graph").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name == "flask" or name.startswith("flask.") for name in imported), path.name
