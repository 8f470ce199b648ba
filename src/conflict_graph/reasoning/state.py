"""The native closure's state saved with a build, so the next build can update it incrementally.

``<artifact>/state.pickle`` holds the :class:`~.incremental.IncrementalClosure` (engine, facts of
each graph, derivation records). It is read only from the build's own cache folder, which the
build wrote itself: a pickle must never come from anywhere else.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from .incremental import IncrementalClosure

__all__ = ["STATE_FILE", "load_state", "save_state"]

STATE_FILE = "state.pickle"


def save_state(folder: Path, state: IncrementalClosure) -> None:
    state.engine.uses = state.engine.derived_by = None  # rebuilt on the first deletion
    state.engine.invalidate()  # compiled rule tables are rebuilt on use
    with open(Path(folder) / STATE_FILE, "wb") as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)


def load_state(folder: Path) -> IncrementalClosure | None:
    """The state saved in ``folder``, or None if there is none or it cannot be read."""
    try:
        with open(Path(folder) / STATE_FILE, "rb") as handle:
            state = pickle.load(handle)  # noqa: S301 - our own cache, written by save_state
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return state if isinstance(state, IncrementalClosure) else None
