"""Reading the graph through the query service, so a remote store can later stand behind it.

Every page is built from a few SPARQL queries run by
:class:`~conflict_graph.query.engine.QueryService` under the same limits as ``/sparql`` (time
limit, per-client admission, row cap); each query also carries its own ``LIMIT``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from ..query.conneg import Format
from ..query.engine import QueryService
from ..query.query_types import QueryRequest, QueryResponse
from .terms import Term

__all__ = ["PREFIXES", "Reader", "Row"]

#: Prefixes every page query may use.
PREFIXES = """PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dct: <http://purl.org/dc/terms/>
"""

Row = Mapping[str, Term]


@dataclass(frozen=True)
class Reader:
    """Runs page queries for one client.

    Attributes:
        service: the query engine.
        client: the requester's address, counted against the per-client limit (None: not counted).
        entailment: ``owl-rl`` (default: inferred triples included) or ``simple``.
    """

    service: QueryService
    client: str | None = None
    entailment: str = "owl-rl"

    def select(self, query: str) -> list[dict[str, Term]]:
        """The solutions of a SELECT query (PREFIXES prepended), each variable → :class:`Term`."""
        answer = self._run(PREFIXES + query, "json")
        document = json.loads(answer.body)
        return [{name: Term.from_json(value) for name, value in binding.items()}
                for binding in document["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        """The answer to an ASK query (PREFIXES prepended)."""
        return bool(json.loads(self._run(PREFIXES + query, "json").body)["boolean"])

    def describe(self, iri: str, fmt: Format) -> QueryResponse:
        """``DESCRIBE <iri>`` in one RDF format: exactly what ``/sparql`` answers to that query."""
        return self._run(f"DESCRIBE <{iri}>", fmt.name)

    def _run(self, text: str, format_name: str) -> QueryResponse:
        request = QueryRequest(text=text, format_hints=(format_name,), entailment=self.entailment,
                               client=self.client)
        return self.service.run(request)
