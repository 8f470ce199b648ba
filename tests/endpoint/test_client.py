"""The Python API (``conflict_graph.api.client``) on the embedded graph and on a live server.

Both kinds of graph give the same columns, rows and typed values for the same query, and the same
errors for bad parameters; ``to_dataframe()`` gives pandas what a notebook expects.
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pandas
import pytest
from live_server import LiveServer

from conflict_graph.api.client import EmbeddedGraph, RemoteGraph, open_graph
from conflict_graph.api.values import IRI
from conflict_graph.errors import ConflictGraphError, InputError, ParameterError, QueryError
from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query.named_queries import load_queries


@pytest.fixture(scope="module")
def embedded(real_build: BuildResult, real_cache_dir: Path) -> EmbeddedGraph:
    graph = open_graph(cache_dir=real_cache_dir)
    assert isinstance(graph, EmbeddedGraph)
    return graph


@pytest.fixture(scope="module")
def remote(embedded_server: LiveServer) -> RemoteGraph:
    graph = open_graph(embedded_server.endpoint)  # a /sparql URL works as well as the root
    assert isinstance(graph, RemoteGraph) and graph.url == embedded_server.root
    return graph


@pytest.mark.parametrize(
    ("name", "parameters"),
    [
        ("q40-control-as-of-date", {"day": datetime.date(2024, 7, 21)}),
        ("q40-control-as-of-date", {"day": "2024-07-01"}),
        ("q41-events-in-date-range", {"start": "2024-07-18", "end": "2024-07-22"}),
        ("q42-what-a-source-supports", {}),
        ("q21-control-events-in-order", {}),
        ("q11-ethnic-armies", {}),
    ],
)
def test_embedded_and_remote_give_the_same_result(
    embedded: EmbeddedGraph, remote: RemoteGraph, name: str, parameters: dict[str, str | datetime.date]
) -> None:
    here = embedded.run(name, **parameters)
    there = remote.run(name, **parameters)
    assert here.columns == there.columns
    assert len(here) > 0
    key = sorted(here.columns)

    def ordered(rows: list[dict[str, object]]) -> list[tuple[str, ...]]:
        # GROUP_CONCAT lists may come in any order: compare them as sets
        return sorted(tuple(str(sorted(str(r[c]).split("; "))) for c in key) for r in rows)

    assert ordered(here.rows) == ordered(there.rows)
    assert here.data_version == there.data_version != ""


def test_values_are_typed(remote: RemoteGraph) -> None:
    result = remote.run("q40-control-as-of-date", day="2024-07-21")
    lashio = next(r for r in result if r["place"] == "Lashio town")
    assert lashio["day"] == datetime.date(2024, 7, 21)
    assert lashio["startEarliest"] == datetime.date(2024, 7, 17)
    assert lashio["endLatest"] is None
    assert isinstance(lashio["placeIri"], IRI) and lashio["placeIri"].endswith("/place/town/lashio")
    assert isinstance(lashio["place"], str) and not isinstance(lashio["place"], IRI)


def test_dataframe(embedded: EmbeddedGraph) -> None:
    frame = embedded.run("q40-control-as-of-date", day="2024-07-21").to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns[:7]) == [
        "day",
        "place",
        "controller",
        "coControllers",
        "level",
        "status",
        "holds",
    ]
    assert frame.shape[0] == 9
    assert frame.groupby("holds").size().to_dict() == {"certainly": 6, "possibly": 3}
    assert sorted(frame.loc[frame["level"] == "complete control", "place"]) == [
        "Nawnghkio Township",
        "Singu Township",
        "Singu town",
    ]


def test_listing_is_the_same(embedded: EmbeddedGraph, remote: RemoteGraph) -> None:
    assert embedded.queries() == remote.queries()
    assert [q.name for q in embedded.queries()] == [q.name for q in load_queries()]


def test_remote_errors_carry_the_servers_message(remote: RemoteGraph) -> None:
    with pytest.raises(ParameterError, match="400: parameter 'day' must be a date"):
        remote.run("q40-control-as-of-date", day="soon")
    with pytest.raises(QueryError, match="404: there is no named query 'q99'"):
        remote.run("q99")


def test_an_unreachable_server_is_one_clear_error() -> None:
    graph = RemoteGraph("http://127.0.0.1:9", timeout=5)
    with pytest.raises(ConflictGraphError, match="cannot reach the server"):
        graph.queries()


def test_the_example_in_docs_api_md_runs(
    real_build: BuildResult,
    real_cache_dir: Path,
    embedded_server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The notebook example of docs/api.md, as written, against the embedded graph and the server."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    example = docs.split("<!-- example: python -->", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("CONFLICT_GRAPH_CACHE_DIR", str(real_cache_dir))
    exec(compile(example.replace("http://127.0.0.1:8000", embedded_server.root), "docs/api.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Lashio town" in printed and "possibly" in printed and "certainly" in printed


def test_ask_is_a_boolean_row_and_construct_is_refused(
    real_build: BuildResult, real_cache_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "is-tnla-a-member.rq").write_text(
        "# title: Is the TNLA a member of the Brotherhood Alliance?\n# entailment: simple\n"
        "ASK { <https://w3id.org/conflict-graph/id/org/tnla> <http://www.w3.org/ns/org#memberOf> "
        "<https://w3id.org/conflict-graph/id/org/brotherhood-alliance> }\n",
        encoding="utf-8",
    )
    (tmp_path / "graph.rq").write_text(
        "# title: A graph\nCONSTRUCT WHERE { ?s a ?c } LIMIT 1\n", encoding="utf-8"
    )
    graph = EmbeddedGraph(cache_dir=real_cache_dir, queries_dir=tmp_path)
    answer = graph.run("is-tnla-a-member")
    assert answer.columns == ("boolean",) and answer.rows == [{"boolean": True}]
    with pytest.raises(QueryError, match="'graph' is a CONSTRUCT or DESCRIBE"):
        graph.run("graph")


@pytest.mark.parametrize("fmt", ["acled", "geojson", "context"])
def test_exports_are_the_same_embedded_and_downloaded(embedded: EmbeddedGraph, remote: RemoteGraph,
                                                      fmt: str) -> None:
    assert embedded.export(fmt) == remote.export(fmt)


def test_quads_are_the_same_embedded_and_downloaded(embedded: EmbeddedGraph, remote: RemoteGraph) -> None:
    """The same quads; blank nodes may carry other labels in another opening of the store."""
    import pyoxigraph as ox

    def ground(data: bytes) -> tuple[set[ox.Quad], int]:
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        return {q for q in quads if not isinstance(q.subject, ox.BlankNode)
                and not isinstance(q.object, ox.BlankNode)}, len(quads)

    assert ground(embedded.export("nquads")) == ground(remote.export("nquads"))


def test_exports_read_back_in_the_consumers_library(embedded: EmbeddedGraph) -> None:
    frame = pandas.read_csv(io.BytesIO(embedded.export("acled")))
    assert {"event_date", "event_type", "notes"} <= set(frame.columns) and len(frame) > 0
    collection = json.loads(embedded.export("geojson"))
    assert collection["type"] == "FeatureCollection" and collection["features"]


def test_an_unknown_export_format_names_the_known_ones(embedded: EmbeddedGraph, remote: RemoteGraph) -> None:
    for graph in (embedded, remote):
        with pytest.raises(InputError, match="acled"):
            graph.export("xlsx")
