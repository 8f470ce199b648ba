"""``/explain`` and ``/consistency`` over HTTP against a running server, on the article's triples.

    conflict-graph serve --port 8000 --workers 1 &
    python benchmarks/bench_explain_http.py http://127.0.0.1:8000 --requests 40

Prints the median and 90th percentile of each answer format for three triples (a 3-node tree, a
9-node tree, an asserted triple); the first five requests of each are warm-up and not counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request
from urllib.parse import urlencode

ID = "https://w3id.org/conflict-graph/id/"
CASES = {
    "prp-inv1 (3 nodes)": (f"<{ID}org/brotherhood-alliance>", "org:hasMember", f"<{ID}org/tnla>"),
    "cls-avf (9 nodes)": ("id:org/tnla", "rdf:type", "cg:EthnicArmedOrganization"),
    "asserted": ("id:org/tnla", "org:memberOf", "id:org/brotherhood-alliance"),
}
WARM_UP = 5


def _times(url: str, accept: str, requests: int) -> list[float]:
    found = []
    for _ in range(requests):
        request = urllib.request.Request(url, headers={"Accept": accept})
        mark = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            response.read()
        found.append((time.perf_counter() - mark) * 1000)
    return found[WARM_UP:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the server's root URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)
    for name, (s, p, o) in CASES.items():
        url = args.base + "/explain?" + urlencode({"subject": s, "predicate": p, "object": o})
        for accept in ("application/json", "text/html", "text/turtle"):
            times = sorted(_times(url, accept, args.requests))
            print(f"{name:20} {accept:18} median {statistics.median(times):6.1f} ms  "
                  f"p90 {times[int(len(times) * 0.9)]:6.1f} ms")
    times = _times(args.base + "/consistency", "application/json", args.requests)
    print(f"{'/consistency':20} {'application/json':18} median {statistics.median(times):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
