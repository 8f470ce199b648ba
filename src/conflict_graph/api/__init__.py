"""The research API: named queries with typed parameters, their OpenAPI description, answers shaped
for researchers' tools (GeoJSON of places, the timeline), and the
Python API for notebooks (:mod:`.client`). Nothing here imports Flask: ``web/api.py`` serves it.

``from conflict_graph.api import open_graph`` is the one-line start of the Python API.
"""

from .client import EmbeddedGraph, RemoteGraph, Result, open_graph

__all__ = ["EmbeddedGraph", "RemoteGraph", "Result", "open_graph"]
