"""Start a ``spawn`` child without running the parent's main module in it.

A child started with the ``spawn`` method first re-imports the parent's ``__main__`` module (as
``__mp_main__``; Python's ``multiprocessing`` documentation, "Safe importing of main module"), so
that functions defined there can be unpickled. For ``conflict-graph serve`` that module is the
console script, which imports the command line and, through it, rdflib, pySHACL and Flask: about
50 MB per query worker that a worker never uses (its target lives in
:mod:`conflict_graph.query.workers`). :func:`main_module_hidden` hides the main module's file and
spec while a child is started, so the child imports only what its target needs.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["main_module_hidden"]

_LOCK = threading.Lock()
_MISSING = object()


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """While the block runs (a ``Process.start()`` with the ``spawn`` method), the main module
    has neither ``__file__`` nor ``__spec__``, so ``multiprocessing`` does not ask the child to
    import it. The child's target must not be defined in the main module."""
    with _LOCK:
        main = sys.modules.get("__main__")
        saved = {name: getattr(main, name, _MISSING) for name in ("__file__", "__spec__")}
        try:
            if main is not None:
                if saved["__file__"] is not _MISSING:
                    del main.__file__
                main.__spec__ = None
            yield
        finally:
            if main is not None:
                for name, value in saved.items():
                    if value is _MISSING:
                        if hasattr(main, name):
                            delattr(main, name)
                    else:
                        setattr(main, name, value)
