"""What a query worker does with one job: check it, run it, write the result within the caps.

The :class:`~conflict_graph.workers.WorkerPool` sends a :class:`QueryJob` or a :class:`StatsJob`
to a worker process, which calls :func:`perform` or :func:`graph_statistics` on its open store
and sends back an :class:`Outcome` (bytes, not terms) or a dict of counts.

Before a query runs, its ``SERVICE`` clauses are checked a second time, by a scan that shares no
code with the tokenizer (:mod:`conflict_graph.query.service_check`); the check runs here, in the killable worker, so it counts
against the query's time limit like the query itself. An allowed ``SERVICE`` endpoint that fails
(nothing listening, or a reply that is not SPARQL results) is reported as
:class:`~conflict_graph.service_check.ServiceFailed`, naming the endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import QueryError
from . import service_check

__all__ = ["InspectJob", "ModulesJob", "Outcome", "QueryJob", "StatsJob", "graph_statistics", "loaded_packages",
           "perform"]


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker.

    Attributes:
        text: the query.
        dataset: the :class:`conflict_graph.store.QueryDataset` to run it over.
        format_name: the :mod:`conflict_graph.conneg` format to write (``json``, ``turtle``...).
        max_rows: the row cap (solutions or triples); 0 means none.
        base_iri: the IRI relative IRIs in the query resolve against.
        prefixes: prefix → namespace, offered to the RDF writers (Turtle, TriG, N3, RDF/XML).
        max_bytes: the byte cap on the written result; 0 means none.
        service_allowlist: the ``SERVICE`` endpoints the query may call.
        services: the ``SERVICE`` targets the guard found (named when one fails).
        check_only: parse and check the query, but do not evaluate it (a ``SELECT``,
            ``CONSTRUCT`` or ``DESCRIBE`` is not evaluated at all; an ``ASK`` is); the answer is
            None.
        bindings: variable name → pyoxigraph term, bound by SPARQL substitution.
        dataset_clause: the query's ``FROM``/``FROM NAMED`` clauses as the checker read them
            (a :class:`~conflict_graph.query.sparql_dataset.DatasetClause`, or None: none), so
            the worker does not tokenize the query again; ``"read"``: read them in the worker.
    """

    text: str
    dataset: Any
    format_name: str
    max_rows: int = 0
    base_iri: str | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)
    max_bytes: int = 0
    service_allowlist: tuple[str, ...] = ()
    services: tuple[str | None, ...] = ()
    check_only: bool = False
    bindings: tuple[tuple[str, Any], ...] = ()
    dataset_clause: Any = "read"


@dataclass(frozen=True)
class StatsJob:
    """Ask a worker for VoID statistics of some graphs.

    Attributes:
        graphs: a name (any string) → the graph IRIs whose merge (a set of triples) to count.
    """

    graphs: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class InspectJob:
    """Ask a worker for the checker's reading of a long query text
    (:func:`conflict_graph.query.guard.inspect`), so that reading it takes no time from the
    server's interpreter and stops at the time limit like a query.

    Attributes:
        text: the query text.
        base_iri: what relative IRIs resolve against.
    """

    text: str
    base_iri: str | None = None


@dataclass(frozen=True)
class ModulesJob:
    """Ask a worker which top-level packages it has imported (a diagnostic: a worker should hold
    pyoxigraph and this package, never rdflib or the command line; see
    :mod:`conflict_graph.query.spawning`)."""


def loaded_packages() -> list[str]:
    """The top-level packages imported by this process, sorted (the answer to a :class:`ModulesJob`)."""
    import sys

    return sorted({name.partition(".")[0] for name in list(sys.modules)})


@dataclass(frozen=True)
class Outcome:
    """A worker's answer to a :class:`QueryJob`.

    Attributes:
        body: the serialised result.
        format_name: the format written (normally the requested one; see :func:`perform`).
        form: ``solutions`` (SELECT), ``boolean`` (ASK) or ``graph`` (CONSTRUCT/DESCRIBE).
        rows: solutions or triples written.
        truncated_by: ``max-rows`` or ``max-response-bytes`` when a cap cut the result, else None.
    """

    body: bytes
    format_name: str
    form: str
    rows: int
    truncated_by: str | None = None

    @property
    def truncated(self) -> bool:
        """True when a cap cut the result."""
        return self.truncated_by is not None


