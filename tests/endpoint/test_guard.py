"""The request guard: query form, update detection, SERVICE targets, dataset clauses."""

from __future__ import annotations

import random
import re

import pytest

from conflict_graph.errors import QueryError, QueryRefused
from conflict_graph.query import guard
from conflict_graph.query.guard import check, inspect, service_allowed

BASE = "http://localhost/sparql"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("select * { }", "SELECT"),
        ("ASK {}", "ASK"),
        ("CONSTRUCT { <s> <p> 1 } WHERE {}", "CONSTRUCT"),
        ("DESCRIBE <http://example.org/>", "DESCRIBE"),
        ("# a comment\nPREFIX ex: <http://ex/>\nBASE <http://b/>\nASK { ex:a ?p ?o }", "ASK"),
        ("PREFIX : <http://ex/> INSERT DATA { :a :b :c }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("not sparql at all", None),
        ("", None),
    ],
)
def test_form(text: str, form: str | None) -> None:
    assert inspect(text, BASE).form == form


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ("SELECT * { SERVICE <http://a/sparql> { ?s ?p ?o } }", ("http://a/sparql",)),
        ("SELECT * { service silent <http://a/sparql> { } }", ("http://a/sparql",)),
        ("PREFIX e: <http://e/> SELECT * { SERVICE e:sparql { } }", ("http://e/sparql",)),
        ("SELECT * { SERVICE ?endpoint { } }", (None,)),
        ("SELECT * { SERVICE <rel> { } }", ("http://localhost/rel",)),
        ("SELECT * { SERVICE <http://a\\u0062/> { } }", ("http://ab/",)),
        # not a SERVICE clause: inside strings, IRIs, comments, prefixed names, variables
        ('SELECT * { ?s ?p "SERVICE <http://x/> { }" }', ()),
        ("SELECT * { ?s ?p '''it's a SERVICE <http://x/> {''' }", ()),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://x/> { }", ()),
        ("PREFIX e: <http://e/> SELECT ?SERVICE { ?SERVICE e:SERVICE <http://x/SERVICE> }", ()),
        # FILTER(?a<?b#…) is a comparison followed by a comment: the SERVICE on the next line is code
        ('SELECT * { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b#>"""\n) SERVICE <http://evil/> { }\n'
         '# """\n}', ("http://evil/",)),
        # an escaped quote in a prefixed name does not open a string
        ("PREFIX e: <http://e/> SELECT * { ?s e:a\\'b ?o SERVICE <http://evil/> { } }", ("http://evil/",)),
        ("SELECT * { { SELECT * { SERVICE <http://one/> { } } } SERVICE <http://two/> { } }",
         ("http://one/", "http://two/")),
    ],
)
def test_service_targets(text: str, services: tuple[str | None, ...]) -> None:
    assert inspect(text, BASE).services == services


def test_dataset_clauses_and_prologue() -> None:
    shape = inspect(
        "BASE <http://b/> PREFIX ex: <http://ex/> PREFIX : <rel/>\n"
        "SELECT * FROM ex:g1 FROM <g2> FROM NAMED <http://n/> WHERE { ?s ?p ?o }", BASE)
    assert shape.base == "http://b/"
    assert shape.prefixes == (("ex", "http://ex/"), ("", "http://b/rel/"))
    assert shape.from_graphs == ("http://ex/g1", "http://b/g2")
    assert shape.from_named_graphs == ("http://n/",)


@pytest.mark.parametrize(
    ("target", "allowlist", "allowed"),
    [
        ("http://a/sparql", (), False),
        ("http://a/sparql", ("http://a/sparql",), True),
        ("http://a/sparql2", ("http://a/sparql",), False),
        ("http://a/x/sparql", ("http://a/",), True),
        ("http://ab/sparql", ("http://a",), False),
        (None, ("http://a/",), False),
        # canonical comparison (RFC 3986 §6.2): dot segments, authority, ports, schemes
        ("http://a/allowed/../../x", ("http://a/allowed/",), False),
        ("http://a/allowed/%2e%2e/x", ("http://a/allowed/",), False),
        ("http://a/allowed/./sub/sparql", ("http://a/allowed/",), True),
        ("http://a/allowed/x/../sparql", ("http://a/allowed/",), True),
        ("http://a@evil/allowed/", ("http://a/allowed/",), False),
        ("http:evil:9/allowed/", ("http://a/allowed/",), False),
        ("http://a:8080/sparql", ("http://a/",), False),
        ("http://A:80/sparql", ("http://a/",), True),
        ("https://a/sparql", ("http://a/",), False),
        ("ftp://a/sparql", ("ftp://a/",), False),
        ("http://a/sparqlx", ("http://a/sparql#",), False),
        ("http://a/sparql#x", ("http://a/sparql#",), True),
    ],
)
def test_allowlist(target: str | None, allowlist: tuple[str, ...], allowed: bool) -> None:
    assert service_allowed(target, allowlist) is allowed


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a> <b> <c> }",
        "LOAD <http://example.org/x.ttl>",
        "SELECT * { SERVICE <http://a/> { } }",
        "SELECT * { SERVICE ?x { } }",
    ],
)
def test_check_refuses(text: str) -> None:
    with pytest.raises(QueryRefused):
        check(inspect(text, BASE), ())


def test_deep_nesting_is_refused_before_the_parser_overflows() -> None:
    deep = "SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }"
    assert inspect(deep, BASE).nesting == 302
    with pytest.raises(QueryError, match="levels deep"):
        check(inspect(deep, BASE), ())
    check(inspect("SELECT * WHERE { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }", BASE), ())


def test_check_lets_allowlisted_service_and_plain_queries_through() -> None:
    check(inspect("SELECT * { SERVICE <http://a/sparql> { } }", BASE), ("http://a/sparql",))
    check(inspect("SELECT * FROM <http://remote.example/data.ttl> { ?s ?p ?o }", BASE), ())


#: A string as the grammar's terminals read it (SPARQL 1.1 Query §19.8), in one expression.
GRAMMAR_STRING = re.compile("|".join([
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',
    r"'(?:[^'\\\n\r]|\\.)*'",
    r'"(?:[^"\\\n\r]|\\.)*"',
]), re.DOTALL)
#: Texts of strings that are never closed, whose every quote once made the checker read on to
#: the end of the line or text (64 KB of them took 20 s).
UNCLOSED_STRINGS = ['"\\', "'\\", '"""\\"', "'''\\'", '"\\\n', "''\\'", '"\\"']


def test_strings_are_found_where_the_grammar_finds_them() -> None:
    rng = random.Random(1027)
    pieces = ['"', "'", "\\", "\n", "a", '"""', "'''", '\\"', "\\'"]
    checked = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        strings = guard._Strings(text)
        for position, char in enumerate(text):
            if char in "'\"":
                match = GRAMMAR_STRING.match(text, position)
                assert strings.end(position) == (match.end() if match else None), (text, position)
                checked += 1
    assert checked > 100_000


@pytest.mark.parametrize("unit", UNCLOSED_STRINGS)
def test_unclosed_strings_are_read_once(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "ASK { " + unit * (65_536 // len(unit)) + " }"
    read: list[int] = []

    class Counting:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def match(self, string: str, position: int) -> re.Match[str] | None:
            match = self.pattern.match(string, position)
            read.append(match.end() - position if match else 0)
            return match

    for form, pattern in list(guard._STRING_BODY.items()):
        monkeypatch.setitem(guard._STRING_BODY, form, Counting(pattern))
    inspect(text, BASE)
    assert read and sum(read) <= 2 * len(text), (sum(read), len(text))
