"""Live servers for the endpoint tests: the real ``conflict-graph serve`` on a free loopback port.

Each server is a subprocess started with ``python -m conflict_graph serve --port 0`` (the server
picks a free port and prints its URL), with its own temporary cache folder. :func:`start_server`
waits until ``/health`` answers; :func:`stop_server` ends the process. The fixtures are in
``conftest.py``.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
#: Vendored test material: the W3C manifests (tests/data/w3c, with their licence).
SHARED = REPO / "tests" / "data"
DATA = Path(__file__).resolve().parent.parent / "data" / "endpoint"
EX = "http://example.org/conflict#"
_URL = re.compile(r"serving SPARQL on (http://\S+/sparql)")


@dataclass
class Reply:
    """An HTTP response, read in full."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> object:
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()


@dataclass
class LiveServer:
    """One running ``conflict-graph serve`` process."""

    process: subprocess.Popen[str]
    endpoint: str
    log: list[str] = field(default_factory=list)

    @property
    def root(self) -> str:
        return self.endpoint.rsplit("/sparql", 1)[0]

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.endpoint)
        return parts.hostname or "127.0.0.1", parts.port or 80

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: Mapping[str, str] | None = None, timeout: float = 60.0,
                source: str | None = None) -> Reply:
        """Send one raw HTTP request (no header is added but Host and Content-Length).

        ``source`` binds the client's socket to another loopback address (``127.0.0.2``), so the
        server sees a second client.
        """
        host, port = self.address
        connection = http.client.HTTPConnection(host, port, timeout=timeout,
                                                source_address=(source, 0) if source else None)
        try:
            data = body.encode("utf-8") if isinstance(body, str) else body
            connection.request(method, path, body=data, headers=dict(headers or {}))
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path: str = "/sparql", headers: Mapping[str, str] | None = None, **kwargs: object) -> Reply:
        return self.request("GET", path, headers=headers, **kwargs)  # type: ignore[arg-type]

    def health(self) -> dict[str, object]:
        reply = self.get("/health")
        return reply.json()  # type: ignore[return-value]


def start_server(arguments: Sequence[str], cache_dir: Path, *, timeout: float = 600.0,
                 env: Mapping[str, str] | None = None) -> LiveServer:
    """Start ``conflict-graph serve`` with ``arguments`` and wait until it answers ``/health``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONFLICT_GRAPH_")}
    paths = [str(SRC), environment.get("PYTHONPATH", "")]
    environment["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    environment["PYTHONUNBUFFERED"] = "1"
    environment.update(env or {})
    command = [sys.executable, "-m", "conflict_graph", "serve", "--host", "127.0.0.1", "--port", "0",
               "--cache-dir", str(cache_dir), *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=environment, cwd=REPO)
    log: list[str] = []
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        try:
            for line in process.stdout:
                log.append(line.rstrip("\n"))
                match = _URL.search(line)
                if match and not found:
                    found.append(match.group(1))
        except ValueError:  # stop_server closed the pipe while a child process still wrote to it
            return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while not found:
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            reader.join(timeout=5)
            pytest.fail("conflict-graph serve did not start:\n" + "\n".join(log[-60:]))
        time.sleep(0.1)
    server = LiveServer(process, found[0], log)
    while True:
        try:
            if server.get("/health", timeout=5).status == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(process)
            pytest.fail("conflict-graph serve never became healthy:\n" + "\n".join(log[-60:]))
        time.sleep(0.1)


def stop_server(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    if process.stdout is not None:
        process.stdout.close()
