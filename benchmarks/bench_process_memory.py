"""Where our server's memory goes: RSS and PSS of each process of its tree, idle and after queries.

Starts ``conflict-graph serve`` from a warm cache (``--`` passes the serve arguments that select
the artifact and any setting, e.g. ``--workers 1``), reads ``/proc/<pid>/smaps_rollup`` of every
process of its tree (the server, the fork server, the query workers, the resource tracker), runs
``generate_graph.QUERIES`` ``--rounds`` times at concurrency 1 and then from 8 clients at once,
and reads the figures again. PSS counts a page shared by n processes 1/n in each; ``anon`` is
the anonymous part of PSS (heap, RocksDB's block cache), ``file`` the part mapped from files.
Prints a Markdown table per moment.

    .venv/bin/python benchmarks/bench_process_memory.py --cache-dir /tmp/bmem/cache \\
        -- --no-default-data --data /tmp/bmem/gen-1000000.nt --workers 1
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_graph  # noqa: E402
from bench_systems import Client, Server, process_tree, spawn_ours, stop  # noqa: E402

CLIENTS = 8
FIELDS = ("Rss", "Pss", "Pss_Anon", "Pss_File")


def rollup(pid: int) -> dict[str, int]:
    """The MiB figures of ``/proc/<pid>/smaps_rollup`` (OSError if the process has gone)."""
    figures: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        figures[name] = int(value.split()[0]) // 1024
    return figures


def role(pid: int, server: int) -> str:
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    if pid == server:
        return "server"
    if "resource_tracker" in command:
        return "resource tracker"
    return "fork server or query worker"


def report(server: Server, moment: str) -> None:
    print(f"\n{moment}\n")
    print("| pid | process | RSS MB | PSS MB | PSS anon MB | PSS file MB |\n|---|---|---|---|---|---|")
    totals = dict.fromkeys(FIELDS, 0)
    for pid in process_tree(server.process.pid):
        try:
            figures, name = rollup(pid), role(pid, server.process.pid)
        except OSError:
            continue
        print(f"| {pid} | {name} | " + " | ".join(str(figures[f]) for f in FIELDS) + " |")
        for field in FIELDS:
            totals[field] += figures[field]
    print("| | **total** | " + " | ".join(f"**{totals[f]}**" for f in FIELDS) + " |", flush=True)


def send_all(url: str, rounds: int) -> None:
    client = Client(url)
    try:
        for _ in range(rounds):
            for text in generate_graph.QUERIES.values():
                status, body = client.send(text, timeout=600)
                if status != 200:
                    raise RuntimeError(f"{status} {body[:200]!r}")
    finally:
        client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3, help="times each client sends every query")
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench-process-memory.log"))
    parser.add_argument("serve_args", nargs="*", help="arguments of conflict-graph serve (after --)")
    args = parser.parse_args(argv)
    server = spawn_ours(["--cache-dir", str(args.cache_dir), *args.serve_args], args.log)
    try:
        report(server, "Idle, after start-up")
        send_all(server.url, args.rounds)
        clients = [threading.Thread(target=send_all, args=(server.url, args.rounds)) for _ in range(CLIENTS)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        report(server, f"After the queries ({args.rounds} rounds at concurrency 1, then {CLIENTS} clients)")
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
