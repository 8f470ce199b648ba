"""The plain functions behind each ``conflict-graph`` command; :mod:`conflict_graph.cli` wraps them.

Each function takes paths, a catalogue and a store, and returns text or bytes; none of them
prints, exits or knows about click, so tests and other front ends can call them directly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..pipeline import build as builder
from ..pipeline import check
from .. import iris
from . import render
from ..query import guard, store
from ..errors import DataLoadError, InputError, QueryError, QuerySyntaxError
from ..exports import LocalSource
from ..exports.acled import acled_csv
from ..exports.jsonld import dataset_jsonld, jsonld_context
from ..exports.release import json_bytes, release_files, write_release
from ..pipeline.inputs import InputFile
from ..query.sparql_dataset import declared_prefixes
from ..query.store import Catalogue
from ..reasoning.consistency import ConsistencyReport
from ..reasoning.derivation_rdf import RDF_PREFIXES, explanation_rdf
from ..reasoning.explain_text import explanation_text
from ..reasoning.explainer import Explainer

__all__ = ["EXPLAIN_FORMATS", "EXPORT_FORMATS", "EXPORT_GRAPHS", "build_report", "explain_triple", "export",
           "export_geojson", "export_release",
           "read_query", "run_query", "stats_report", "validate_files"]

EXPORT_GRAPHS = ("asserted", "inferred", "all")
#: Formats of ``export``: quads of the chosen graphs (``nquads``, ``trig``, ``jsonld``), the ACLED-style
#: events CSV (``acled``), places with their control history (``geojson``), the JSON-LD context
#: (``context``), or every download at once (``release``).
EXPORT_FORMATS = ("nquads", "trig", "jsonld", "acled", "geojson", "context", "release")


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def graph_table(catalogue: Catalogue) -> str:
    """The catalogue as an aligned table: graph IRI, kind, triple count."""
    rows = [[g.iri, g.kind, f"{g.triples:,}"] for g in catalogue.graphs]
    rows.append(["total", "", f"{sum(g.triples for g in catalogue.graphs):,}"])
    return render.table(["graph", "kind", "triples"], rows, count=False)


def build_report(files: Sequence[InputFile], cache_dir: Path, reasoner: str = "native") -> str:
    """A build (ignoring a cached artifact of the same inputs; incremental when an earlier build
    with the same ontology is in the cache, else cold), then a warm start from the cache; both timed.

    ``reasoner`` (``native`` or ``owlrl``) computes the closure; it is part of the cache key.

    Raises:
        DataLoadError, ValidationFailed, ReasoningError: from :func:`conflict_graph.build.build`.
    """
    cold = builder.build(files, cache_dir=cache_dir, force=True, reasoner=reasoner)
    started = time.perf_counter()
    warm = builder.build(files, cache_dir=cache_dir, reasoner=reasoner)
    catalogue, _ = store.open_query_store(warm.artifact)
    warm_seconds = time.perf_counter() - started
    steps = ", ".join(f"{name} {_seconds(cold.catalogue.timings[name])}"
                      for name in ("load", "validate", "reason", "derivations", "write")
                      if name in cold.catalogue.timings)
    noise = sum(cold.removed_noise.values())
    lines = [
        f"{cold.mode} build:  {_seconds(cold.seconds)} ({steps})",
        f"warm start:  {_seconds(warm_seconds)} (cache {'hit' if warm.cached else 'miss'}; "
        f"{sum(g.triples for g in catalogue.graphs):,} quads loaded into the query store)",
        f"artifact:    {warm.artifact}",
        f"data version: {warm.catalogue.data_version}",
        f"ontology version: {warm.catalogue.ontology_version or '(none declared)'}",
        f"reasoner noise removed: {noise:,} triples"
        + (" (" + ", ".join(f"{k} {v:,}" for k, v in cold.removed_noise.items() if v) + ")" if noise else ""),
        "",
        graph_table(warm.catalogue),
    ]
    return "\n".join(lines)


def validate_files(files: Sequence[InputFile]) -> ConsistencyReport:
    """Load the files, run the SHACL shapes over the asserted graphs and reason over them (no
    cache); every SHACL result and OWL 2 RL inconsistency comes with its sentences."""
    return check.check_files(files)


EXPLAIN_FORMATS = ("text", "json", "turtle")


def explain_triple(artifact: Path, subject: str, predicate: str, obj: str, *,
                   derivation: int | None = None, fmt: str = "text") -> str:
    """Why ``subject predicate obj`` holds in a built dataset: a tree, JSON or Turtle (PROV-O).

    Raises:
        InputError: a term does not parse or occurs nowhere; an unknown format.
        NotFound: the triple is neither asserted nor entailed.
    """
    if fmt not in EXPLAIN_FORMATS:
        raise InputError(f"unknown format {fmt!r}; expected one of {', '.join(EXPLAIN_FORMATS)}")
    explanation = Explainer.open(artifact).explain_text(subject, predicate, obj, derivation)
    if fmt == "json":
        return json.dumps(explanation.to_json(), indent=2, ensure_ascii=False)
    if fmt == "turtle":
        data = ox.serialize(explanation_rdf(explanation), format=ox.RdfFormat.TURTLE, prefixes=RDF_PREFIXES)
        return (data or b"").decode("utf-8")
    return explanation_text(explanation)


_COUNTS = {
    "classes": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?x a ?t "
               "FILTER(isIRI(?x) && ?t IN (owl:Class, rdfs:Class)) }} }}",
    "properties": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?x a ?t "
                  "FILTER(isIRI(?x) && ?t IN (owl:ObjectProperty, owl:DatatypeProperty, "
                  "owl:AnnotationProperty, rdf:Property)) }} }}",
    "individuals": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ?t "
                   "FILTER(isIRI(?x) && STRSTARTS(STR(?x), \"{instances}\")) }}",
    "control assertions": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a cg:ControlAssertion }}",
    "statements about individuals (asserted)": "SELECT (COUNT(*) AS ?n) WHERE {{ ?x ?p ?o "
                                               "FILTER(STRSTARTS(STR(?x), \"{instances}\")) }}",
}


def stats_report(catalogue: Catalogue, opened: ox.Store) -> str:
    """Graphs and triple counts, then counts of classes, properties, individuals and assertions.

    Class and property counts come from the ontology graph; individuals (IRIs in the instance
    namespace with a type) and control assertions are counted with OWL 2 RL entailment, so a
    subclass instance counts for its superclass.
    """
    prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in render.DEFAULT_PREFIXES.items())
    rows = []
    for label, template in _COUNTS.items():
        text = prologue + template.format(ontology=iris.ONTOLOGY_GRAPH, instances=iris.ID)
        entailment = "simple" if "(asserted)" in label else "owl-rl"
        result = store.execute(opened, text, store.query_dataset(catalogue, entailment, unions=True))
        assert isinstance(result, ox.QuerySolutions)
        value = next(iter(result))["n"]
        rows.append([label, f"{int(value.value):,}" if isinstance(value, ox.Literal) else "?"])
    return "\n".join([graph_table(catalogue), "", render.table(["what", "count"], rows, count=False)])


def read_query(query: str) -> tuple[str, str]:
    """A query given as text, as a path to a ``.rq`` file, or ``-`` for standard input.

    Returns:
        (query text, where it came from: a file name or ``"query"``).

    Raises:
        DataLoadError: a ``.rq`` path that does not exist or cannot be read.
    """
    import sys

    if query == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(query)
    looks_like_file = query.endswith(".rq") and "\n" not in query and "{" not in query
    if looks_like_file or (len(query) < 4096 and "\n" not in query and path.is_file()):
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise DataLoadError(f"{path}: cannot read query file ({exc})") from exc
    return query, "query"


def run_query(catalogue: Catalogue, opened: ox.Store, text: str, *, entailment: str = "owl-rl",
              fmt: str = "table", origin: str = "query",
              bindings: Sequence[tuple[str, ox.NamedNode | ox.Literal]] = (),
              service_allowlist: Sequence[str] = ()) -> bytes:
    """Run a query over the default dataset of ``entailment`` and serialize its result.

    ``bindings`` (variable name → term) are bound by SPARQL substitution (a named query's parameters).
    The query passes the endpoint's guard first (:func:`conflict_graph.query.guard.check`): an
    update, or a ``SERVICE`` whose endpoint ``service_allowlist`` does not permit, is refused.

    Raises:
        QuerySyntaxError: the query does not parse (the message names ``origin``, line and column).
        QueryRefused: an update, or a ``SERVICE`` the allowlist does not permit.
        QueryError: the engine cannot evaluate it (an unknown function), or an allowed ``SERVICE``
            endpoint failed.
        InputError: unknown entailment or format.
    """
    if fmt not in render.FORMATS:
        raise InputError(f"unknown format {fmt!r}; expected one of {', '.join(render.FORMATS)}")
    try:
        guard.check(guard.inspect(text), service_allowlist)
        result = store.execute(opened, text, store.query_dataset(catalogue, entailment, unions=True),
                               bindings=bindings)
        return render.query_result(result, fmt, declared_prefixes(text))
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(f"{origin}: {exc}") from exc
    except (RuntimeError, OSError) as exc:  # pyoxigraph: an unknown function, a failed SERVICE
        raise QueryError(f"{origin}: the query cannot be evaluated: {' '.join(str(exc).split())}") from exc


def export(catalogue: Catalogue, opened: ox.Store, graphs: str = "all", fmt: str = "nquads",
           day: str | None = None) -> bytes:
    """One export of the built dataset as bytes (every format but ``release``, see :func:`export_release`).

    ``graphs`` chooses the asserted graphs, the inferred graph, or every graph (shapes included)
    for the quad formats; the ACLED-style CSV, the GeoJSON and the context read the whole dataset.

    Args:
        day: ``YYYY-MM-DD``; GeoJSON only: adds each place's control on that day.

    Raises:
        InputError: unknown graph selection or format, ``release`` (a folder, not bytes), a bad
            date, or a date for another format than GeoJSON.
    """
    if graphs not in EXPORT_GRAPHS or fmt not in EXPORT_FORMATS:
        raise InputError(f"--graphs must be one of {EXPORT_GRAPHS} and --format one of {EXPORT_FORMATS}")
    if fmt == "release":
        raise InputError("--format release writes a folder: give it with -o DIR")
    if fmt == "geojson":
        return export_geojson(catalogue, opened, day)
    if day is not None:
        raise InputError("--date applies only to --format geojson")
    source = LocalSource(catalogue, opened)
    if fmt == "acled":
        return acled_csv(source)
    if fmt == "context":
        return json_bytes(jsonld_context(source))
    inferred = catalogue.inferred_iri()
    chosen = {"asserted": catalogue.asserted_iris(),
              "inferred": (inferred,) if inferred else (),
              "all": catalogue.iris()}[graphs]
    if fmt == "jsonld":
        return dataset_jsonld(source, chosen)
    quads = [quad for iri in chosen for quad in opened.quads_for_pattern(None, None, None, ox.NamedNode(iri))]
    rdf_format = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG
    prefixes = dict(render.DEFAULT_PREFIXES) if fmt == "trig" else None
    return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""


def export_release(catalogue: Catalogue, opened: ox.Store, folder: Path, base_url: str) -> str:
    """Write every download into ``folder``; return a listing of the files and their checksums."""
    digests = write_release(LocalSource(catalogue, opened), folder, base_url=base_url)
    return "".join(f"{digests[name]}  {folder / name}\n" for name in release_files())


def export_geojson(catalogue: Catalogue, opened: ox.Store, day: str | None = None) -> bytes:
    """The GeoJSON FeatureCollection of places served at ``/api/places.geojson``.

    Raises:
        InputError: ``day`` is not a ``YYYY-MM-DD`` date.
    """
    from ..api import geojson
    from ..api.sparql_rows import store_runner

    chosen = geojson.parse_date(day) if day is not None else None
    collection = geojson.places(store_runner(catalogue, opened), chosen)
    return json_bytes(collection)
