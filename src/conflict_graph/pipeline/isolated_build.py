"""Run a cold build in a child process, so a long-lived server never keeps the build's memory.

A cold build parses every input with rdflib, validates it with pySHACL and computes the OWL 2 RL
closure with owlrl: at 10^6 triples that is gigabytes, which a Python process keeps (its heap
and the imported libraries) long after the build is done. A server therefore looks the artifact
up in the cache in its own process (cheap: only input bytes are hashed) and, on a miss, builds it
in a ``spawn`` child that exits when the artifact is written. The server then holds what a warm
start holds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..errors import DataLoadError
from . import build
from .inputs import InputFile

__all__ = ["build_isolated"]


def build_isolated(
    files: Sequence[InputFile], *, cache_dir: Path, progress: Callable[[str], None] | None = None,
    reasoner: str = "native", allow_inconsistent: bool = False,
) -> build.BuildResult:
    """:func:`conflict_graph.pipeline.build.build`, with a cold build run in a child process.

    Args:
        files: from :func:`conflict_graph.pipeline.inputs.collect`.
        cache_dir: where artifacts live.
        progress: a picklable (module-level) function called with the cold build's messages, in
            the child.
        reasoner, allow_inconsistent: as :func:`~conflict_graph.pipeline.build.build` takes them.

    Raises:
        DataLoadError, ValidationFailed, ReasoningError: as :func:`~conflict_graph.pipeline.build.build`;
            DataLoadError also when the child dies (it ran out of memory, or was killed).
    """
    options = {"reasoner": reasoner, "allow_inconsistent": allow_inconsistent}
    found = build.find_artifact(Path(cache_dir), build.cache_key(files, reasoner=reasoner),
                                allow_inconsistent=allow_inconsistent)
    if found is not None:
        return build.build(files, cache_dir=cache_dir, **options)
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            return pool.submit(
                build.build, list(files), cache_dir=Path(cache_dir), progress=progress, **options
            ).result()
    except BrokenProcessPool as exc:
        raise DataLoadError(
            f"the build of {len(files)} file(s) stopped before it ended (the build "
            "process died: out of memory, or killed)"
        ) from exc
