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
runs the query, and :meth:`QueryService.check` only parses it (a client revalidating a malformed
query must get 400, not 304). Both hold a place in the :class:`~conflict_graph.admission.Admission`
while they wait for and use a worker, so slow queries cannot take every server thread.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import conneg, guard, store
from .admission import Admission
from .bounded_cache import BoundedCache
from .conneg import Format
from ..errors import (
    ConflictGraphError,
    InputError,
    QueryError,
    QueryPreempted,
    QuerySyntaxError,
    QueryTooLarge,
    SettingError,
)
from .jobs import InspectJob, Outcome, QueryJob, StatsJob
from .sparql_dataset import DatasetClause
from .query_types import (
    MAX_GRAPH_URIS,
    MIN_TIMEOUT,
    NAMED_GRAPHS,
    Provenance,
    QueryRequest,
    QueryResponse,
)
from .store import Catalogue
from .workers import WorkerPool, pickled

__all__ = ["PreparedQuery", "QueryService"]

_MAX_MESSAGE = 400
#: Bytes of query text whose reading by the checker is remembered (the least recently used go).
SHAPE_CACHE_BYTES = 8 * 2**20
#: Query texts longer than this (in characters) are read by the checker in a query worker, in a
#: fair turn of the :class:`Admission`, like a query: reading 60 KB takes a quarter of a second,
#: which in the server's interpreter a client sending such texts one after another would take
#: from every other request.
CHECK_TURN_CHARS = 2048
#: Functions whose value changes from one evaluation to the next: an answer using one is never
#: reused (SPARQL 1.1 Query §17.4.5, §17.4.6; ``NOW()`` is constant within one query only).
_VOLATILE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


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
    job_blob: bytes = b""  # the job pickled once, as the worker pool sends it


_LOCATION = re.compile(r"\berror at (\d+):(\d+):")


#: pyoxigraph's wording of some errors, and what a reader is told instead.
_REWORDED = (
    (re.compile(r"expected one of The query (limit|offset) should be a non negative integer\b[^;]*"),
     lambda m: f"{m[1].upper()} takes a non-negative integer that fits in 64 bits"),
    (re.compile(r"expected IRI parsing failed"),
     lambda m: "an IRI in <…> is malformed (RFC 3987: no spaces, no <>\"{}|^`\\, %-escapes of two hex "
               "digits, a well-formed host)"),
)


def _shorten(message: str) -> str:
    """Keep a parser message readable.

    pyoxigraph's ``error at 3:14: expected one of ...`` lists every token and Unicode character
    class it would have accepted; the position is spelled out and the character classes dropped,
    and a few of its phrasings are reworded (:data:`_REWORDED`).
    """
    message = _LOCATION.sub(r"error at line \1, column \2:", " ".join(message.split()))
    for pattern, wording in _REWORDED:
        message = pattern.sub(wording, message)
    classes = message.find(", [")
    if classes != -1:
        message = message[:classes] + ", …"
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE].rstrip() + " …"


def _undeclared_hint(shape: guard.QueryShape) -> str:
    """A hint naming the prefixes a query uses but never declares (pyoxigraph's message does not)."""
    if not shape.undeclared:
        return ""
    names = ", ".join(f"{prefix}:" for prefix in shape.undeclared)
    first = shape.undeclared[0]
    verb = "is" if len(shape.undeclared) == 1 else "are"
    return f" (hint: prefix {names} {verb} not declared; add PREFIX {first}: <…> before the query)"


