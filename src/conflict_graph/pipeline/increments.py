"""What an incremental build starts from: the newest artifact with the same ontology and reasoner.

A build records in ``meta.json`` the SHA-256 of every input file and the graph it feeds, and a
*base key*: the hash of what must not change for its closure to be updated rather than rebuilt
(the artifact format, this package's and the reasoning libraries' versions, the reasoner, and the
bytes of every ontology file). On a cache miss, :func:`find_base` picks the newest artifact of the
same base key that holds a saved closure state, and :func:`changed_graphs` names the graphs whose
files differ, so only those are reasoned over again. The new artifact is still written under its
own full cache key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DataLoadError
from ..query.store import META_FILE
from ..reasoning import STATE_FILE
from .inputs import InputFile

__all__ = ["base_key", "changed_graphs", "file_records", "find_base"]


def file_records(files: Sequence[InputFile]) -> list[dict[str, Any]]:
    """One record per input file: path, kind, format, target graph (None for quads) and SHA-256.

    Raises:
        DataLoadError: a file is missing or unreadable.
    """
    records = []
    for item in files:
        try:
            digest = hashlib.sha256(item.path.read_bytes()).hexdigest()
        except OSError as exc:
            raise DataLoadError(f"{item.path}: cannot read ({exc.strerror or exc})") from exc
        records.append({"path": str(item.path), "kind": item.kind, "format": item.format,
                        "graph": item.graph, "sha256": digest})
    return records


def base_key(records: Sequence[dict[str, Any]], versions: str) -> str:
    """The hash of what an incremental update needs unchanged (``versions``: format, package,
    libraries and reasoner, as the cache key names them)."""
    digest = hashlib.sha256(versions.encode())
    for record in records:
        if record["kind"] == "ontology":
            digest.update(f"{record['graph']}\0{record['sha256']}\0".encode())
    return digest.hexdigest()[:32]


def find_base(cache_dir: Path, key: str, exclude: str) -> tuple[Path, dict[str, Any]] | None:
    """The newest artifact folder (and its meta) of base key ``key`` other than ``exclude``."""
    found: list[tuple[float, Path, dict[str, Any]]] = []
    for meta_path in Path(cache_dir).glob(f"*/{META_FILE}"):
        folder = meta_path.parent
        if folder.name == exclude or folder.name.startswith(".") or not (folder / STATE_FILE).is_file():
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            mtime = meta_path.stat().st_mtime
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and meta.get("base_key") == key:
            found.append((mtime, folder, meta))
    if not found:
        return None
    _, folder, meta = max(found, key=lambda item: item[0])
    return folder, meta


def changed_graphs(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> set[str] | None:
    """The graphs whose input files differ between two builds; None if that cannot be told (a
    quads file changed: it may feed any graph)."""
    def by_graph(records: Sequence[dict[str, Any]]) -> dict[str | None, set[tuple[str, str]]]:
        graphs: dict[str | None, set[tuple[str, str]]] = {}
        for r in records:
            graphs.setdefault(r["graph"], set()).add((r["path"], r["sha256"]))
        return graphs

    before, after = by_graph(old), by_graph(new)
    if before.get(None) != after.get(None):
        return None
    return {g for g in set(before) | set(after) if g is not None and before.get(g) != after.get(g)}
