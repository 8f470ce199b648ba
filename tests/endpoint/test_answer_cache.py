"""Answers kept for reuse (``--answer-cache-mb``), and the checker's reading of long texts in a worker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_server import DATA, EX

from conflict_graph import settings
from conflict_graph.errors import QueryError, QueryRefused
from conflict_graph.query.engine import CHECK_TURN_CHARS, QueryService
from conflict_graph.query.query_types import QueryRequest

MEMBERS = f"PREFIX ex: <{EX}> SELECT ?member WHERE {{ ex:alliance ex:hasMember ?member }} ORDER BY ?member"


def _engine(folder: object, **values: object) -> QueryService:
    return QueryService.from_settings(settings.resolve(
        {"data": (str(DATA),), "no_default_data": True, "workers": 1, "cache_dir": str(folder), **values},
        environ={}))


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryService]:
    service = _engine(tmp_path_factory.mktemp("answers"), answer_cache_mb=1)
    yield service
    service.close()


def test_a_repeated_query_is_answered_from_the_cache(cached: QueryService) -> None:
    first = cached.run(QueryRequest(MEMBERS, client="a"))
    hits = cached.answers.stats()["hits"]
    again = cached.run(QueryRequest(MEMBERS, client="b"))
    assert cached.answers.stats()["hits"] == hits + 1
    assert again == first and b"mndaa" in again.body
    other_format = cached.run(QueryRequest(MEMBERS, accept="text/csv"))
    assert other_format.body.startswith(b"member\r\n")  # another format is another answer
    assert cached.health()["answer_cache"]["entries"] >= 2


def test_volatile_functions_are_always_evaluated(cached: QueryService) -> None:
    query = "SELECT (STRUUID() AS ?id) WHERE {}"
    first, second = cached.run(QueryRequest(query)), cached.run(QueryRequest(query))
    assert first.body != second.body


def test_the_cache_is_bounded_and_off_by_default(tmp_path_factory: pytest.TempPathFactory) -> None:
    service = _engine(tmp_path_factory.mktemp("no-answers"))
    try:
        service.run(QueryRequest(MEMBERS))
        service.run(QueryRequest(MEMBERS))
        assert service.answers.stats() == {"entries": 0, "bytes": 0, "max_bytes": 0, "hits": 0, "misses": 0}
    finally:
        service.close()


def test_a_long_text_is_checked_in_a_worker_with_the_same_verdicts(cached: QueryService) -> None:
    padding = " " * (CHECK_TURN_CHARS + 1)
    with pytest.raises(QueryRefused, match="SERVICE"):
        cached.prepare(QueryRequest("ASK { SERVICE <http://example.org/x> {} }" + padding))
    with pytest.raises(QueryError, match="IRI"):
        cached.run(QueryRequest("PREFIX p: <http://[> ASK {}" + padding))
    answer = cached.run(QueryRequest(MEMBERS + padding, client="long"))
    assert b"mndaa" in answer.body
