"""Time the map, GeoJSON and ontology answers of `conflict-graph serve` over HTTP.

Starts ``conflict-graph serve --port 0`` (``bench_systems.spawn_ours``) on the embedded data with
the given cache folder (the first start builds the graph; that time is printed apart), then asks
each path once first (timed apart: the ontology page is built on its first request) and then
``--reps`` times in sequence (a new connection per request, urllib), and prints the first, median
and slowest time and the size of each answer. Loopback only; the server is stopped at the end, also
on error or Ctrl-C.

    .venv/bin/python benchmarks/bench_map.py [--reps 21] [--cache-dir /tmp/cg-bench-cache]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_systems import spawn_ours, stop  # noqa: E402

PATHS = ("/api/places.geojson", "/api/places.geojson?date=2024-07-21", "/map", "/ontology",
         "/ontology.ttl", "/ontology.jsonld")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/cg-bench-cache"))
    args = parser.parse_args()
    log = Path(tempfile.mkdtemp(prefix="cg-bench-map-")) / "serve.log"
    server = spawn_ours(["--cache-dir", str(args.cache_dir)], log)
    try:
        base = server.url.removesuffix("/sparql")
        print(f"server ready after {server.startup:.1f} s "
              "(includes a cold build if the cache was empty)")
        print(f"{'path':40s} {'first':>9s} {'median':>9s} {'slowest':>9s} {'bytes':>9s}")
        for path in PATHS:
            begin = time.perf_counter()
            urllib.request.urlopen(base + path, timeout=60).read()
            first = (time.perf_counter() - begin) * 1000
            times, size = [], 0
            for _ in range(args.reps):
                begin = time.perf_counter()
                size = len(urllib.request.urlopen(base + path, timeout=60).read())
                times.append((time.perf_counter() - begin) * 1000)
            median = statistics.median(times)
            print(f"{path:40s} {first:7.1f}ms {median:7.1f}ms {max(times):7.1f}ms {size:9,d}")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
