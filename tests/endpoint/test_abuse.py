"""Load and abuse: normal clients keep being answered beside abusive ones, and nothing is a 500.

One live server (two workers, the default fair sharing, a 256 MB memory allowance per worker),
32 client addresses on loopback. First the normal clients alone (the baseline), then the same
normal clients beside two explosive, one oversized, one slow-connection and one memory-hungry
client. Then about 10^4 generated malformed or odd requests, and a few thousand for the pages,
the query API, the map and explanations of the article's graph. Bounded: under three minutes.

The assertions are generous safety nets (the machine is shared); ``benchmarks/bench_abuse.py``
runs the same mix and prints the figures reported in ``docs/benchmarks.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from abuse_mix import filler, fuzz, fuzz_page_request, run
from live_server import DATA, LiveServer, start_server, stop_server

NORMAL_CLIENTS = 27
ABUSERS = {"explosive": 2, "oversized": 1, "slow": 1, "memory": 1}
SECONDS = 10.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("abuse")
    live = start_server(["--no-default-data", "--data", str(DATA), "--data", str(filler(folder)),
                         "--workers", "2", "--query-timeout", "5", "--worker-memory-mb", "256",
                         "--request-read-timeout", "5"], folder / "cache")
    yield live
    stop_server(live.process)


def test_normal_clients_keep_being_answered_beside_abusive_ones(server: LiveServer) -> None:
    baseline = run(server.address, {"normal": NORMAL_CLIENTS}, SECONDS)["normal"]
    abused = run(server.address, {"normal": NORMAL_CLIENTS, **ABUSERS}, SECONDS)
    normal = abused["normal"]

    assert baseline.ok > 0 and set(baseline.statuses) == {200}, baseline.statuses
    assert set(normal.statuses) <= {200, 503}, normal.statuses
    # The queue holds every normal client beside the abusive ones (16 places per worker), so a
    # normal query is refused only if it waited past its time limit.
    assert normal.statuses[503] <= 0.01 * normal.ok, normal.statuses
    # The target is half the baseline and a p99 under 1 s; docs/benchmarks.md has the measured
    # figures (about half the baseline, p99 0.4-0.7 s, on this two-core machine while other work
    # kept its load average at 8-10). The test is the safety net that fails when normal clients
    # lose their share: a fifth of the baseline, and a p99 under 3 s (2.1 s was seen once with a
    # 10^6-triple build running beside the test).
    assert normal.ok >= 0.2 * baseline.ok, (normal.summary(SECONDS), baseline.summary(SECONDS))
    assert normal.percentile(0.99) < 3.0, normal.summary(SECONDS)
    assert not normal.errors and not baseline.errors
    for kind, tally in abused.items():
        assert 500 not in tally.statuses and 502 not in tally.statuses, (kind, tally.statuses)
    assert set(abused["explosive"].statuses) <= {503, 429}, abused["explosive"].statuses
    assert set(abused["oversized"].statuses) <= {400, 413, 431, 503}, abused["oversized"].statuses
    assert set(abused["memory"].statuses) <= {503, 429}, abused["memory"].statuses
    assert abused["slow"].statuses[0] > 0  # slow connections were closed by the server
    health = server.get("/health")
    assert health.status == 200


def test_ten_thousand_odd_requests_give_no_500(server: LiveServer) -> None:
    statuses, bad = fuzz(server.address, count=10_000, threads=8, deadline=75.0)
    assert sum(statuses.values()) >= 2_000, statuses  # a safety net: a slow machine sends fewer
    assert not bad, bad[:10]
    assert statuses[200] > 0 and statuses[400] > 0


def test_odd_requests_for_pages_and_the_api_give_no_500(embedded_server: LiveServer) -> None:
    statuses, bad = fuzz(embedded_server.address, count=3_000, threads=8, deadline=60.0,
                         generate=fuzz_page_request)
    assert sum(statuses.values()) >= 600, statuses  # a safety net: a slow machine sends fewer
    assert not bad, bad[:10]
    assert statuses[200] > 0 and statuses[404] > 0 and statuses[400] > 0, statuses
