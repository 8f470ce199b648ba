"""The fixed cost of one request: our endpoint against the Oxigraph server, side by side.

Both serve the article's default graph (as in ``bench_query_path.py``) on free loopback ports.
One client with one persistent connection sends, to each system in turn (alternating rounds, so
both see the same machine load):

* ``ASK {}`` — the same text every time (our query checker's reading of it is remembered);
* ``ASK {} # n`` — a new text every time (the checker reads each one: a fresh query);
* ``q04`` — a small named query (one row), the same text every time.

It prints p50 and p99 per system and kind, and the difference of the p50s (our fixed cost above
Oxigraph's). With ``--answer-cache-mb N`` our server keeps answers (then the repeated texts are
cache hits, reported as such, never as evaluation speed).

    .venv/bin/python benchmarks/bench_fixed_cost.py [--requests 1000] [--rounds 4]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_datasets import article  # noqa: E402
from bench_systems import Client, Server, start, stop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ("conflict-graph", "oxigraph")


def texts(kind: str, count: int, start: int) -> list[str]:
    if kind == "ASK {} (same text)":
        return ["ASK {}"] * count
    if kind == "ASK {} (new text each time)":
        return [f"ASK {{}} # {start + i}" for i in range(count)]
    q04 = next((ROOT / "queries").glob("q04-*.rq")).read_text(encoding="utf-8")
    return [q04] * count


def timed(server: Server, queries: list[str]) -> list[float]:
    client = Client(server.url)
    client.send(queries[0])
    times = []
    for text in queries:
        started = time.perf_counter()
        status, _ = client.send(text)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{server.name}: HTTP {status} for {text[:40]!r}")
    client.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per kind, system and round")
    parser.add_argument("--rounds", type=int, default=4, help="alternations between the systems")
    parser.add_argument("--answer-cache-mb", type=int, default=0, help="our server's answer cache")
    args = parser.parse_args()
    os.environ["CONFLICT_GRAPH_ANSWER_CACHE_MB"] = str(args.answer_cache_mb)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; python {platform.python_version()}")
    kinds = ("ASK {} (same text)", "ASK {} (new text each time)", "q04 (same text)")
    with tempfile.TemporaryDirectory(prefix="bench-fixed-") as folder:
        work = Path(folder)
        dataset = article(work, work / "cache")
        servers = [start(name, dataset, work / "cache", work, None) for name in SYSTEMS]
        try:
            times: dict[tuple[str, str], list[float]] = {}
            for round_ in range(args.rounds):
                for server in servers:
                    if server is None:
                        continue
                    for kind in kinds:
                        batch = texts(kind, args.requests, round_ * args.requests)
                        times.setdefault((server.name, kind), []).extend(timed(server, batch))
        finally:
            for server in servers:
                if server is not None:
                    stop(server)
    print(f"\n{args.requests * args.rounds} requests per line, one persistent connection, "
          f"answer cache {args.answer_cache_mb} MB\n")
    print("| request | conflict-graph p50 / p99 ms | oxigraph p50 / p99 ms | difference of p50s ms |")
    print("|---|---|---|---|")
    for kind in kinds:
        cells, p50s = [], []
        for name in SYSTEMS:
            values = sorted(times.get((name, kind), []))
            if not values:
                cells.append("not run")
                continue
            p50 = statistics.median(values) * 1000
            p50s.append(p50)
            cells.append(f"{p50:.3f} / {values[int(0.99 * (len(values) - 1))] * 1000:.3f}")
        difference = f"{p50s[0] - p50s[1]:+.3f}" if len(p50s) == 2 else "–"
        print(f"| {kind} | {cells[0]} | {cells[1]} | {difference} |")
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
