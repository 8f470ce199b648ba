"""Time the map, GeoJSON and ontology answers of `conflict-graph serve` over HTTP.

Starts ``python -m conflict_graph serve --port 0`` on the embedded data with the given cache
folder (the first start builds the graph; that time is printed apart), then asks each path once
first (timed apart: the ontology page is built on its first request) and then ``--reps`` times in
sequence (a new connection per request, urllib), and prints the first, median and slowest time
and the size of each answer. Loopback only; the server is
stopped at the end, also on error or Ctrl-C.

    .venv/bin/python benchmarks/bench_map.py [--reps 21] [--cache-dir /tmp/cg-bench-cache]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PATHS = ("/api/places.geojson", "/api/places.geojson?date=2024-07-21", "/map", "/ontology",
         "/ontology.ttl", "/ontology.jsonld")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/cg-bench-cache"))
    args = parser.parse_args()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "conflict_graph", "--cache-dir", str(args.cache_dir),
                                "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = None
        assert process.stdout is not None
        for line in process.stdout:
            match = re.search(r"serving SPARQL on (http://[^/\s]+)/sparql", line)
            if match:
                base = match.group(1)
                break
        if base is None:
            raise SystemExit("the server did not start")
        print(f"server ready after {time.perf_counter() - started:.1f} s "
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
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
