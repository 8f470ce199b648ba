"""Normal clients beside abusive ones: throughput and latency, with and without the abuse.

Starts ``conflict-graph serve`` on the test fixture data plus 600 filler triples (so a four-way
cross product is explosive) on a free loopback port, then runs the client mix of
``tests/endpoint/abuse_mix.py`` from separate loopback addresses (127.0.0.x):

1. the normal clients alone, for ``--seconds`` (the baseline);
2. the same normal clients beside the abusive ones (``--explosive``, ``--oversized``, ``--slow``,
   ``--memory`` client addresses each).

It prints, per kind of client, answers per second, p50 and p99 latency and the statuses, and the
ratio of the normal clients' throughput under abuse to their baseline. Loopback only, bounded in
time; the server is stopped at the end.

    .venv/bin/python benchmarks/bench_abuse.py [--normal 27] [--seconds 10] [--workers 2] ...
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "endpoint"))

from abuse_mix import filler, run  # noqa: E402
from live_server import DATA, start_server, stop_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--normal", type=int, default=27, help="normal client addresses")
    parser.add_argument("--explosive", type=int, default=2)
    parser.add_argument("--oversized", type=int, default=1)
    parser.add_argument("--slow", type=int, default=1, help="addresses holding 30 slow connections each")
    parser.add_argument("--memory", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-timeout", type=float, default=5.0)
    parser.add_argument("--option", action="append", default=[],
                        help="extra serve option, e.g. --option=--fair-share-seconds=0 (repeatable)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-abuse-") as folder:
        server = start_server(["--no-default-data", "--data", str(DATA), "--data", str(filler(Path(folder))),
                               "--workers", str(args.workers), "--query-timeout", str(args.query_timeout),
                               "--worker-memory-mb", "256", "--request-read-timeout", "5",
                               *[part for option in args.option for part in option.split("=", 1)]],
                              Path(folder) / "cache")
        try:
            print(f"machine: {platform.platform()}, {os.cpu_count()} cores; "
                  f"python {platform.python_version()}")
            print(f"server: {args.workers} workers, query timeout {args.query_timeout:g} s, "
                  f"options {args.option}")
            baseline = run(server.address, {"normal": args.normal}, args.seconds)["normal"]
            print(f"\nbaseline ({args.normal} normal clients, {args.seconds:g} s)")
            print(f"  normal     {baseline.summary(args.seconds)}")
            plan = {"normal": args.normal, "explosive": args.explosive, "oversized": args.oversized,
                    "slow": args.slow, "memory": args.memory}
            plan = {kind: count for kind, count in plan.items() if count}
            abused = run(server.address, plan, args.seconds)
            print(f"\nunder abuse ({', '.join(f'{count} {kind}' for kind, count in plan.items())}, "
                  f"{args.seconds:g} s)")
            for kind, tally in abused.items():
                print(f"  {kind:10s} {tally.summary(args.seconds)}")
                for reason, count in tally.reasons.most_common(3):
                    print(f"  {'':10s}   {count} x {reason!r}")
            ratio = abused["normal"].ok / baseline.ok if baseline.ok else float("nan")
            print(f"\nnormal clients under abuse: {ratio:.2f} of their baseline throughput; "
                  f"p99 {1000 * abused['normal'].percentile(0.99):.0f} ms (baseline "
                  f"{1000 * baseline.percentile(0.99):.0f} ms)")
            health = server.health()
            print(f"workers replaced: {health['workers']['restarts']}; "  # type: ignore[index]
                  f"queries stopped for fair sharing: {health['queries']['preempted']}")  # type: ignore[index]
        finally:
            stop_server(server.process)


if __name__ == "__main__":
    main()
