"""The second reading of SERVICE clauses (``query/service_check.py``), checked against pyoxigraph.

Every query below is run by pyoxigraph itself on an empty in-memory store with its SERVICE
target on a closed loopback port: where pyoxigraph tries to call the endpoint it fails with a
connection error, so pyoxigraph tells us whether the text holds a SERVICE clause, and the check
must agree (or refuse).
"""

from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest

from conflict_graph.errors import QueryRefused
from conflict_graph.query import service_check


def _closed_port() -> str:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
    return f"http://127.0.0.1:{port}/sparql"


TARGET = _closed_port()


def calls_out(query: str) -> bool:
    """True when pyoxigraph tries to reach the SERVICE endpoint while running ``query``."""
    try:
        result = ox.Store().query(query)
        if isinstance(result, ox.QuerySolutions):
            list(result)
    except (OSError, RuntimeError):
        return True
    return False


HIDDEN = {
    "comment": f"SELECT * WHERE {{ ?s ?p ?o # SERVICE <{TARGET}> {{ ?a ?b ?c }}\n}}",
    "comment-crlf": f"SELECT * WHERE {{ ?s ?p ?o # SERVICE\r}} # <{TARGET}> {{ }}",
    "string": f"SELECT * WHERE {{ BIND(\"SERVICE <{TARGET}> {{ ?a ?b ?c }}\" AS ?x) }}",
    "long-string": f"SELECT * WHERE {{ BIND('''a\n' SERVICE <{TARGET}> {{ }} ''' AS ?x) }}",
    "escaped-quote": f"SELECT * WHERE {{ BIND(\"\\\" SERVICE <{TARGET}> {{ }}\" AS ?x) }}",
    "prefixed-names": f"PREFIX service: <{TARGET}#> SELECT * WHERE {{ service:a service:service ?o . "
                      "?o service:b service: }",
    "local-part": "PREFIX ex: <http://x/> SELECT * WHERE { ex:a ex:SERVICE ex:x.service }",
    "variables": "SELECT ?service WHERE { ?service ?p $SERVICE }",
    "blank-node-and-tag": "SELECT * WHERE { _:service ?p 'x'@service }",
    "iri": "SELECT * WHERE { <http://x/SERVICE> ?p <http://service/> }",
}
CALLING = {
    "plain": f"SELECT * WHERE {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }}",
    "lower-case-silent": f"select * where {{ service <{TARGET}> {{ ?s ?p ?o }} }}",
    "no-space": f"SELECT*WHERE{{BIND(1 AS ?x).SERVICE<{TARGET}>{{?s ?p ?o}}}}",
    "nested-groups": f"SELECT * WHERE {{ {{ {{ OPTIONAL {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }} }} }} }}",
    "subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }} }} }}",
    "union": f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }} }} }}",
    "after-a-comment-and-string": f"SELECT * WHERE {{ BIND('#' AS ?x) # '\nSERVICE <{TARGET}> {{ ?s ?p ?o }} }}",
    "prefixed-target": f"PREFIX t: <{TARGET.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE t:sparql {{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_letters_service_where_no_clause_can_stand_are_not_a_clause(name: str) -> None:
    query = HIDDEN[name]
    assert not calls_out(query), "pyoxigraph itself calls out: the example is wrong"
    assert service_check.keyword_count(query) == 0
    service_check.check(query, None, ())  # nothing to refuse


@pytest.mark.parametrize("name", sorted(CALLING))
def test_every_clause_pyoxigraph_would_call_is_found_and_refused(name: str) -> None:
    query = CALLING[name]
    assert calls_out(query), "pyoxigraph does not call out: the example is wrong"
    assert service_check.keyword_count(query) == 1
    with pytest.raises(QueryRefused, match="is not allowed"):
        service_check.check(query, None, ())
    service_check.check(query, None, (TARGET,))  # the same clause, allowed


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ xSERVICE <{TARGET}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE2 <{TARGET}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ \u017fERVICE <{TARGET}> {{ ?s ?p ?o }} }}",  # a long s folds to "s"
])
def test_letters_service_that_are_neither_keyword_nor_name_are_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="could not be checked"):
        service_check.check(query, None, (TARGET,))


def test_readings_that_disagree_are_refused() -> None:
    """``<SERVICE>`` after an operand inside an expression: the tokenizer reads less-than and
    the keyword, the scan an IRI; the query is refused, whoever is right."""
    query = f"SELECT * WHERE {{ FILTER(?a <SERVICE>) SERVICE <{TARGET}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRefused, match="could not be checked"):
        service_check.check(query, None, (TARGET,))


def test_the_check_loads_no_sparql_grammar() -> None:
    """Run in a fresh interpreter: the check imports neither rdflib nor pyparsing."""
    import subprocess
    import sys

    code = ("import sys\nfrom conflict_graph.query import service_check\n"
            f"service_check.check({CALLING['plain']!r}, None, ({TARGET!r},))\n"
            "print(sorted(m for m in ('rdflib', 'pyparsing') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
