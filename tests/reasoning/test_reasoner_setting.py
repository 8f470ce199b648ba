"""``--reasoner`` / ``CONFLICT_GRAPH_REASONER``: parsed by the settings table, part of the cache key,
recorded in the artifact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conflict_graph import settings
from conflict_graph.errors import SettingError
from conflict_graph.pipeline import build
from conflict_graph.reasoning import DERIVATIONS_FILE
from pipeline_support import project_files, run_cli


def test_the_setting_defaults_to_native_and_reads_the_variable() -> None:
    assert settings.resolve(environ={})["reasoner"] == "native"
    assert settings.resolve(environ={"CONFLICT_GRAPH_REASONER": "OWLRL"})["reasoner"] == "owlrl"
    with pytest.raises(SettingError, match="CONFLICT_GRAPH_REASONER: expected one of native, owlrl"):
        settings.resolve(environ={"CONFLICT_GRAPH_REASONER": "hermit"})


def test_the_reasoner_is_part_of_the_cache_key() -> None:
    files = project_files()
    assert build.cache_key(files, "native") != build.cache_key(files, "owlrl")


def test_an_owlrl_build_records_its_reasoner(tmp_path: Path) -> None:
    result = build.build(project_files(), cache_dir=tmp_path, validate=False, reasoner="owlrl")
    meta = json.loads((result.artifact / "meta.json").read_text(encoding="utf-8"))
    assert meta["reasoner"] == "owlrl" and meta["build"] == "cold"
    with sqlite3.connect(result.artifact / DERIVATIONS_FILE) as connection:
        assert dict(connection.execute("SELECT key, value FROM meta"))["reasoner"] == "owlrl"
    native = build.build(project_files(), cache_dir=tmp_path, validate=False)
    assert native.artifact != result.artifact and native.mode == "cold"


def test_the_command_line_refuses_an_unknown_reasoner(tmp_path: Path) -> None:
    done = run_cli(["--reasoner", "hermit", "build"], tmp_path)
    assert done.returncode == 2 and "hermit" in done.stderr and "native" in done.stderr
