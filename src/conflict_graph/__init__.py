"""conflict-graph: an open knowledge graph of armed conflict, queried with SPARQL and OWL 2 RL.

The pipeline is ``inputs`` (which file goes to which named graph) → ``validation`` (SHACL) →
``reasoning`` (OWL 2 RL closure into ``graph/inferred``) → ``build`` (cached artifact) →
``store`` (pyoxigraph, query datasets). ``cli`` and ``web`` are thin clients of those functions.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("conflict-graph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