class QueryService:
    """Answers SPARQL queries over one built dataset.

    Args:
        catalogue: the graphs and versions of the dataset the pool's workers opened.
        pool: the started worker pool.
        query_timeout: seconds a query may take (waiting for a worker included).
        max_rows: the row cap (0: none).
        max_query_bytes: the largest query text accepted, in UTF-8 bytes.
        service_allowlist: ``SERVICE`` endpoints the guard lets through.
        max_response_bytes: the byte cap on a result.
        admission: who gets the next free worker (default: :class:`Admission` with its
            defaults for the pool's size).
        answer_cache_bytes: bytes of answers kept for reuse (0: every query is evaluated).
    """

    def __init__(self, catalogue: Catalogue, pool: WorkerPool, *, query_timeout: float = 10.0,
                 max_rows: int = 10_000, max_query_bytes: int = 65_536,
                 service_allowlist: Sequence[str] = (), max_response_bytes: int = 64 * 1024 * 1024,
                 admission: Admission | None = None, answer_cache_bytes: int = 0) -> None:
        self.catalogue = catalogue
        self.pool = pool
        self.query_timeout = query_timeout
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self.max_response_bytes = max_response_bytes
        self.service_allowlist = tuple(service_allowlist)
        retry_after = max(1, math.ceil(query_timeout))
        self.admission = admission or Admission(pool.size, client_workers=max(1, pool.size - 1),
                                                retry_after=retry_after)
        self._statistics: dict[str, dict[str, int]] | None = None
        self._datasets: dict[str, store.QueryDataset] = {}
        self._shapes: BoundedCache[guard.QueryShape] = BoundedCache(SHAPE_CACHE_BYTES)
        self._prepared: BoundedCache[PreparedQuery] = BoundedCache(SHAPE_CACHE_BYTES)
        self.answers: BoundedCache[QueryResponse] = BoundedCache(answer_cache_bytes)

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> QueryService:
        """Build (or find in the cache) the dataset the settings name, and start the workers.

        Raises:
            DataLoadError: an input is missing, unreadable or malformed (names file and line).
            ValidationFailed, ReasoningError: from the build.
            SettingError: nothing to serve.
        """
        from ..pipeline import inputs
        from ..pipeline.isolated_build import build_isolated

        paths = [Path(p) for p in values.get("data") or ()]
        include_embedded = not values.get("no_default_data")
        if not include_embedded and not paths:
            raise SettingError("--no-default-data needs at least one --data PATH to serve")
        files = inputs.collect(include_embedded=include_embedded, extra_paths=paths)
        result = build_isolated(files, cache_dir=Path(values["cache_dir"]), progress=_progress,
                                reasoner=str(values.get("reasoner") or "native"),
                                allow_inconsistent=bool(values.get("allow_inconsistent")))
        workers = int(values.get("workers") or 2)
        admission = Admission.from_settings(values, workers)
        # processes for the long queries that give up their place, and one started in advance
        pool = WorkerPool(result.artifact, workers,
                          memory_limit=int(values.get("worker_memory_mb") or 0) * 2**20,
                          spare=admission.long_slots + 1, lower_priority_after=0.5)
        pool.start()
        timeout = float(values["query_timeout"])
        service = cls(result.catalogue, pool, query_timeout=timeout,
                      max_rows=int(values["max_rows"]), max_query_bytes=int(values["max_query_bytes"]),
                      service_allowlist=tuple(values.get("service_allowlist") or ()),
                      max_response_bytes=int(values.get("max_response_bytes") or 64 * 1024 * 1024),
                      admission=admission,
                      answer_cache_bytes=int(values.get("answer_cache_mb") or 0) * 2**20)
        try:
            service.compute_statistics()
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

        A request prepared recently (the same in all but its client) is not prepared again.

        Raises:
            QueryTooLarge: the query text is longer than ``max_query_bytes``.
            QueryRefused: an update, or a ``SERVICE`` the allowlist does not permit.
            NotAcceptable: no format of the query's kind satisfies ``Accept``.
            QueryError: an empty query, a bad entailment, a timeout below :data:`MIN_TIMEOUT`,
                more than :data:`MAX_GRAPH_URIS` graph IRIs, a graph IRI that is not absolute, or
                an unknown ``format`` parameter.
        """
        key = dataclasses.replace(request, client=None)
        try:
            kept = self._prepared.get(key)
        except TypeError:  # a binding that cannot be hashed: prepared afresh each time
            return self._prepare(request)
        if kept is not None:
            return dataclasses.replace(kept, request=request)
        prepared = self._prepare(request)
        self._prepared.put(key, prepared, _weight(prepared))
        return prepared

    def _prepare(self, request: QueryRequest) -> PreparedQuery:
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
        graphs = len(request.default_graph_uris or ()) + len(request.named_graph_uris or ())
        if graphs > MAX_GRAPH_URIS:
            raise QueryError(f"the request names {graphs} graphs (default-graph-uri and named-graph-uri); "
                             f"this endpoint accepts at most {MAX_GRAPH_URIS}")
        timeout = self.query_timeout
        if request.timeout is not None:
            if not MIN_TIMEOUT <= request.timeout:
                raise QueryError(f"timeout must be at least {MIN_TIMEOUT:g} seconds, not {request.timeout:g}")
            timeout = min(timeout, request.timeout)
        shape = self._inspect(request)
        guard.check(shape, self.service_allowlist)
        kind = "rdf" if shape.form in ("CONSTRUCT", "DESCRIBE") else "results"
        chosen = conneg.negotiate_remembered(request.accept, kind, request.format_hints)
        dataset = self._dataset(request)
        named = (request.default_graph_uris is not None or request.named_graph_uris is not None
                 or bool(shape.from_graphs or shape.from_named_graphs))
        job = QueryJob(request.text, dataset, chosen.name, self.max_rows, request.base_iri,
                       dict(shape.prefixes), self.max_response_bytes, self.service_allowlist,
                       shape.services, bindings=request.bindings,
                       dataset_clause=(DatasetClause(shape.from_graphs, shape.from_named_graphs)
                                       if shape.from_graphs or shape.from_named_graphs else None))
        return PreparedQuery(request, shape, chosen, self._etag(request, chosen),
                             self.provenance(NAMED_GRAPHS if named else request.entailment), job, timeout,
                             pickled(job))

    def _inspect(self, request: QueryRequest) -> guard.QueryShape:
        """The checker's reading of the query (a text seen recently is not read again).

        Its time counts in the client's share of the workers (fair sharing): a long text is read
        by a worker in a turn of the admission (:data:`CHECK_TURN_CHARS`), a short one here and
        its time charged after.

        Raises:
            TooManyQueries, ServerBusy, QueryTimeout, WorkerLost, QueryPreempted: no turn, or
                no reading in time, for a long text.
        """
        key = (request.text, request.base_iri)
        shape = self._shapes.get(key)
        if shape is None:
            if len(request.text) > CHECK_TURN_CHARS:
                with self.admission.admit(request.client, self.query_timeout) as turn:
                    shape = self.pool.run(InspectJob(request.text, request.base_iri), self.query_timeout,
                                          turn.stop_requested, since=turn.arrived, low_priority=turn.heavy)
            else:
                started = time.thread_time()
                shape = guard.inspect(request.text, request.base_iri)
                self.admission.charge(request.client, time.thread_time() - started)
            self._shapes.put(key, shape, len(request.text) + len(request.base_iri or "") + 256)
        return shape

    def _dataset(self, request: QueryRequest) -> store.QueryDataset:
        """The query dataset of a request; the one of each entailment is worked out once."""
        if request.default_graph_uris is None and request.named_graph_uris is None:
            if request.entailment not in self._datasets:
                self._datasets[request.entailment] = store.query_dataset(
                    self.catalogue, request.entailment, unions=True)
            return self._datasets[request.entailment]
        try:
            return store.query_dataset(self.catalogue, request.entailment, request.default_graph_uris,
                                       request.named_graph_uris, unions=True)
        except InputError as exc:
            raise QueryError(str(exc)) from exc

    def execute(self, prepared: PreparedQuery) -> QueryResponse:
        """Run a prepared query in a worker.

        Raises:
            TooManyQueries, ServerBusy: the client, or the server, has no room for another query.
            QuerySyntaxError: the query does not parse (the message has line and column).
            QueryTimeout: it ran past its time limit (and was stopped), or no worker was free.
            WorkerLost: the worker died running it.
            QueryRefused, ServiceFailed, NotAcceptable: see :func:`conflict_graph.jobs.perform`.
        """
        reusable = self.answers.max_bytes > 0 and not _VOLATILE.search(prepared.request.text)
        if reusable and (kept := self.answers.get(prepared.etag)) is not None:
            return kept
        outcome: Outcome = self._run(prepared, prepared.job_blob or prepared.job)
        chosen = prepared.format
        if outcome.format_name != chosen.name:
            chosen = conneg.format_named(outcome.format_name)
        answer = QueryResponse(outcome.body, chosen, prepared.etag, prepared.provenance, outcome.rows,
                               outcome.truncated_by, self.max_rows, self.max_response_bytes)
        if reusable:
            self.answers.put(prepared.etag, answer, len(outcome.body) + len(prepared.request.text) + 512)
        return answer

    def check(self, prepared: PreparedQuery) -> None:
        """Parse a prepared query in a worker (and check its ``SERVICE`` clauses) without running it.

        An ``ASK`` query is evaluated (pyoxigraph answers it at once); the others are not.

        Raises:
            the same errors as :meth:`execute`.
        """
        self._run(prepared, dataclasses.replace(prepared.job, check_only=True))

    def _run(self, prepared: PreparedQuery, job: QueryJob | bytes) -> Any:
        with self.admission.admit(prepared.request.client, prepared.timeout) as turn:
            try:
                return self.pool.run(job, prepared.timeout, turn.stop_requested, since=turn.arrived,
                                     low_priority=turn.heavy)
            except QueryPreempted as exc:
                raise QueryPreempted(str(exc), self.admission.retry_after) from exc
            except QuerySyntaxError as exc:
                malformed_iri = "IRI parsing failed" in str(exc)  # its text is no prefixed name
                hint = "" if malformed_iri else _undeclared_hint(prepared.shape)
                raise QuerySyntaxError(_shorten(str(exc)) + hint) from exc
            except QueryError as exc:
                raise type(exc)(_shorten(str(exc))) from exc

    def run(self, request: QueryRequest) -> QueryResponse:
        """:meth:`prepare` then :meth:`execute`."""
        return self.execute(self.prepare(request))

    def _etag(self, request: QueryRequest, chosen: Format) -> str:
        def graphs(uris: tuple[str, ...] | None) -> str:
            return "\x1e" if uris is None else "\x1f".join(uris)

        digest = hashlib.sha256()
        for part in (self.catalogue.data_version, self.catalogue.ontology_version or "",
                     request.entailment, chosen.name, str(self.max_rows), str(self.max_response_bytes),
                     request.base_iri or "", graphs(request.default_graph_uris),
                     graphs(request.named_graph_uris), request.text,
                     "".join(f"{name}\x1f{value}\x1e" for name, value in request.bindings)):
            digest.update(part.encode("utf-8") + b"\0")
        return f'W/"{self.catalogue.data_version[:12]}-{digest.hexdigest()[:20]}"'

    # description

    def compute_statistics(self) -> dict[str, dict[str, int]]:
        """The VoID statistics the build counted (:func:`conflict_graph.store.read_statistics`), or,
        for an artifact without them, counted in a worker once (at start-up; never on a request's
        path).

        Keys are graph IRIs (real and virtual), plus ``default:simple`` and ``default:owl-rl``.
        Each count is over the same merge of graphs a query sees: a triple asserted in two
        graphs counts once in the default graph and in ``…/graph/asserted``.

        Raises:
            QueryTimeout: the counting did not finish in time.
        """
        if self._statistics is None:
            self._statistics = store.read_statistics(self.pool.artifact)
        if self._statistics is None:
            groups = store.statistics_groups(self.catalogue)
            self._statistics = self.pool.run(StatsJob(groups), max(60.0, self.query_timeout))
        return self._statistics

    def statistics(self) -> dict[str, dict[str, int]] | None:
        """The VoID statistics counted at start-up, or None if they could not be counted."""
        return self._statistics

    def health(self) -> dict[str, Any]:
        """Status, versions, triple counts, the state of the workers and of the query queue.

        Reads counters only: it never waits for a worker or for a query.
        """
        workers = self.pool.stats()
        return {
            "status": "ok" if workers["alive"] > 0 else "unavailable",
            "ready": workers["alive"] > 0 and workers["idle"] > 0 and self.admission.ready(),
            "data_version": self.catalogue.data_version,
            "ontology_version": self.catalogue.ontology_version,
            "graphs": len(self.catalogue.graphs),
            "triples": sum(g.triples for g in self.catalogue.graphs),
            "workers": workers,
            "queries": self.admission.stats(),
            "answer_cache": self.answers.stats(),
            "limits": {"query_timeout": self.query_timeout, "max_rows": self.max_rows,
                       "max_query_bytes": self.max_query_bytes,
                       "max_response_bytes": self.max_response_bytes},
        }


def _weight(prepared: PreparedQuery) -> int:
    """Bytes a prepared query holds: its request's strings (the text twice: the job has it too)
    and its pickled job (the base IRI, the endpoint's URL with the client's ``Host``, again)."""
    request = prepared.request
    strings = (request.text, request.text, request.accept or "", request.base_iri or "",
               *request.format_hints,
               *(request.default_graph_uris or ()), *(request.named_graph_uris or ()))
    return len(prepared.job_blob) + sum(map(len, strings)) + 1024


def _progress(message: str) -> None:
    """Tell the person starting the server what a cold build is doing (on standard error)."""
    print(f"conflict-graph: {message}", file=sys.stderr, flush=True)
