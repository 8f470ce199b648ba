"""A query worker imports neither rdflib nor the command line, even when the server's main module does.

``conflict-graph serve`` runs as a console script whose module imports the command line (and so
rdflib, pySHACL, Flask); a ``spawn`` child re-imports the parent's main module unless told not to
(``query/spawning.py``). The script below plays that part: it imports the command line, starts a
real worker pool on a built artifact, and asks a worker what it has imported (``ModulesJob``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conflict_graph.pipeline.build import BuildResult

SCRIPT = """
import json, sys
from conflict_graph.cli import main as command_line  # what the console script imports
from conflict_graph.query.jobs import ModulesJob
from conflict_graph.query.workers import WorkerPool

if __name__ == "__main__":
    assert "rdflib" in sys.modules
    pool = WorkerPool(sys.argv[1], size=1)
    pool.start()
    try:
        print(json.dumps(pool.run(ModulesJob(), 60)))
    finally:
        pool.close()
"""


def test_a_worker_imports_neither_rdflib_nor_the_command_line(project_build: BuildResult,
                                                              tmp_path: Path) -> None:
    script = tmp_path / "serve_like.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(project_build.artifact)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    packages = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert {"pyoxigraph", "conflict_graph"} <= packages
    assert not packages & {"rdflib", "pyshacl", "pyparsing", "flask", "owlrl", "click"}
