"""The systems of the query-path benchmark: starting, reaching and stopping each server.

Each runs on a free loopback port; :func:`stop` ends it (and removes what it wrote). A system that
is not installed is skipped with a printed line.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_datasets import Dataset

from conflict_graph.query import store

BIN = Path(sys.executable).parent
RESULTS_JSON = "application/sparql-results+json"


class Client:
    """One persistent HTTP/1.1 connection (keep-alive), optionally from a given loopback address."""

    def __init__(self, url: str, source: str | None = None) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"
        self.source = source
        self.connection: http.client.HTTPConnection | None = None

    def send(self, query: str, timeout: float = 60) -> tuple[int, bytes]:
        body = urllib.parse.urlencode({"query": query}).encode()
        graph = query.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE")) or "\nDESCRIBE" in query.upper()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/n-triples" if graph else RESULTS_JSON,
        }
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host,
                    self.port,
                    timeout=timeout,
                    source_address=(self.source, 0) if self.source else None,
                )
            try:
                self.connection.timeout = timeout
                self.connection.request("POST", self.path, body, headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError) as exc:
                self.close()
                if attempt == 2:
                    raise OSError(str(exc)) from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    startup: float = 0.0
    disk: Path | None = None
    cleanup: list[Any] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(server: Server, deadline: float, started: float) -> Server:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with code {server.process.returncode}")
        try:
            status, _ = Client(server.url).send("ASK {}", timeout=5)
            if status == 200:
                server.startup = time.monotonic() - started
                return server
        except OSError:
            pass
        time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"{server.name} did not answer in time")


def spawn(name: str, cmd: list[str], url: str, log: Path, timeout: float = 900) -> Server:
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return _wait(Server(name, process, url), started + timeout, started)


def spawn_on_free_port(name: str, command: Callable[[int], list[str]], path: str, log: Path,
                       timeout: float = 900, tries: int = 3) -> Server:
    """:func:`spawn` ``command(port)`` on a :func:`free_port`, again on another port if the server
    found it taken (another process can bind it after the probe closes and before the server does).
    """
    for attempt in range(1, tries + 1):
        port = free_port()
        try:
            return spawn(name, command(port), f"http://127.0.0.1:{port}{path}", log, timeout)
        except RuntimeError:
            if attempt == tries or "already in use" not in log.read_text(errors="replace").lower():
                raise
    raise AssertionError("unreachable")


SERVING = re.compile(r"serving SPARQL on (http://\S+/sparql)")


def spawn_ours(args: list[str], log: Path, timeout: float = 900) -> Server:
    """Start ``conflict-graph serve --port 0 ARGS`` and wait for its first answer.

    The server binds a free port itself and prints its address, so no other process can take the
    port between choosing and binding it (as it can with :func:`free_port`).
    """
    started = time.monotonic()
    cmd = [str(BIN / "conflict-graph"), "serve", "--host", "127.0.0.1", "--port", "0", *args]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server("conflict-graph", process, "")
    while (found := SERVING.search(log.read_text(encoding="utf-8", errors="replace"))) is None:
        if process.poll() is not None or time.monotonic() > started + timeout:
            stop(server)
            raise RuntimeError(f"conflict-graph did not print its address (exit code {process.returncode})")
        time.sleep(0.05)
    server.url = found.group(1)
    return _wait(server, started + timeout, started)


def end(process: subprocess.Popen[bytes], grace: float = 20) -> None:
    """Terminate ``process``, and kill it if it has not exited after ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def stop(server: Server) -> None:
    end(server.process)
    for step in server.cleanup:
        step()


def start_ours(dataset: Dataset, cache_dir: Path, work: Path) -> Server:
    log = work / f"ours-{dataset.name}.log"
    server = spawn_ours(["--cache-dir", str(cache_dir), *dataset.serve_args], log)
    server.disk = dataset.artifact / store.STORE_DIR
    return server


