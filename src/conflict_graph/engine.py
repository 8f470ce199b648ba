"""The query engine behind the SPARQL endpoint: one object the web layer talks to.

:class:`QueryService` takes a protocol-neutral :class:`QueryRequest` (query text, ``Accept``,
format hints, protocol dataset, entailment, base IRI) and answers with a :class:`QueryResponse`
(bytes, format, ETag, provenance, row count). In between it checks the request
(:mod:`conflict_graph.guard`), chooses the format (:mod:`conflict_graph.conneg`), works out the
query dataset (:func:`conflict_graph.store.query_dataset`) and runs the query in a killable worker
(:mod:`conflict_graph.workers`). Nothing here knows about HTTP, so another front end (or a remote
SPARQL store behind the same interface) can take its place.

Work is split in two steps so a client holding a current ETag never costs a query:
:meth:`QueryService.prepare` does every check and computes the ETag, :meth:`QueryService.execute`
runs the query.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import conneg, guard, store
from .conneg import Format
from .errors import ConflictGraphError, InputError, QueryError, QueryTooLarge, SettingError
from .store import Catalogue
from .workers import Outcome, QueryJob, StatsJob, WorkerPool

__all__ = [
    "DEFAULT_ENTAILMENT",
    "ENTAILMENT_VALUES",
    "PreparedQuery",
    "Provenance",
    "QueryRequest",
    "QueryResponse",
    "QueryService",
    "entailment_of",
]

#: The entailment a request gets when it names none.
DEFAULT_ENTAILMENT = "owl-rl"
#: Accepted values of the ``entailment`` parameter → the regime (``none`` is an alias of ``simple``).
ENTAILMENT_VALUES: dict[str, str] = {"simple": "simple", "none": "simple", "owl-rl": "owl-rl"}
_MAX_MESSAGE = 400


def entailment_of(values: Sequence[str]) -> str:
    """The entailment regime asked for by the ``entailment`` parameter values (may be empty).

    Raises:
        QueryError: an unknown value, or several different values.
    """
    regimes = set()
    for value in values:
        regime = ENTAILMENT_VALUES.get(value.strip().lower())
        if regime is None:
            allowed = ", ".join(ENTAILMENT_VALUES)
            raise QueryError(f"unknown entailment {value!r}; use one of: {allowed}")
        regimes.add(regime)
    if len(regimes) > 1:
        raise QueryError("the entailment parameter is given more than once with different values")
    return regimes.pop() if regimes else DEFAULT_ENTAILMENT


@dataclass(frozen=True)
class QueryRequest:
    """One SPARQL query, as any front end received it.

    Attributes:
        text: the query.
        accept: the client's ``Accept`` header, if any.
        format_hints: ``format``/``output``/``results`` parameter values, in order.
        default_graph_uris: the protocol's ``default-graph-uri`` values (None: not given).
        named_graph_uris: the protocol's ``named-graph-uri`` values (None: not given).
        entailment: ``simple`` or ``owl-rl`` (already validated with :func:`entailment_of`).
        base_iri: what relative IRIs in the query resolve against (the endpoint's URL).
        timeout: a shorter time limit the client asks for, in seconds (None: the server's).
    """

    text: str
    accept: str | None = None
    format_hints: tuple[str, ...] = ()
    default_graph_uris: tuple[str, ...] | None = None
    named_graph_uris: tuple[str, ...] | None = None
    entailment: str = DEFAULT_ENTAILMENT
    base_iri: str | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Provenance:
    """What a result depends on, so it can be cited and reproduced.

    Attributes:
        data_version: the build's hash of every input.
        ontology_version: the ontology's ``owl:versionIRI``, if it declares one.
        entailment: ``simple`` or ``owl-rl``.
    """

    data_version: str
    ontology_version: str | None
    entailment: str


@dataclass(frozen=True)
class PreparedQuery:
    """A checked request, ready to run: its format, ETag, time limit and worker job."""

    request: QueryRequest
    shape: guard.QueryShape
    format: Format
    etag: str
    provenance: Provenance
    job: QueryJob
    timeout: float


@dataclass(frozen=True)
class QueryResponse:
    """The answer to a query.

    Attributes:
        body: the serialised result.
        format: its format (``format.content_type`` is the ``Content-Type``).
        etag: a weak entity tag covering data version, entailment, format and query.
        provenance: data and ontology version, entailment.
        rows: solutions or triples in ``body``.
        truncated: True when the row cap cut the result.
        row_limit: the row cap in force (0: none).
    """

    body: bytes
    format: Format
    etag: str
    provenance: Provenance
    rows: int
    truncated: bool
    row_limit: int


_LOCATION = re.compile(r"\berror at (\d+):(\d+):")


def _shorten(message: str) -> str:
    """Keep a parser message readable.

    pyoxigraph's ``error at 3:14: expected one of ...`` lists every token and Unicode character
    class it would have accepted; the position is spelled out and the character classes dropped.
    """
    message = _LOCATION.sub(r"error at line \1, column \2:", " ".join(message.split()))
    classes = message.find(", [")
    if classes != -1:
        message = message[:classes] + ", …"
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE].rstrip() + " …"


class QueryService:
    """Answers SPARQL queries over one built dataset.

    Args:
        catalogue: the graphs and versions of the dataset the pool's workers opened.
        pool: the started worker pool.
        query_timeout: seconds a query may take (waiting for a worker included).
        max_rows: the row cap (0: none).
        max_query_bytes: the largest query text accepted, in UTF-8 bytes.
        service_allowlist: ``SERVICE`` endpoints the guard lets through.
    """

    def __init__(self, catalogue: Catalogue, pool: WorkerPool, *, query_timeout: float = 10.0,
                 max_rows: int = 10_000, max_query_bytes: int = 65_536,
                 service_allowlist: Sequence[str] = ()) -> None:
        self.catalogue = catalogue
        self.pool = pool
        self.query_timeout = query_timeout
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self.service_allowlist = tuple(service_allowlist)
        self._statistics: dict[str, dict[str, int]] | None = None

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> QueryService:
        """Build (or find in the cache) the dataset the settings name, and start the workers.

        Raises:
            DataLoadError: an input is missing, unreadable or malformed (names file and line).
            ValidationFailed, ReasoningError: from the build.
            SettingError: nothing to serve.
        """
        from . import build, inputs

        paths = [Path(p) for p in values.get("data") or ()]
        include_embedded = not values.get("no_default_data")
        if not include_embedded and not paths:
            raise SettingError("--no-default-data needs at least one --data PATH to serve")
        files = inputs.collect(include_embedded=include_embedded, extra_paths=paths)
        result = build.build(files, cache_dir=Path(values["cache_dir"]))
        pool = WorkerPool(result.artifact, int(values.get("workers") or 2))
        pool.start()
        service = cls(result.catalogue, pool, query_timeout=float(values["query_timeout"]),
                      max_rows=int(values["max_rows"]), max_query_bytes=int(values["max_query_bytes"]),
                      service_allowlist=tuple(values.get("service_allowlist") or ()))
        try:
            service.statistics()
        except ConflictGraphError:  # statistics are a nicety: the service description falls back
            pass
        return service

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()

    # queries

    def provenance(self, entailment: str) -> Provenance:
        """What results under ``entailment`` depend on."""
        return Provenance(self.catalogue.data_version, self.catalogue.ontology_version, entailment)

    def prepare(self, request: QueryRequest) -> PreparedQuery:
        """Check a request, choose its format and compute its ETag, without running it.

        Raises:
            QueryTooLarge: the query text is longer than ``max_query_bytes``.
            QueryRefused: an update, or a ``SERVICE`` the allowlist does not permit.
            NotAcceptable: no format of the query's kind satisfies ``Accept``.
            QueryError: an empty query, a bad entailment or a graph IRI that is not absolute.
        """
        size = len(request.text.encode("utf-8"))
        if size > self.max_query_bytes:
            raise QueryTooLarge(
                f"the query is {size:,} bytes long; this endpoint accepts at most "
                f"{self.max_query_bytes:,} bytes (CONFLICT_GRAPH_MAX_QUERY_BYTES)"
            )
        if not request.text.strip():
            raise QueryError("the query is empty")
        if request.entailment not in store.ENTAILMENTS:
            raise QueryError(f"unknown entailment {request.entailment!r}")
        timeout = self.query_timeout
        if request.timeout is not None:
            if not 0 < request.timeout:
                raise QueryError(f"timeout must be a number of seconds above 0, not {request.timeout:g}")
            timeout = min(timeout, request.timeout)
        shape = guard.inspect(request.text, request.base_iri)
        guard.check(shape, self.service_allowlist)
        kind = "rdf" if shape.form in ("CONSTRUCT", "DESCRIBE") else "results"
        chosen = conneg.negotiate(request.accept, kind, request.format_hints)
        try:
            dataset = store.query_dataset(self.catalogue, request.entailment,
                                          request.default_graph_uris, request.named_graph_uris)
        except InputError as exc:
            raise QueryError(str(exc)) from exc
        job = QueryJob(request.text, dataset, chosen.name, self.max_rows, request.base_iri,
                       dict(shape.prefixes))
        return PreparedQuery(request, shape, chosen, self._etag(request, chosen),
                             self.provenance(request.entailment), job, timeout)

    def execute(self, prepared: PreparedQuery) -> QueryResponse:
        """Run a prepared query in a worker.

        Raises:
            QuerySyntaxError: the query does not parse (the message has line and column).
            QueryTimeout: it ran past its time limit (and was stopped), or no worker was free.
            WorkerLost: the worker died running it.
        """
        try:
            outcome: Outcome = self.pool.run(prepared.job, prepared.timeout)
        except QueryError as exc:
            raise type(exc)(_shorten(str(exc))) from exc
        chosen = prepared.format
        if outcome.format_name != chosen.name:
            chosen = next(f for f in conneg.FORMATS if f.name == outcome.format_name)
        return QueryResponse(outcome.body, chosen, prepared.etag, prepared.provenance, outcome.rows,
                             outcome.truncated, self.max_rows)

    def run(self, request: QueryRequest) -> QueryResponse:
        """:meth:`prepare` then :meth:`execute`."""
        return self.execute(self.prepare(request))

    def _etag(self, request: QueryRequest, chosen: Format) -> str:
        def graphs(uris: tuple[str, ...] | None) -> str:
            return "\x1e" if uris is None else "\x1f".join(uris)

        digest = hashlib.sha256()
        for part in (self.catalogue.data_version, self.catalogue.ontology_version or "",
                     request.entailment, chosen.name, str(self.max_rows), request.base_iri or "",
                     graphs(request.default_graph_uris), graphs(request.named_graph_uris), request.text):
            digest.update(part.encode("utf-8") + b"\0")
        return f'W/"{self.catalogue.data_version[:12]}-{digest.hexdigest()[:20]}"'

    # description

    def statistics(self) -> dict[str, dict[str, int]]:
        """VoID counts per real graph, per virtual graph and per default graph (computed once).

        Keys are graph IRIs, plus ``default:simple`` and ``default:owl-rl``.

        Raises:
            QueryTimeout: the counting did not finish in time (it is tried again next call).
        """
        if self._statistics is None:
            catalogue = self.catalogue
            groups: dict[str, tuple[str, ...]] = {iri: (iri,) for iri in catalogue.iris()}
            groups.update(catalogue.virtual_graphs())
            for entailment in store.ENTAILMENTS:
                dataset = store.query_dataset(catalogue, entailment)
                groups[f"default:{entailment}"] = tuple(
                    g.value for g in dataset.default_graph if hasattr(g, "value"))
            self._statistics = self.pool.run(StatsJob(groups), max(60.0, self.query_timeout))
        return self._statistics

    def health(self) -> dict[str, Any]:
        """Status, versions, triple counts and the state of the workers."""
        workers = self.pool.stats()
        return {
            "status": "ok" if workers["alive"] > 0 else "unavailable",
            "data_version": self.catalogue.data_version,
            "ontology_version": self.catalogue.ontology_version,
            "graphs": len(self.catalogue.graphs),
            "triples": sum(g.triples for g in self.catalogue.graphs),
            "workers": workers,
            "limits": {"query_timeout": self.query_timeout, "max_rows": self.max_rows,
                       "max_query_bytes": self.max_query_bytes},
        }

