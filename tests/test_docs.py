"""The README documents what a user can set and run, and CI runs what the README says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conflict_graph.pipeline.build import BuildResult
from conflict_graph.settings import SETTINGS, Setting

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_in_the_readme_table(setting: Setting) -> None:
    rows = [line for line in README.splitlines() if line.startswith("|") and f"`{setting.env}`" in line]
    assert rows, f"{setting.env} is not in the README's settings table"
    if setting.flag:
        assert f"`{setting.flag}`" in rows[0]


def test_quick_start_has_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.*?)```", section, re.S)
    assert block is not None
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make serve", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: install", makefile, re.M)


def test_build_figures_in_the_readme_are_those_of_the_current_data(real_build: BuildResult) -> None:
    """The README shows `conflict-graph build` output; its graph sizes must match a build of today's data."""
    section = README.split("## Build", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"^\$ conflict-graph .*build", section, re.M)
    assert re.search(r"cold build: +[\d.]+ s", section) and re.search(r"warm start: +[\d.]+ s", section)
    shown = {match[0]: int(match[2].replace(",", ""))
             for match in re.findall(r"^(https://\S+) +(\w+) +([\d,]+)$", section, re.M)}
    built = {graph.iri: graph.triples for graph in real_build.catalogue.graphs}
    assert shown == built, "re-run `conflict-graph build` and paste its output into the README"
    # The data version is not compared: it also hashes the installed library versions, which a
    # fresh install may move without any change to the data.
    assert re.search(r"^data version: [0-9a-f]{32}$", section, re.M)
