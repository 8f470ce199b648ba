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
"""

from __future__ import annotations

import argparse
import time

from conflict_graph.query import guard

UNITS = ("a-", "<a", '"\\', "'\\", '"\\"')


def text_of(unit: str, size: int) -> str:
    """``ASK { `` + ``unit`` repeated + `` }``, about ``size`` characters."""
    return "ASK { " + unit * max(1, (size - 8) // len(unit)) + " }"


def best_time(text: str, reps: int) -> float:
    """The least of ``reps`` wall-clock times of one ``guard.inspect(text)``, in seconds."""
    best = float("inf")
    for _ in range(reps):
        started = time.perf_counter()
        try:
            guard.inspect(text)
        except Exception:  # noqa: BLE001 - a refusal still costs the reading
            pass
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8192, 16384, 65536],
                        help="query lengths in characters (default: 8192 16384 65536)")
    parser.add_argument("--reps", type=int, default=3, help="times per text; the best is printed")
    arguments = parser.parse_args()
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
