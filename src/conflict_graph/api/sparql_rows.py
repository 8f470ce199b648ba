"""Run a SELECT query and get its rows as plain strings, through the query service or a local store.

The API modules (:mod:`.geojson`, :mod:`.timeline`) and the ontology documentation ask their
questions in SPARQL and read the answers as rows, so the same code runs behind the web server (the
:class:`~conflict_graph.query.engine.QueryService`, its worker processes and limits) and in the
command line (a store opened in-process). A row maps each bound variable to its value: an IRI, or
a literal's lexical form; unbound variables are absent.

A result cut by the server's row or byte cap is an error, never a silently shorter answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import QueryError
from ..query import store
from ..query.query_types import QueryRequest

if TYPE_CHECKING:
    from ..query.engine import QueryService
    from ..query.store import Catalogue

__all__ = ["Row", "SelectRunner", "service_runner", "store_runner"]

#: One solution: variable name → IRI or literal lexical form.
Row = dict[str, str]
#: Runs a SELECT query under an entailment (``simple`` or ``owl-rl``) and returns its rows.
SelectRunner = Callable[[str, str], list[Row]]

_RESULTS_JSON = "application/sparql-results+json"


def service_runner(service: QueryService, client: str | None = None) -> SelectRunner:
    """A runner that sends each query through the query service (its workers, limits and admission).

    Args:
        service: the query service.
        client: the address the queries count against (None: not counted per client).

    Raises (when run):
        QueryError: the result was cut by ``max-rows`` or ``max-response-bytes``; any error of
            :meth:`QueryService.run`.
    """

    def run(text: str, entailment: str) -> list[Row]:
        response = service.run(QueryRequest(text, accept=_RESULTS_JSON, entailment=entailment, client=client))
        if response.truncated:
            raise QueryError(f"the answer has more rows than this server returns ({response.truncated_by}); "
                             "raise the limit (CONFLICT_GRAPH_MAX_ROWS, CONFLICT_GRAPH_MAX_RESPONSE_BYTES)")
        bindings = json.loads(response.body)["results"]["bindings"]
        return [{name: cell["value"] for name, cell in binding.items()} for binding in bindings]

    return run


def store_runner(catalogue: Catalogue, opened: ox.Store) -> SelectRunner:
    """A runner over a store opened in this process (the command line); no row cap applies."""

    def run(text: str, entailment: str) -> list[Row]:
        result = store.execute(opened, text, store.query_dataset(catalogue, entailment, unions=True))
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [variable.value for variable in result.variables]
        return [{name: term.value for name in names if (term := solution[name]) is not None}
                for solution in result]

    return run
