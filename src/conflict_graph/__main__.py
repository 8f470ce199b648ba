"""``python -m conflict_graph``: the same command line as ``conflict-graph``."""

from __future__ import annotations

from .cli.main import main

if __name__ == "__main__":
    main(prog_name="conflict-graph")
