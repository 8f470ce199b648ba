"""Named-query parameters: the ``# param:`` header, typed values, binding, and the load-time check."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conflict_graph.api.catalogue import Catalogue, check_query
from conflict_graph.api.parameters import MAX_STRING_LENGTH, bind, default_value, json_schema, parse_value
from conflict_graph.errors import InputError, ParameterError
from conflict_graph.query.named_queries import Parameter, find_query, read_query

XSD = "http://www.w3.org/2001/XMLSchema#"
HEADER = """# title: Places by day
# description: A test query.
# param: day date "The day" default=2024-07-21
# param: place iri "The place" default=<https://example.org/place/a>
# param: label string "A label" default="two words"
# param: count integer "How many"
SELECT ?day ?place ?label ?count WHERE { }
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_header_declares_typed_parameters_with_defaults(tmp_path: Path) -> None:
    query = read_query(write(tmp_path, "q", HEADER))
    assert query.parameters == (
        Parameter("day", "date", "The day", "2024-07-21"),
        Parameter("place", "iri", "The place", "<https://example.org/place/a>"),
        Parameter("label", "string", "A label", '"two words"'),
        Parameter("count", "integer", "How many", None),
    )
    assert [p.required for p in query.parameters] == [False, False, False, True]
    assert [default_value(p) for p in query.parameters] == [
        "2024-07-21",
        "https://example.org/place/a",
        "two words",
        None,
    ]
    assert query.description == "A test query."


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('# param: day datetime "The day"', "type 'datetime'"),
        ("# param: day date The day", "cannot read"),
        ('# param: 1day date "The day"', "cannot read"),
    ],
)
def test_malformed_parameter_lines_name_the_file(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, "bad", f"# title: T\n{line}\nSELECT ?day WHERE {{}}\n")
    with pytest.raises(InputError, match=rf"bad\.rq.*{message}"):
        read_query(path)


def test_a_parameter_declared_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "twice", '# title: T\n# param: a date "A"\n# param: a date "B"\nSELECT ?a {}\n')
    with pytest.raises(InputError, match="declared twice"):
        read_query(path)


@pytest.mark.parametrize(
    ("kind", "text", "term"),
    [
        ("date", "2024-07-21", ox.Literal("2024-07-21", datatype=ox.NamedNode(XSD + "date"))),
        ("date", " 2024-02-29 ", ox.Literal("2024-02-29", datatype=ox.NamedNode(XSD + "date"))),
        ("integer", "+042", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
        ("integer", "-7", ox.Literal("-7", datatype=ox.NamedNode(XSD + "integer"))),
        ("iri", "https://w3id.org/x", ox.NamedNode("https://w3id.org/x")),
        ("iri", "<urn:isbn:123>", ox.NamedNode("urn:isbn:123")),
        ("string", 'a "quoted" } string', ox.Literal('a "quoted" } string')),
    ],
)
def test_values_become_terms(kind: str, text: str, term: ox.NamedNode | ox.Literal) -> None:
    assert parse_value(Parameter("p", kind, "P"), text) == term


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("date", "2024-13-01", "a date written YYYY-MM-DD"),
        ("date", "2023-02-29", "a date written YYYY-MM-DD"),
        ("date", "20240721", "a date written YYYY-MM-DD"),
        ("date", "", "a date written YYYY-MM-DD"),
        ("integer", "1.5", "an integer"),
        ("integer", "1" * 19, "an integer"),
        ("iri", "relative/path", "an absolute IRI"),
        ("iri", "https://x.org/a b", "an absolute IRI"),
        ("iri", "https://x.org/> } ; DROP", "an absolute IRI"),
        ("iri", "https://x.org/[", r"an absolute IRI .*\(Invalid IRI code point '\['"),
        ("iri", "<https://x.org/a%zz>", r"an absolute IRI .*\(Invalid IRI percent encoding"),
    ],
)
def test_bad_values_are_refused_naming_the_parameter(kind: str, text: str, expected: str) -> None:
    with pytest.raises(ParameterError, match=f"parameter 'when' must be {expected}"):
        parse_value(Parameter("when", kind, "W"), text)


def test_long_strings_are_refused() -> None:
    with pytest.raises(ParameterError, match="parameter 'q' is 1,001 characters long"):
        parse_value(Parameter("q", "string", "Q"), "x" * (MAX_STRING_LENGTH + 1))