def _service_failed(job: QueryJob, error: Exception) -> service_check.ServiceFailed:
    targets = [f"<{t}>" for t in dict.fromkeys(job.services) if t]
    named = targets[0] if len(targets) == 1 else "one of " + ", ".join(targets) if targets else "a SERVICE"
    detail = " ".join(str(error).split())[:300] or type(error).__name__
    return service_check.ServiceFailed(
        f"the SERVICE endpoint {named} failed: {detail} (add SILENT to the SERVICE clause to go on "
        "without its answer)"
    )


def _write(result: Any, job: QueryJob) -> Outcome:
    import pyoxigraph as ox

    from . import rdf_writer, results, solution_writer

    if isinstance(result, ox.QueryBoolean):
        name = job.format_name if job.format_name in results.WRITERS else "json"
        return Outcome(results.write_boolean(name, bool(result)), name, "boolean", 1)
    if isinstance(result, ox.QuerySolutions):
        name = job.format_name if job.format_name in results.WRITERS else "json"
        written = solution_writer.write_solutions_capped(result, name, max_rows=job.max_rows,
                                                         max_bytes=job.max_bytes)
        return Outcome(written.body, name, "solutions", written.rows, written.truncated_by)
    name = job.format_name if job.format_name in rdf_writer.RDF_FORMATS else "turtle"
    written = rdf_writer.write_triples(result, name, job.prefixes, max_rows=job.max_rows,
                                       max_bytes=job.max_bytes)
    return Outcome(written.body, name, "graph", written.rows, written.truncated_by)


def perform(store: Any, job: QueryJob) -> Outcome | None:
    """Run one job against an open store and serialise its result (this is what a worker does).

    The requested format is written when it fits the result. If it does not (a results format
    for a CONSTRUCT, which only happens when the guard could not tell the form), the first format
    of the right kind is written instead and named in :attr:`Outcome.format_name`.

    Raises:
        QueryRefused: a ``SERVICE`` clause the allowlist does not permit, or one that cannot be
            checked.
        QuerySyntaxError: the query does not parse.
        ServiceFailed: an allowed ``SERVICE`` endpoint failed.
        NotAcceptable: the requested format cannot carry the result (XML and control characters).
        QueryError: pyoxigraph cannot evaluate the query (a call of a function it does not know).
    """
    from .store import execute

    service_check.check(job.text, job.base_iri, job.service_allowlist)
    try:
        result = execute(store, job.text, job.dataset, base_iri=job.base_iri, bindings=job.bindings,
                         clause=job.dataset_clause)
        if job.check_only:
            return None
        return _write(result, job)
    except RuntimeError as exc:  # pyoxigraph cannot evaluate it: an unknown function, or a SERVICE
        if job.services:
            raise _service_failed(job, exc) from exc
        detail = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise QueryError(f"the query cannot be evaluated: {detail}") from exc
    except OSError as exc:  # evaluation talked to a SERVICE endpoint and failed
        if not job.services and not service_check.mentions_service(job.text):
            raise
        raise _service_failed(job, exc) from exc


def graph_statistics(store: Any, job: StatsJob) -> dict[str, dict[str, int]]:
    """VoID counts (triples, distinct subjects/objects, properties, classes) per merge of graphs.

    A triple in more than one of the merged graphs counts once (the merge is a set).
    """
    from .store import graph_name

    counts: dict[str, dict[str, int]] = {}
    for name, members in job.graphs.items():
        graphs = [graph_name(iri) for iri in members]
        if not graphs:
            counts[name] = {"triples": 0, "distinctSubjects": 0, "properties": 0,
                            "distinctObjects": 0, "classes": 0}
            continue
        row = next(iter(store.query(
            "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?p) AS ?p_) "
            "(COUNT(DISTINCT ?o) AS ?o_) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            default_graph=graphs)))
        classes = next(iter(store.query(
            "SELECT (COUNT(DISTINCT ?c) AS ?c_) WHERE { ?s a ?c }", default_graph=graphs)))
        counts[name] = {
            "triples": int(row["t"].value), "distinctSubjects": int(row["s_"].value),
            "properties": int(row["p_"].value), "distinctObjects": int(row["o_"].value),
            "classes": int(classes["c_"].value),
        }
    return counts
