"""Time the linked-data pages of ``conflict-graph serve`` over HTTP, on the embedded data.

Starts ``conflict-graph serve --port 0`` (``bench_systems.spawn_ours``; its build cached in
``--cache-dir``, done before any timing), asks each path a few times for warm-up, then N times in
sequence (a new connection per request, like a browser following a link), and prints median and p95
latency and the body size. Loopback only; the server is stopped at the end (also on error or
Ctrl-C).

    .venv/bin/python benchmarks/bench_pages.py [--reps 20] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_systems import spawn_ours, stop  # noqa: E402

#: (label, path, Accept)
REQUESTS = (
    ("landing page", "/", "text/html"),
    ("Lashio page (HTML)", "/id/place/town/lashio", "text/html"),
    ("MNDAA page (HTML)", "/id/org/mndaa", "text/html"),
    ("control assertion (HTML)", "/id/assertion/control/lashio-town-almost-all", "text/html"),
    ("source page (HTML)", "/id/source/irrawaddy-2024-op1027-phase2", "text/html"),
    ("Lashio (Turtle)", "/id/place/town/lashio", "text/turtle"),
    ("MNDAA (JSON-LD)", "/id/org/mndaa.jsonld", "*/*"),
    ("unknown IRI (404 HTML)", "/id/place/town/nowhere", "text/html"),
    ("/sparql DESCRIBE Lashio",
     "/sparql?query=" + quote("DESCRIBE <https://w3id.org/conflict-graph/id/place/town/lashio>"),
     "text/turtle"),
)


def fetch(base: str, path: str, accept: str) -> tuple[int, int, float]:
    parts = urlsplit(base)
    began = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, len(body), time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--cache-dir", default=None)
    args = parser.parse_args()
    cache_dir = args.cache_dir or tempfile.mkdtemp(prefix="cg-bench-pages-")
    log = Path(tempfile.mkdtemp(prefix="cg-bench-pages-")) / "serve.log"
    server = spawn_ours(["--cache-dir", cache_dir], log)
    try:
        base = server.url.removesuffix("/sparql")
        print(f"{'request':32} {'status':>6} {'bytes':>8} {'median ms':>10} {'p95 ms':>8}")
        for label, path, accept in REQUESTS:
            for _ in range(3):
                fetch(base, path, accept)
            times, status, size = [], 0, 0
            for _ in range(max(1, args.reps)):
                status, size, seconds = fetch(base, path, accept)
                times.append(seconds * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            print(f"{label:32} {status:>6} {size:>8,} {statistics.median(times):>10.1f} {p95:>8.1f}")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
