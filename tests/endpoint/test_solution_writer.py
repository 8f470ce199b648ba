"""SELECT results written by pyoxigraph and cut at the row and byte caps (query/solution_writer.py).

Every cut document must parse (with pyoxigraph's own results parser), hold exactly the first *k*
solutions of the whole result, fit the byte cap, and say which cap cut it. The values are chosen
to look like row boundaries in each format: ``},{`` and ``},{}`` in JSON strings, quoted CRLF and
quotes in CSV, ``</result>`` in XML text, empty rows.
"""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from conflict_graph.errors import NotAcceptable
from conflict_graph.query.solution_writer import SOLUTION_FORMATS, write_solutions_capped

TRICKY = [
    "plain",
    '}},{"s":',
    "},{}",
    "a\r\nb",
    'q"uote,comma',
    "</result><result>",
    " lead",
    "é ü 漢",
    "line\nbreak",
    "tab\tx",
    "back\\slash\\",
]
QUERY = "SELECT ?s ?o WHERE { OPTIONAL { ?s <http://ex/p> ?o } } ORDER BY ?s"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    data = ox.Store()
    for index, value in enumerate(TRICKY * 3):
        data.add(
            ox.Quad(ox.NamedNode(f"http://ex/s{index:03d}"), ox.NamedNode("http://ex/p"), ox.Literal(value))
        )
    data.add(
        ox.Quad(
            ox.BlankNode("b"),
            ox.NamedNode("http://ex/p"),
            ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        )
    )
    return data


def rows_of(body: bytes, name: str) -> list[tuple[str, ...]]:
    if name == "csv":  # pyoxigraph does not read CSV (it is lossy): the csv module does
        return [tuple(row) for row in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))][1:]
    return [
        tuple(str(solution[v]) if solution[v] is not None else "" for v in ("s", "o"))
        for solution in ox.parse_query_results(body, SOLUTION_FORMATS[name])
    ]


@pytest.mark.parametrize("name", sorted(SOLUTION_FORMATS))
def test_whole_result_is_pyoxigraphs_own_document(store: ox.Store, name: str) -> None:
    written = write_solutions_capped(store.query(QUERY), name)
    assert written.body == store.query(QUERY).serialize(format=SOLUTION_FORMATS[name]).replace(
        b"\r", b"&#13;" if name == "xml" else b"\r"
    )
    assert written.rows == len(TRICKY) * 3 + 1 and written.truncated_by is None


@pytest.mark.parametrize("name", sorted(SOLUTION_FORMATS))
@pytest.mark.parametrize("max_rows", [1, 2, 7, 33, 34, 35])
def test_row_cap_keeps_exactly_the_first_rows(store: ox.Store, name: str, max_rows: int) -> None:
    everything = rows_of(write_solutions_capped(store.query(QUERY), name).body, name)
    written = write_solutions_capped(store.query(QUERY), name, max_rows=max_rows)
    assert rows_of(written.body, name) == everything[:max_rows]
    assert written.rows == min(max_rows, len(everything))
    assert written.truncated_by == ("max-rows" if max_rows < len(everything) else None)


@pytest.mark.parametrize("name", sorted(SOLUTION_FORMATS))
@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9, 0.999])
def test_byte_cap_cuts_at_a_row_boundary(store: ox.Store, name: str, fraction: float) -> None:
    whole = write_solutions_capped(store.query(QUERY), name).body
    everything = rows_of(whole, name)
    max_bytes = int(len(whole) * fraction)
    written = write_solutions_capped(store.query(QUERY), name, max_bytes=max_bytes)
    assert len(written.body) <= max_bytes
    kept = rows_of(written.body, name)
    assert kept == everything[: len(kept)] and written.rows == len(kept) < len(everything)
    assert written.truncated_by == "max-response-bytes"


def test_empty_rows_are_counted(store: ox.Store) -> None:
    query = "SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF UNDEF } }"
    for name in SOLUTION_FORMATS:
        assert write_solutions_capped(store.query(query), name).rows == 3
        cut = write_solutions_capped(store.query(query), name, max_rows=2)
        assert (cut.rows, cut.truncated_by) == (2, "max-rows")
        assert len(rows_of(cut.body, name)) == 2


def test_xml_refuses_what_it_cannot_carry_and_keeps_carriage_returns() -> None:
    data = ox.Store()
    data.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x\x01y")))
    with pytest.raises(NotAcceptable, match="U\\+0001"):
        write_solutions_capped(data.query("SELECT ?o { ?s ?p ?o }"), "xml")
    data.remove(next(iter(data)))
    data.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("a\rb")))
    body = write_solutions_capped(data.query("SELECT ?o { ?s ?p ?o }"), "xml").body
    assert [s["o"].value for s in ox.parse_query_results(body, ox.QueryResultsFormat.XML)] == ["a\rb"]
