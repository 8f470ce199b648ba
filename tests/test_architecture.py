"""The web layer stays apart from the domain: only ``conflict_graph.web`` imports Flask or waitress,
and only the ``reasoning`` subpackage imports owlrl (so the reasoner can change in one place).

Werkzeug's header parsers are allowed outside ``web``: content negotiation (``conneg``) is a pure
function of an ``Accept`` header and uses them without any request object."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "conflict_graph"
MODULES = sorted(PACKAGE.rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_web_layer_imports_web_frameworks(path: Path) -> None:
    if path.relative_to(PACKAGE).parts[0] == "web":
        return
    assert not imported(path) & {"flask", "waitress", "flask_cors"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_reasoning_imports_owlrl(path: Path) -> None:
    if path.relative_to(PACKAGE).parts[0] != "reasoning":
        assert "owlrl" not in imported(path)
