"""The query checker (``conflict_graph.query.guard.inspect``), in process: its time against the
length of the query, for texts built by repeating one short unit.

Each unit is a family an attacker can repeat: ``a-`` (names broken by operators), ``<a`` (IRIs
never closed), and unclosed strings (``"\\``, ``'\\``, ``"\\"``), which once made the checker
read on to the end of the line from every quote. A text of ``n`` characters is ``ASK { `` and the
unit repeated, then `` }``; no text is checked twice in a row (the checker remembers nothing
itself, but the machine's caches would favour a repeat). Prints, per unit, the best of
``--reps`` times at each size and the growth from the smallest to the largest size: about the
ratio of the sizes when the checker is linear, its square when it is quadratic.

    .venv/bin/python benchmarks/bench_checker.py
    .venv/bin/python benchmarks/bench_checker.py --sizes 8192 65536 --reps 3

To compare with another version of the checker, run the same command with ``PYTHONPATH`` set to
that version's ``src`` folder (a ``git worktree`` of the commit).

With ``--http URL`` it measures what the checker costs a running server instead: ``--clients``
new texts of ``--size`` characters each (one unit repeated) are posted at once from one address,
and ``/health`` is asked every 50 ms until every text is answered. Prints the statuses and how
long ``/health`` took at most and at the median: the delay one client's burst causes the others.

    python3 benchmarks/bench_checker.py --http http://127.0.0.1:8000 --clients 64 --size 8190
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

UNITS = ("a-", "<a", '"\\', "'\\", '"\\"')


def text_of(unit: str, size: int) -> str:
    """``ASK { `` + ``unit`` repeated + `` }``, about ``size`` characters."""
    return "ASK { " + unit * max(1, (size - 8) // len(unit)) + " }"


def best_time(text: str, reps: int) -> float:
    """The least of ``reps`` wall-clock times of one ``guard.inspect(text)``, in seconds."""
    from conflict_graph.query import guard

    best = float("inf")
    for _ in range(reps):
        started = time.perf_counter()
        try:
            guard.inspect(text)
        except Exception:  # noqa: BLE001 - a refusal still costs the reading
            pass
        best = min(best, time.perf_counter() - started)
    return best


def post(endpoint: str, text: str) -> int:
    """The status of ``text`` posted as ``application/sparql-query`` to ``endpoint``."""
    request = urllib.request.Request(endpoint, data=text.encode(),
                                     headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def burst(base: str, unit: str, clients: int, size: int) -> None:
    """Post ``clients`` new texts at once; print their statuses and the delay of ``/health``."""
    stamp = time.time_ns()
    texts = [(f"ASK {{ ?v{i}x{stamp} " + unit * size)[:size - 2] + " }" for i in range(clients)]
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda t=text: statuses.append(post(base + "/sparql", t)))
               for text in texts]
    for thread in threads:
        thread.start()
    delays = []
    while any(thread.is_alive() for thread in threads):
        started = time.monotonic()
        with urllib.request.urlopen(base + "/health", timeout=120) as response:
            response.read()
        delays.append(time.monotonic() - started)
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    counts = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(statuses).items()))
    print(f"| `{unit}` | {clients} × {size:,} | {counts} | {max(delays):.3f} | "
          f"{statistics.median(delays):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8192, 16384, 65536],
                        help="query lengths in characters (default: 8192 16384 65536)")
    parser.add_argument("--reps", type=int, default=3, help="times per text; the best is printed")
    parser.add_argument("--http", metavar="URL", help="a running server's root: measure a burst there")
    parser.add_argument("--clients", type=int, default=64, help="texts posted at once (with --http)")
    parser.add_argument("--size", type=int, default=8190, help="characters per text (with --http)")
    arguments = parser.parse_args()
    if arguments.http:
        print("| unit | texts × characters | statuses | /health max, s | /health median, s |")
        print("|---|---|---|---|---|")
        for unit in UNITS:
            burst(arguments.http.rstrip("/"), unit, arguments.clients, arguments.size)
        return
    sizes = sorted(arguments.sizes)
    print("| unit | " + " | ".join(f"{size:,} chars, s" for size in sizes) + " | growth |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for unit in UNITS:
        times = [best_time(text_of(unit, size), arguments.reps) for size in sizes]
        growth = times[-1] / times[0] if times[0] > 0 else float("nan")
        print(f"| `{unit}` | " + " | ".join(f"{t:.3f}" for t in times)
              + f" | {growth:.1f}x for {sizes[-1] / sizes[0]:.0f}x the length |")


if __name__ == "__main__":
    main()
