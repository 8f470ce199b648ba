"""Build hook: the wheel carries the ontology, the data and the named queries.

They are force-included as ``conflict_graph/_embedded/{ontology,data/ttl,queries}`` (found at run
time by ``conflict_graph.pipeline.inputs.embedded_root``). An editable install needs no copy: the package
then reads them from the source tree. A missing folder fails the wheel build instead of
producing a wheel without its data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

EMBEDDED = {
    "ontology": "conflict_graph/_embedded/ontology",
    "data/ttl": "conflict_graph/_embedded/data/ttl",
    "queries": "conflict_graph/_embedded/queries",
}


class EmbedDataHook(BuildHookInterface):  # type: ignore[type-arg]
    """Force-include :data:`EMBEDDED` into standard (non-editable) wheels."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        for source, target in EMBEDDED.items():
            folder = Path(self.root) / source
            if not folder.is_dir():
                raise FileNotFoundError(f"{folder} is missing: the wheel must carry {', '.join(EMBEDDED)}")
            build_data["force_include"][str(folder)] = target