def test_bind_uses_defaults_and_refuses_unknown_and_missing(tmp_path: Path) -> None:
    query = read_query(write(tmp_path, "q", HEADER))
    bound = dict(bind(query, {"count": "3", "day": "2024-07-01"}))
    assert bound == {
        "day": ox.Literal("2024-07-01", datatype=ox.NamedNode(XSD + "date")),
        "place": ox.NamedNode("https://example.org/place/a"),
        "label": ox.Literal("two words"),
        "count": ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
    }
    with pytest.raises(ParameterError, match="parameter 'count' \\(integer\\) is required by query 'q'"):
        bind(query, {})
    with pytest.raises(
        ParameterError, match="query 'q' has no parameter 'dya'; it takes: day, place, label, count"
    ):
        bind(query, {"dya": "2024-07-01", "count": "1"})


def test_json_schema_of_each_type(tmp_path: Path) -> None:
    day, place, label, count = read_query(write(tmp_path, "q", HEADER)).parameters
    assert json_schema(day) == {"type": "string", "format": "date", "default": "2024-07-21"}
    assert json_schema(place) == {"type": "string", "format": "iri", "default": "https://example.org/place/a"}
    assert json_schema(label) == {"type": "string", "maxLength": MAX_STRING_LENGTH, "default": "two words"}
    assert json_schema(count) == {"type": "integer"}


def test_a_parameter_the_query_does_not_project_fails_at_load(tmp_path: Path) -> None:
    write(tmp_path, "hidden", '# title: T\n# param: day date "D"\nSELECT ?x WHERE { BIND(?day AS ?x) }\n')
    with pytest.raises(InputError, match=r"hidden\.rq: its parameters \(\?day\) must be projected"):
        Catalogue.load(tmp_path)


def test_a_default_of_the_wrong_type_fails_at_load(tmp_path: Path) -> None:
    path = write(tmp_path, "baddefault", '# title: T\n# param: day date "D" default=July\nSELECT ?day {}\n')
    with pytest.raises(InputError, match=r"baddefault\.rq: the default of parameter 'day' must be a date"):
        check_query(read_query(path))


def test_a_reserved_parameter_name_fails_at_load(tmp_path: Path) -> None:
    write(tmp_path, "fmt", '# title: T\n# param: format string "F"\nSELECT ?format {}\n')
    with pytest.raises(InputError, match=r"fmt\.rq: parameter 'format' is reserved"):
        Catalogue.load(tmp_path)


def test_a_value_is_bound_not_pasted(tmp_path: Path) -> None:
    """A value that would change the query if pasted into its text is just a string literal."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/name"), ox.Literal("A")))
    text = "SELECT ?name ?s WHERE { ?s <https://e.org/name> ?name }"
    query = read_query(write(tmp_path, "byname", f'# title: T\n# param: name string "N"\n{text}\n'))
    injected = '" } UNION { ?s ?p ?name } #'
    (bound,) = bind(query, {"name": injected})
    rows = list(store.query(text, substitutions={ox.Variable(bound[0]): bound[1]}))
    assert rows == []
    (ok,) = bind(query, {"name": "A"})
    assert [r["s"] for r in store.query(text, substitutions={ox.Variable(ok[0]): ok[1]})] == [
        ox.NamedNode("https://e.org/a")
    ]


def test_find_query_lists_the_names_there_are(tmp_path: Path) -> None:
    write(tmp_path, "alpha", "# title: A\nASK {}\n")
    assert find_query("alpha", tmp_path).title == "A"
    with pytest.raises(InputError, match="no named query 'beta'; the named queries are: alpha"):
        find_query("beta", tmp_path)
    with pytest.raises(InputError, match="no named query '../alpha'"):
        find_query("../alpha", tmp_path)


def test_the_shipped_catalogue_loads_and_declares_the_research_parameters() -> None:
    catalogue = Catalogue.load()
    declared = {
        q.name: [(p.name, p.type, default_value(p)) for p in q.parameters]
        for q in catalogue.queries
        if q.parameters
    }
    assert declared == {
        "q40-control-as-of-date": [("day", "date", "2024-07-21")],
        "q41-events-in-date-range": [("start", "date", "2024-06-25"), ("end", "date", "2024-08-04")],
        "q42-what-a-source-supports": [
            ("source", "iri", "https://w3id.org/conflict-graph/id/source/irrawaddy-2024-op1027-phase2")
        ],
    }
