"""The fair-sharing policy of :class:`Admission`, step by step, on a clock the test moves.

The live-server tests (``tests/endpoint/test_admission.py``, ``test_abuse.py``) show the effect
under load; these pin the decisions: who gets the next worker, when a long query moves aside,
whose query is stopped, and what is refused at once.
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack

import pytest

from conflict_graph.errors import QueryTimeout
from conflict_graph.query.admission import Admission, ServerBusy, TooManyQueries, Turn


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wait_until(condition: object, seconds: float = 10.0) -> None:
    limit = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > limit:
            pytest.fail("the condition never held")
        time.sleep(0.01)


def waiter(admission: Admission, client: str, order: list[str], hold: threading.Event) -> threading.Thread:
    def run() -> None:
        with admission.admit(client, timeout=1e6):
            order.append(client)
            hold.wait(10)
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_client_with_the_least_recent_use_goes_first() -> None:
    clock = Clock()
    admission = Admission(1, fair_share=0, clock=clock)
    with admission.admit("heavy", timeout=1):
        clock.now += 10  # "heavy" used the worker for 10 s
    order: list[str] = []
    release = threading.Event()
    with ExitStack() as stack:
        stack.enter_context(admission.admit("holder", timeout=1))
        first = waiter(admission, "heavy", order, release)
        wait_until(lambda: admission.stats()["waiting"] == 1)
        second = waiter(admission, "light", order, release)  # arrives later
        wait_until(lambda: admission.stats()["waiting"] == 2)
    release.set()
    first.join()
    second.join()
    assert order == ["light", "heavy"]


def test_a_long_query_moves_aside_and_frees_its_worker() -> None:
    clock = Clock()
    admission = Admission(1, fair_share=1.0, long_slots=1, clock=clock)
    order: list[str] = []
    release = threading.Event()
    with admission.admit("a", timeout=100):
        other = waiter(admission, "b", order, release)
        wait_until(lambda: admission.stats()["waiting"] == 1)
        clock.now += 1.5  # the running query is now long
        wait_until(lambda: order == ["b"])
        assert admission.stats()["long"] == 1
        release.set()
        other.join()
    assert admission.stats()["running"] == 0


def test_when_nothing_can_move_aside_the_heaviest_client_is_stopped() -> None:
    clock = Clock()
    admission = Admission(2, fair_share=1.0, long_slots=0, clock=clock)
    turns: list[Turn] = []
    with ExitStack() as stack:
        turns.append(stack.enter_context(admission.admit("x", timeout=100)))
        clock.now += 0.5
        turns.append(stack.enter_context(admission.admit("y", timeout=100)))
        order: list[str] = []
        release = threading.Event()
        light = waiter(admission, "light", order, release)
        wait_until(lambda: admission.stats()["waiting"] == 1)
        assert all(turn.stop_requested() is None for turn in turns)  # not long yet
        clock.now += 1.2  # both have now run longer than the fair share
        wait_until(lambda: any(turn.stop_requested() for turn in turns))
        stopped = [turn.client for turn in turns if turn.stop_requested()]
        assert stopped == ["x"]  # x has run longer: the most recent use
        assert "to let other clients' queries run" in (turns[0].stop_requested() or "")
        assert admission.stats()["preempted"] == 1
        stack.pop_all().close()  # (in the server, the pool kills x's worker and its turn ends)
    wait_until(lambda: order == ["light"])
    release.set()
    light.join()


def test_a_heavy_client_does_not_take_the_last_worker_while_others_are_active() -> None:
    clock = Clock()
    admission = Admission(2, fair_share=1.0, long_slots=0, clock=clock)
    with admission.admit("other", timeout=100):
        clock.now += 0.01
    with admission.admit("heavy", timeout=100):
        clock.now += 3  # heavy has used 3 s recently, and "other" was active 3 s ago
    order: list[str] = []
    release = threading.Event()
    with admission.admit("heavy", timeout=100):  # a heavy query runs on one worker
        second = waiter(admission, "heavy", order, release)
        time.sleep(0.3)
        assert order == [] and admission.stats()["waiting"] == 1  # the last worker stays free
        third = waiter(admission, "other", order, release)
        wait_until(lambda: order == ["other"])
        release.set()
        third.join()
    second.join()
    assert order == ["other", "heavy"]


def test_refusals_are_immediate() -> None:
    clock = Clock()
    admission = Admission(1, per_client=2, max_waiting=1, fair_share=0, clock=clock)
    with ExitStack() as stack:
        stack.enter_context(admission.admit("a", timeout=100))
        order: list[str] = []
        release = threading.Event()
        queued = waiter(admission, "a", order, release)
        wait_until(lambda: admission.stats()["waiting"] == 1)
        with pytest.raises(TooManyQueries, match="MAX_CLIENT_QUERIES"):
            stack.enter_context(admission.admit("a", timeout=100))
        with pytest.raises(ServerBusy, match="MAX_WAITING"):
            stack.enter_context(admission.admit("b", timeout=100))
        release.set()
    queued.join()


def test_a_query_that_waits_past_its_limit_times_out() -> None:
    admission = Admission(1, fair_share=0)
    with admission.admit("a", timeout=100):
        with pytest.raises(QueryTimeout, match="no query worker became free"):
            with admission.admit("b", timeout=0.2):
                pass
    assert admission.stats()["waiting"] == 0


def test_time_charged_outside_the_workers_makes_a_client_heavy_and_its_query_moves_aside_sooner() -> None:
    clock = Clock()
    admission = Admission(1, fair_share=1.0, long_slots=1, clock=clock)
    admission.charge("checked", 3.0)  # e.g. the query checker read long texts for it
    with admission.admit("checked", timeout=100) as turn:
        assert not turn.heavy  # a client alone is never slowed
    with admission.admit("light", timeout=100):
        pass
    order: list[str] = []
    release = threading.Event()
    with admission.admit("checked", timeout=100) as turn:
        assert turn.heavy
        other = waiter(admission, "light", order, release)
        wait_until(lambda: admission.stats()["waiting"] == 1)
        clock.now += 0.15  # a tenth of the fair share: long, for a heavy client
        wait_until(lambda: order == ["light"])
        assert admission.stats()["long"] == 1
        release.set()
        other.join()
    with admission.admit("light", timeout=100) as turn:
        assert not turn.heavy


def test_a_long_query_that_cannot_move_aside_frees_its_worker_by_stopping_the_heaviest() -> None:
    clock = Clock()
    admission = Admission(1, fair_share=1.0, long_slots=1, clock=clock)
    admission.charge("explosive", 10.0)
    with admission.admit("light", timeout=100):  # another client is active
        pass
    with ExitStack() as stack:
        lane = stack.enter_context(admission.admit("explosive", timeout=100))
        order: list[str] = []
        release = threading.Event()
        stuck_thread = waiter(admission, "researcher", order, release)
        wait_until(lambda: admission.stats()["waiting"] == 1)
        clock.now += 0.2  # the explosive query moves aside; the researcher's starts
        wait_until(lambda: order == ["researcher"])
        clock.now += 1.5  # the researcher's query is long too, and the lane is full
        third = waiter(admission, "light", order, release)
        wait_until(lambda: lane.stop_requested() is not None)
        assert "to let other clients' queries run" in (lane.stop_requested() or "")
        stack.pop_all().close()  # (in the server, the pool kills its worker and its turn ends)
    wait_until(lambda: order == ["researcher", "light"])  # the researcher's query moved aside
    release.set()
    stuck_thread.join()
    third.join()
    assert admission.stats()["preempted"] == 1


def test_the_clients_remembered_stay_bounded_and_the_heaviest_are_kept() -> None:
    from conflict_graph.query.admission import MAX_REMEMBERED_CLIENTS

    clock = Clock()
    admission = Admission(1, fair_share=0, clock=clock)
    admission.charge("heavy", 100.0)
    for number in range(3 * MAX_REMEMBERED_CLIENTS):  # addresses that each used a little
        admission.charge(f"10.0.{number // 256}.{number % 256}", 1.0)
    assert len(admission._used) <= MAX_REMEMBERED_CLIENTS
    assert "heavy" in admission._used
