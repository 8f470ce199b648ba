"""Run ``conflict-graph serve`` on a free loopback port in a subprocess, for live-server tests."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

#: How long ``serve`` may take to build the graph (OWL 2 RL closure, SHACL) before it listens.
SERVE_TIMEOUT = 600


@contextmanager
def serving(cache_dir: Path, extra_args: Sequence[str] = ()) -> Iterator[str]:
    """The base URL of ``python -m conflict_graph serve --port 0 [extra_args]``; stopped on exit."""
    env = {**os.environ, "CONFLICT_GRAPH_CACHE_DIR": str(cache_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "conflict_graph", "serve", "--host", "127.0.0.1", "--port", "0", *extra_args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        output: list[str] = []
        base = _wait_for_url(lines, output, time.monotonic() + SERVE_TIMEOUT)
        if base is None:
            pytest.fail("conflict-graph serve did not start:\n" + "".join(output[-40:]))
        yield base
    finally:
        _stop(process)
        reader.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


def _wait_for_url(lines: queue.Queue[str | None], output: list[str], deadline: float) -> str | None:
    """Read ``serve``'s output until it prints the URL it listens on (or stops, or time runs out)."""
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            break
        output.append(line)
        match = re.search(r"serving SPARQL on (http://[^/\s]+)/sparql", line)
        if match:
            return match.group(1)
    return None


def _stop(process: subprocess.Popen[str]) -> None:
    """Interrupt ``serve`` as Ctrl-C would (it then stops its workers); kill its group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
