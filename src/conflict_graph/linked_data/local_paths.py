"""Where a project IRI lives on this server: ``https://w3id.org/conflict-graph/X`` → ``/X``.

Paths are relative to the application root; the web layer prefixes its ``script_root``.
"""

from __future__ import annotations

from .. import iris

__all__ = ["local_path"]


def local_path(iri: str) -> str | None:
    """The server path of a project IRI (``…/id/place/town/lashio`` → ``/id/place/town/lashio``).

    None for an IRI outside the project's base."""
    return "/" + iri[len(iris.BASE):] if iri.startswith(iris.BASE) else None
