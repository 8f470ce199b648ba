"""The named-query reader (``conflict_graph.query.named_queries``) on the fixture files in tests/data/queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from conflict_graph.errors import InputError
from conflict_graph.query.named_queries import DEFAULT_ENTAILMENT, load_queries, read_query

FIXTURES = Path(__file__).parent / "data" / "queries"


def test_load_queries_sorted_by_name() -> None:
    queries = load_queries(FIXTURES)
    assert [q.name for q in queries] == ["asserted-types", "places-by-region"]


def test_header_fields() -> None:
    asserted, places = load_queries(FIXTURES)
    assert asserted.title == "Asserted types"
    assert asserted.entailment == "simple"
    assert asserted.description.startswith("How many resources each class has")
    assert places.title == "Places and the region they lie in"
    assert places.entailment == DEFAULT_ENTAILMENT == "owl-rl"
    assert places.path == FIXTURES / "places-by-region.rq"


def test_description_continues_until_an_empty_comment_line() -> None:
    places = read_query(FIXTURES / "places-by-region.rq")
    assert places.description == (
        "Every place with its label and the region that contains it, "
        "directly or through the transitive closure of cg:locatedIn."
    )


def test_text_is_the_whole_file() -> None:
    path = FIXTURES / "asserted-types.rq"
    assert read_query(path).text == path.read_text(encoding="utf-8")


def test_missing_title_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "untitled.rq").write_text("# description: no title\nASK {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"untitled\.rq.*title"):
        load_queries(tmp_path)


def test_title_after_the_query_does_not_count(tmp_path: Path) -> None:
    (tmp_path / "late.rq").write_text("ASK {}\n# title: too late\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"late\.rq"):
        load_queries(tmp_path)


def test_unknown_entailment_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "rdfs.rq").write_text("# title: T\n# entailment: rdfs\nASK {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"rdfs\.rq.*entailment: rdfs"):
        load_queries(tmp_path)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_queries(tmp_path / "nowhere")


def test_header_keys_are_case_insensitive_and_other_comments_ignored(tmp_path: Path) -> None:
    (tmp_path / "q.rq").write_text(
        "\n# Title: Upper case key\n# author note: ignored\n# Entailment: simple\nASK {}\n",
        encoding="utf-8",
    )
    (query,) = load_queries(tmp_path)
    assert (query.title, query.description, query.entailment) == ("Upper case key", "", "simple")


def test_entailments_are_the_endpoints() -> None:
    from conflict_graph.query import query_types, store

    assert DEFAULT_ENTAILMENT == query_types.DEFAULT_ENTAILMENT
    assert DEFAULT_ENTAILMENT in store.ENTAILMENTS