def start_oxigraph(dataset: Dataset, work: Path) -> Server | None:
    exe = shutil.which("oxigraph", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if exe is None:
        print("oxigraph: not installed (pip install oxigraph); skipped")
        return None
    location = work / f"oxigraph-{dataset.name}"
    shutil.rmtree(location, ignore_errors=True)
    subprocess.run(
        [exe, "load", "--location", str(location), "--file", str(dataset.triples_file)],
        check=True,
        capture_output=True,
        timeout=1800,
    )
    server = spawn_on_free_port(
        "oxigraph",
        lambda port: [exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        "/query",
        work / f"oxigraph-{dataset.name}.log",
    )
    server.disk = location
    return server


def start_virtuoso(dataset: Dataset, work: Path) -> Server | None:
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if exe is None or isql is None:
        print("virtuoso: not installed (Debian virtuoso-opensource-7-bin); skipped")
        return None
    folder = work / f"virtuoso-{dataset.name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        f"[Database]\nDatabaseFile={folder}/db.db\nTransactionFile={folder}/db.trx\nErrorLogFile={folder}/db.log\n"
        f"xa_persistent_file={folder}/db.pxa\n[TempDatabase]\nDatabaseFile={folder}/tmp.db\nTransactionFile={folder}/tmp.trx\n"
        f"[Parameters]\nServerPort=127.0.0.1:{port}\nDirsAllowed=.,{work}\nNumberOfBuffers=170000\nMaxDirtyBuffers=130000\n"
        f"MaxQueryExecutionTime=0\n[HTTPServer]\nServerPort=127.0.0.1:{http_port}\nServerRoot={folder}\n"
        "MaxClientConnections=16\nServerThreads=16\n[SPARQL]\nResultSetMaxRows=1000000\nMaxQueryExecutionTime=0\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    process = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server("virtuoso", process, f"http://127.0.0.1:{http_port}/sparql")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (
            subprocess.run(
                [isql, str(port), "dba", "dba", "exec=status();"], capture_output=True, timeout=30
            ).returncode
            == 0
        ):
            break
        time.sleep(0.5)
    load = (
        f"ld_dir('{dataset.triples_file.parent}', '{dataset.triples_file.name}', "
        f"'urn:bench:{dataset.name}'); "
        "rdf_loader_run(); checkpoint;"
    )
    subprocess.run(
        [isql, str(port), "dba", "dba", f"exec={load}"], check=True, capture_output=True, timeout=3600
    )
    server.cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    server = _wait(server, time.monotonic() + 120, started)
    server.disk = folder
    return server


def start_rdflib_endpoint(dataset: Dataset, work: Path, exe: str | None) -> Server | None:
    if exe is None:
        print("rdflib-endpoint: not installed (pass --rdflib-endpoint PATH); skipped")
        return None
    return spawn_on_free_port(
        "rdflib-endpoint",
        lambda port: [exe, "serve", str(dataset.triples_file), "--host", "127.0.0.1", "--port", str(port)],
        "/",
        work / f"rdflib-endpoint-{dataset.name}.log",
        timeout=3600,
    )


def start(
    system: str, dataset: Dataset, cache_dir: Path, work: Path, rdflib_endpoint: str | None
) -> Server | None:
    """Start one system on one dataset (None: it is not installed, and a line says so)."""
    if system == "conflict-graph":
        return start_ours(dataset, cache_dir, work)
    if system == "oxigraph":
        return start_oxigraph(dataset, work)
    if system == "virtuoso":
        return start_virtuoso(dataset, work)
    if system == "rdflib-endpoint":
        return start_rdflib_endpoint(dataset, work, rdflib_endpoint)
    raise SystemExit(f"unknown system {system!r}")


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc), the process first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def _tree_sum(pid: int, measure: Callable[[int], int]) -> int:
    total = 0
    for member in process_tree(pid):
        try:
            total += measure(member)
        except OSError:  # it has gone
            pass
    return total


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc). A page shared by
    several of them (a library, the fork server's modules) counts once per process."""
    return _tree_sum(pid, process_rss)


def pss_bytes(pid: int) -> int:
    """Proportional set size of a process and all its descendants (Linux ``smaps_rollup``): a
    page shared by n processes counts 1/n in each, so the sum counts it once."""
    return _tree_sum(pid, process_pss)


def _status_field(path: str, name: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(name):
            return int(line.split()[1]) * 1024
    return 0


def process_rss(pid: int) -> int:
    """Resident memory of one process, in bytes (Linux /proc; OSError if it has gone)."""
    return _status_field(f"/proc/{pid}/status", "VmRSS:")


def process_pss(pid: int) -> int:
    """Proportional set size of one process, in bytes (Linux /proc; OSError if it has gone)."""
    return _status_field(f"/proc/{pid}/smaps_rollup", "Pss:")


def memory_figures(server: Server) -> dict[str, float]:
    """What a server holds, in MiB: RSS and PSS summed over its process tree, its files on disk,
    and PSS + disk (the figure the memory target of issue 7 is stated against)."""
    pid = server.process.pid
    pss, disk = pss_bytes(pid) / 2**20, disk_bytes(server.disk) / 2**20
    return {"rss_mb": rss_bytes(pid) / 2**20, "pss_mb": pss, "disk_mb": disk, "pss_disk_mb": pss + disk,
            "processes": len(process_tree(pid))}


def percentile(values: list[float], fraction: float) -> float:
    """The value at rank ``int(fraction * n)`` of the sorted ``values`` (NaN if there are none)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def disk_bytes(path: Path | None) -> int:
    if path is None or not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
