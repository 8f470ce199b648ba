"""The wheel: metadata, console script, and the embedded ontology, data and queries."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from pipeline_support import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the working tree with pip (hatchling in an isolated build environment)."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out),
                             str(ROOT)], capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("conflict_graph-0.1.0-*.whl")
    return built


def _names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_wheel_embeds_ontology_data_and_queries(wheel: Path) -> None:
    names = _names(wheel)
    for folder, source in (("ontology", ROOT / "ontology"), ("data/ttl", ROOT / "data" / "ttl"),
                           ("queries", ROOT / "queries")):
        expected = {f"conflict_graph/_embedded/{folder}/{p.relative_to(source).as_posix()}"
                    for p in source.rglob("*") if p.is_file()}
        assert expected and expected <= set(names), folder


def test_wheel_carries_the_web_templates_and_assets(wheel: Path) -> None:
    names = set(_names(wheel))
    web = ROOT / "src" / "conflict_graph" / "web"
    expected = {f"conflict_graph/web/{p.relative_to(web).as_posix()}"
                for folder in ("templates", "static") for p in (web / folder).rglob("*") if p.is_file()}
    assert expected and expected <= names


def test_wheel_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
        entry_points = archive.read(metadata_name.replace("METADATA", "entry_points.txt")).decode()
    assert metadata["Name"] == "conflict-graph" and metadata["Version"] == "0.1.0"
    assert metadata["Requires-Python"] == ">=3.11"
    requires = metadata.get_all("Requires-Dist")
    for pin in ("rdflib<8,>=7.6", "owlrl<8,>=7.6.2", "pyshacl<0.41,>=0.40", "pyoxigraph<0.6,>=0.5.13",
                "flask<4,>=3.1", "click<9,>=8.1"):
        assert pin in requires
    assert not any(name.startswith("waitress") for name in requires)  # the server is our own
    assert "conflict-graph = conflict_graph.cli:main" in entry_points


def test_installed_wheel_finds_its_embedded_data(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    script = ("from conflict_graph.pipeline import inputs; root = inputs.embedded_root(); "
              "print(root); print(len(inputs.embedded_files(root)))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(tmp_path), "PATH": ""}, cwd=tmp_path)
    root, count = result.stdout.split()
    assert Path(root) == tmp_path / "conflict_graph" / "_embedded"
    assert int(count) >= 2
