"""Query side of a built dataset: the catalogue of graphs, a pyoxigraph store, the query dataset.

A build (:mod:`conflict_graph.build`) leaves an artifact folder holding ``dataset.nq`` (every graph,
asserted and inferred) and ``meta.json`` (the :class:`Catalogue`). This module opens it and answers
SPARQL queries over it. It never imports owlrl and never parses RDF with rdflib.

Query dataset rules (see :func:`query_dataset`):

* entailment ``simple``: the default graph is the union of the asserted graphs;
* entailment ``owl-rl`` (default): the union of the asserted graphs and ``graph/inferred``;
* ``graph/asserted`` and ``graph/all`` are virtual graphs that expand to their members wherever
  they are named (``default-graph-uri``, ``named-graph-uri``, ``FROM``, ``FROM NAMED``);
* protocol graphs replace the query's own dataset entirely (SPARQL 1.1 Protocol §2.1.4).

The default graph of SPARQL is an RDF merge: a set of triples. pyoxigraph, given several graphs
as the default graph, concatenates them (a triple asserted in two files would match twice), and a
join over a list of graphs costs 2-3x one over a single graph. So the build writes, once, an
on-disk store (:func:`write_query_store`, folder ``store/`` of the artifact) holding every graph
of ``dataset.nq`` plus the set union ``…/graph/all`` (asserted and inferred) as the store's own
default graph: Oxigraph keeps default-graph triples in three indexes of three terms, named-graph
quads in six of four, so the largest union costs the least there. The ``owl-rl`` default graph
(the default) is that one graph. When only one of its members holds triples (one data file and
an empty closure), that member already is the union: nothing is copied, and the ``owl-rl``
default graph is that named graph (:attr:`Catalogue.all_union_graph`). The ``simple`` default
graph is the list of the asserted graphs when they share no triple (then their concatenation is
already a set, and no triple is stored a third time); only when they do share triples does the
build also store their set union ``…/graph/asserted`` as a named graph
(:attr:`Catalogue.asserted_union_stored`; see :func:`graph_name`, :func:`default_graph_iris`).
Every query worker opens the same files read-only (:func:`open_query_store`) and nothing is
copied per worker. The unions are never offered to ``GRAPH ?g``; wherever a client names them,
they are virtual graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from .. import iri_text
from ..errors import DataLoadError, InputError, QuerySyntaxError
from .sparql_dataset import DatasetClause, dataset_clause

__all__ = [
    "DATASET_FILE",
    "ENTAILMENTS",
    "GRAPH_KINDS",
    "META_FILE",
    "STATISTICS_FILE",
    "STORE_DIR",
    "UNION_GRAPH",
    "UNION_GRAPHS",
    "Catalogue",
    "GraphInfo",
    "QueryDataset",
    "default_graph_iris",
    "execute",
    "open_query_store",
    "open_store",
    "query_dataset",
    "read_catalogue",
    "read_statistics",
    "statistics_groups",
    "write_query_store",
]

#: Entailment regimes a query can ask for: none beyond the asserted triples, or OWL 2 RL.
ENTAILMENTS: tuple[str, ...] = ("simple", "owl-rl")
#: What a named graph holds; ``asserted_iris`` covers every kind but ``shapes``, ``inferred`` and
#: ``derivations`` (the first derivation of every inferred triple, in PROV-O; never in a default graph).
GRAPH_KINDS: tuple[str, ...] = ("ontology", "shapes", "source", "background", "user", "inferred",
                                "derivations")
#: File names inside an artifact folder.
DATASET_FILE = "dataset.nq"
META_FILE = "meta.json"
#: The folder of the artifact holding the on-disk query store (:func:`write_query_store`).
STORE_DIR = "store"
#: The file of the artifact holding the VoID statistics of its graphs (:func:`read_statistics`).
STATISTICS_FILE = "statistics.json"
#: The store graph holding the set union of the asserted graphs (the ``simple`` default graph).
UNION_GRAPH = iri_text.ASSERTED_GRAPH
#: The store graph holding the set union of the asserted and inferred graphs (``owl-rl``).
ALL_UNION_GRAPH = iri_text.ALL_GRAPH
#: Every precomputed union graph of the query store.
UNION_GRAPHS: tuple[str, ...] = (UNION_GRAPH, ALL_UNION_GRAPH)

_NOT_ASSERTED = frozenset({"inferred", "shapes", "derivations"})
Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class GraphInfo:
    """One named graph of the dataset.

    Attributes:
        iri: the graph's IRI.
        kind: one of :data:`GRAPH_KINDS`.
        triples: how many triples it holds.
    """

    iri: str
    kind: str
    triples: int


@dataclass(frozen=True)
class Catalogue:
    """The named graphs of one build, with the versions that identify it.

    Attributes:
        graphs: every real named graph, in a stable order.
        data_version: the build's cache key (changes whenever any input byte changes).
        ontology_version: the ``owl:versionIRI`` of the ontology, if it declares one.
        timings: seconds spent per build step (``load``, ``validate``, ``reason``, ``write``).
        asserted_union_stored: whether the query store holds :data:`UNION_GRAPH` (the asserted
            graphs share triples) or not (they share none: the ``simple`` default graph is their
            list); see :func:`write_query_store`.
        all_union_graph: the graph of the query store holding the ``owl-rl`` default graph:
            :data:`ALL_UNION_GRAPH` (the store's default graph, a copy of its members) or, when
            only one of its members holds triples, the IRI of that member (no copy).
    """

    graphs: tuple[GraphInfo, ...]
    data_version: str
    ontology_version: str | None
    timings: Mapping[str, float] = field(default_factory=dict)
    asserted_union_stored: bool = True
    all_union_graph: str = ALL_UNION_GRAPH

    def asserted_iris(self) -> tuple[str, ...]:
        """IRIs of every asserted graph: all graphs except ``inferred`` and ``shapes``."""
        return tuple(g.iri for g in self.graphs if g.kind not in _NOT_ASSERTED)

    def inferred_iri(self) -> str | None:
        """IRI of the inferred graph, or None if the build has none."""
        return next((g.iri for g in self.graphs if g.kind == "inferred"), None)

    def iris(self) -> tuple[str, ...]:
        """IRIs of every real named graph (asserted, shapes and inferred)."""
        return tuple(g.iri for g in self.graphs)

    def graph(self, iri: str) -> GraphInfo | None:
        """The graph with this IRI, or None if the build has no such graph."""
        return next((g for g in self.graphs if g.iri == str(iri)), None)

    def virtual_graphs(self) -> dict[str, tuple[str, ...]]:
        """The virtual graph IRIs and the real graphs each one stands for."""
        asserted = self.asserted_iris()
        inferred = self.inferred_iri()
        return {
            iri_text.ASSERTED_GRAPH: asserted,
            iri_text.ALL_GRAPH: asserted + ((inferred,) if inferred else ()),
        }

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the content of ``meta.json``)."""
        return {
            "data_version": self.data_version,
            "ontology_version": self.ontology_version,
            "graphs": [{"iri": g.iri, "kind": g.kind, "triples": g.triples} for g in self.graphs],
            "timings": dict(self.timings),
            "asserted_union_stored": self.asserted_union_stored,
            "all_union_graph": self.all_union_graph,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Catalogue:
        """Rebuild a catalogue from :meth:`to_json` output; unknown keys are ignored."""
        return cls(
            graphs=tuple(GraphInfo(str(g["iri"]), str(g["kind"]), int(g["triples"]))
                         for g in data["graphs"]),
            data_version=str(data["data_version"]),
            ontology_version=data.get("ontology_version"),
            timings={str(k): float(v) for k, v in (data.get("timings") or {}).items()},
            asserted_union_stored=bool(data.get("asserted_union_stored", True)),
            all_union_graph=str(data.get("all_union_graph", ALL_UNION_GRAPH)),
        )


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a query runs against (SPARQL 1.1 Query §13).

    Attributes:
        default_graph: the graphs merged into the query's default graph.
        named_graphs: the graphs a ``GRAPH`` clause may match (None: every graph of the store).
        replaces_query_dataset: True when the protocol named graphs, so the query's ``FROM`` and
            ``FROM NAMED`` are ignored (SPARQL 1.1 Protocol §2.1.4).
        virtual_graphs: virtual graph IRI → member IRIs, used to expand a query's own ``FROM NAMED``
            (and its ``FROM``, unless ``default_virtual_graphs`` is given).
        default_virtual_graphs: virtual graph IRI → the graphs it stands for in a ``FROM`` (the
            union graph, with ``unions=True``).
    """

    default_graph: list[ox.NamedNode | ox.DefaultGraph]
    named_graphs: list[ox.NamedNode] | None
    replaces_query_dataset: bool = False
    virtual_graphs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default_virtual_graphs: Mapping[str, tuple[str, ...]] | None = None


def read_catalogue(artifact: Path) -> Catalogue:
    """Read ``meta.json`` from an artifact folder.

    Raises:
        DataLoadError: the file is missing or is not a catalogue.
    """
    import json

    path = Path(artifact) / META_FILE
    try:
        return Catalogue.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataLoadError(f"{path}: not a readable catalogue ({exc})") from exc


def open_store(artifact: Path) -> ox.Store:
    """Open an in-memory pyoxigraph store holding every quad of a built dataset.

    Args:
        artifact: an artifact folder (holding ``dataset.nq``) or the N-Quads file itself.

    Raises:
        DataLoadError: the file is missing or does not parse; the message names file and line.
    """
    path = Path(artifact)
    if path.is_dir():
        path = path / DATASET_FILE
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except OSError as exc:
        raise DataLoadError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except SyntaxError as exc:
        raise DataLoadError(f"{path}: {exc}") from exc
    return store


def write_query_store(artifact: Path, catalogue: Catalogue) -> Catalogue:
    """Write the on-disk query store of an artifact: every quad of ``dataset.nq`` and, as sets,
    the union :data:`ALL_UNION_GRAPH` (the store's default graph) unless only one of its members
    holds triples, and the union :data:`UNION_GRAPH` (a named graph) only when the asserted graphs
    share a triple. Called once per build, before the artifact is published.

    Whether one member holds all the triples is read from the catalogue's counts. The asserted
    graphs share no triple exactly when the sizes of the members add up to the size of the
    ``owl-rl`` default graph (the inferred graph holds no asserted triple; were it to, the sum
    would exceed that size, and the union is stored, which is always correct).

    The store is not compacted after the bulk load (neither ``Store.optimize()`` nor RocksDB's
    own background compaction, which :func:`_bulk_load` leaves no time to start): compaction
    rewrites the bulk loader's files at twice their size, for scans
    1.1-1.5x faster at 10^6 triples (``docs/benchmarks.md``, "Memory and disk").

    Returns:
        ``catalogue`` with :attr:`Catalogue.asserted_union_stored` and
        :attr:`Catalogue.all_union_graph` set.

    Raises:
        DataLoadError: ``dataset.nq`` is missing or does not parse.
    """
    folder = Path(artifact) / STORE_DIR
    source = Path(artifact) / DATASET_FILE
    members = catalogue.virtual_graphs()[ALL_UNION_GRAPH]
    holding = [graph.iri for graph in catalogue.graphs if graph.iri in members and graph.triples]
    all_union = holding[0] if len(holding) == 1 else ALL_UNION_GRAPH

    try:
        # one bulk load per graph of the store that is written, so each index holds one sorted
        # run of keys per load: a union loaded together with its members was split across
        # overlapping files, and scans over it were 1.3x slower at 10^6 triples
        _bulk_load(folder, ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS))
        if all_union == ALL_UNION_GRAPH:  # the bulk loader keeps one copy of a repeated quad
            _bulk_load(folder, _copied(source, frozenset(members), ox.DefaultGraph()))
        opened = ox.Store.read_only(str(folder))
        sizes = {iri: _size(opened, iri) for iri in members}
        if all_union != ALL_UNION_GRAPH and sum(sizes.values()) != sizes[all_union]:
            raise DataLoadError(f"{source}: the catalogue's triple counts do not match the file")
        shared = sum(sizes.values()) != _size(opened, all_union)
        if shared:
            del opened
            asserted = frozenset(catalogue.asserted_iris())
            _bulk_load(folder, _copied(source, asserted, ox.NamedNode(UNION_GRAPH)))
            opened = ox.Store.read_only(str(folder))
        catalogue = replace(catalogue, asserted_union_stored=shared, all_union_graph=all_union)
        _write_statistics(opened, catalogue, Path(artifact) / STATISTICS_FILE)
        del opened
    except OSError as exc:
        raise DataLoadError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    except SyntaxError as exc:
        raise DataLoadError(f"{source}: {exc}") from exc
    return catalogue


def _copied(source: Path, graphs: frozenset[str],
            into: ox.NamedNode | ox.DefaultGraph) -> Iterable[ox.Quad]:
    """The triples of ``graphs`` in the N-Quads file ``source``, as quads of ``into``."""
    for quad in ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in graphs:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, into)


def _bulk_load(folder: Path, quads: Iterable[ox.Quad]) -> None:
    """Add ``quads`` to the store in ``folder`` with the bulk loader, then close it at once: left
    open, RocksDB compacts the loaded files in the background, doubling the store (measured at
    10^6 triples: 157 against 317 MB)."""
    written = ox.Store(str(folder))
    written.bulk_extend(quads)
    written.flush()
    del written


def _size(opened: ox.Store, iri: str) -> int:
    """Triples in one graph of a store (:data:`ALL_UNION_GRAPH`: its default graph)."""
    solutions = opened.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph_name(iri))
    return int(next(iter(solutions))["n"].value)  # type: ignore[index, union-attr, arg-type]


def statistics_groups(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """What the VoID statistics count: each real graph, the virtual graphs, and each entailment's
    default graph (``default:simple``, ``default:owl-rl``), as name → graphs of the query store."""
    groups: dict[str, tuple[str, ...]] = {iri: (iri,) for iri in catalogue.iris()}
    groups[ALL_UNION_GRAPH] = default_graph_iris(catalogue, "owl-rl", unions=True)
    groups[UNION_GRAPH] = default_graph_iris(catalogue, "simple", unions=True)
    for entailment in ENTAILMENTS:
        groups[f"default:{entailment}"] = default_graph_iris(catalogue, entailment, unions=True)
    return groups


def _write_statistics(opened: ox.Store, catalogue: Catalogue, path: Path) -> None:
    """Count the statistics once, at build time: at 10^6 triples they take seconds."""
    import json

    from .jobs import StatsJob, graph_statistics

    groups = statistics_groups(catalogue)
    distinct = {members: name for name, members in groups.items()}
    counted = graph_statistics(opened, StatsJob({name: members for members, name in distinct.items()}))
    counts = {name: counted[distinct[members]] for name, members in groups.items()}
    path.write_text(json.dumps(counts, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read_statistics(artifact: Path) -> dict[str, dict[str, int]] | None:
    """The VoID statistics the build counted (:func:`statistics_groups` → counts), or None when the
    artifact has none or they cannot be read."""
    import json

    try:
        data = json.loads((Path(artifact) / STATISTICS_FILE).read_text(encoding="utf-8"))
        return {str(name): {str(k): int(v) for k, v in counts.items()} for name, counts in data.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def open_query_store(artifact: Path) -> tuple[Catalogue, ox.Store]:
    """Open a built dataset ready for queries: its catalogue, and its on-disk store, read-only.

    This is what every query front end (the command line, each query worker) opens; every process
    shares the same files (and the operating system's page cache), so a worker holds no copy of
    the data.

    Raises:
        DataLoadError: the artifact is missing, or has no query store.
    """
    catalogue = read_catalogue(Path(artifact))
    folder = Path(artifact) / STORE_DIR
    if not folder.is_dir():
        raise DataLoadError(f"{folder}: no query store in this artifact (build it again)")
    try:
        return catalogue, ox.Store.read_only(str(folder))
    except OSError as exc:
        raise DataLoadError(f"{folder}: cannot open the query store ({exc})") from exc


def _union_expansion(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Virtual graph → the graphs of the query store that stand for it in a default graph."""
    return {UNION_GRAPH: default_graph_iris(catalogue, "simple", unions=True),
            ALL_UNION_GRAPH: default_graph_iris(catalogue, "owl-rl", unions=True)}


def default_graph_iris(catalogue: Catalogue, entailment: str, *, unions: bool = False) -> tuple[str, ...]:
    """The graphs whose merge is the default graph of a request that names no graphs.

    With ``unions`` (a query store of :func:`write_query_store`), that is one stored graph
    (:attr:`Catalogue.all_union_graph` for ``owl-rl``), except for ``simple`` when the asserted
    graphs share no triple: then it is the list of those that hold triples.
    """
    if unions and entailment == "owl-rl":
        return (catalogue.all_union_graph,)
    if unions and catalogue.asserted_union_stored:
        return (UNION_GRAPH,)
    members = catalogue.asserted_iris()
    if unions:
        return tuple(g.iri for g in catalogue.graphs if g.triples and g.iri in members)
    inferred = catalogue.inferred_iri()
    if entailment == "owl-rl" and inferred:
        members += (inferred,)
    return members


def graph_name(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    """The graph of the query store that holds ``iri``: :data:`ALL_UNION_GRAPH` is the store's
    default graph (:func:`write_query_store`; empty when :attr:`Catalogue.all_union_graph` names
    a member instead), every other IRI the named graph of that name."""
    return ox.DefaultGraph() if iri == ALL_UNION_GRAPH else ox.NamedNode(iri)


def _node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"not an absolute IRI: {iri!r} ({exc})") from exc


def _default_node(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri == ALL_UNION_GRAPH else _node(iri)


def _expand(uris: Iterable[str], virtual: Mapping[str, tuple[str, ...]]) -> list[str]:
    expanded: list[str] = []
    for uri in uris:
        for member in virtual.get(str(uri), (str(uri),)):
            if member not in expanded:
                expanded.append(member)
    return expanded


def _expand_default(uris: Iterable[str], in_default: Mapping[str, tuple[str, ...]] | None,
                    virtual: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Expand the graphs of a default graph; with a union graph present, drop the graphs it already
    holds, so the merge stays a set (SPARQL 1.1 Query §13.2)."""
    expanded = _expand(uris, in_default or virtual)
    if in_default is None:
        return expanded
    if ALL_UNION_GRAPH in expanded:
        expanded = [iri for iri in expanded if iri != UNION_GRAPH]
    subsumed = {member for union in UNION_GRAPHS if union in expanded for member in virtual.get(union, ())}
    return [iri for iri in expanded if iri in UNION_GRAPHS or iri not in subsumed]


def query_dataset(catalogue: Catalogue, entailment: str = "owl-rl",
                  default_graph_uris: Sequence[str] | None = None,
                  named_graph_uris: Sequence[str] | None = None, *, unions: bool = False) -> QueryDataset:
    """Work out the dataset of a query from the entailment regime and the protocol's graph IRIs.

    Without protocol graphs the default graph is the union of the asserted graphs (``simple``) or
    of the asserted and inferred graphs (``owl-rl``), plus the store's own default graph, and every
    real graph is available by name. If either ``default_graph_uris`` or ``named_graph_uris`` is
    given, together they replace the query's dataset and an omitted one is empty (SPARQL 1.1
    Protocol §2.1.4); they are then taken literally, whatever the entailment (name
    ``graph/all`` to include the inferred triples). Virtual graphs expand to their members.

    Args:
        catalogue: the graphs of the build.
        entailment: one of :data:`ENTAILMENTS`.
        default_graph_uris: the protocol's ``default-graph-uri`` values, if any.
        named_graph_uris: the protocol's ``named-graph-uri`` values, if any.
        unions: use the union graphs of :func:`write_query_store` (which the store must hold) for
            the default graph and for virtual graphs in it, so it is one graph and a set of triples.

    Raises:
        InputError: unknown entailment.
    """
    if entailment not in ENTAILMENTS:
        raise InputError(f"unknown entailment {entailment!r}; expected one of {', '.join(ENTAILMENTS)}")
    virtual = catalogue.virtual_graphs()
    in_default = _union_expansion(catalogue) if unions else None
    if default_graph_uris is None and named_graph_uris is None:
        members = default_graph_iris(catalogue, entailment, unions=unions)
        default: list[ox.NamedNode | ox.DefaultGraph] = [
            graph_name(i) if unions else ox.NamedNode(i) for i in members]
        if not unions:
            default.append(ox.DefaultGraph())
        return QueryDataset(default, [ox.NamedNode(i) for i in catalogue.iris()], False, virtual, in_default)
    return QueryDataset(
        [_default_node(i) if unions else _node(i)
         for i in _expand_default(default_graph_uris or (), in_default, virtual)],
        [_node(i) for i in _expand(named_graph_uris or (), virtual)],
        True,
        virtual,
        in_default,
    )


def execute(store: ox.Store, text: str, dataset: QueryDataset, *, base_iri: str | None = None,
            bindings: Sequence[tuple[str, ox.NamedNode | ox.Literal]] = (),
            clause: DatasetClause | None | Literal["read"] = "read") -> Result:
    """Run a SPARQL query over ``dataset`` in ``store``.

    If the protocol did not name graphs and the query has ``FROM``/``FROM NAMED`` clauses, those
    clauses define the dataset (SPARQL 1.1 Query §13.2), with virtual graphs expanded; a query
    with ``FROM NAMED`` but no ``FROM`` has an empty default graph and vice versa. Their IRIs are
    read as pyoxigraph reads them: ``\\u`` escapes replaced, relative IRIs resolved against the
    query's ``BASE`` or ``base_iri``.

    Warning:
        pyoxigraph evaluates ``SERVICE`` clauses itself, over the network. This function does not
        refuse them; callers serving untrusted queries must check the query first
        (``conflict_graph.guard``). ``FROM`` never fetches anything: an unknown graph is empty.

    Args:
        store: an open store (:func:`open_store`).
        text: the query (updates are rejected as syntax errors).
        dataset: from :func:`query_dataset`.
        base_iri: resolves relative IRIs in the query (None: relative IRIs are an error).
        bindings: variable name → value, bound by substitution (RDF-dev SEP-0007, pyoxigraph's
            ``substitutions=``): the value replaces the variable throughout the query, which must
            project it.
        clause: the query's ``FROM``/``FROM NAMED`` clauses as the checker already read them
            (None: it has none); ``"read"`` reads them from ``text`` here (a tokenization, about
            0.4 ms for a 1 KB query that mentions "from").

    Returns:
        ``QuerySolutions`` (SELECT), ``QueryBoolean`` (ASK) or ``QueryTriples`` (CONSTRUCT/DESCRIBE).

    Raises:
        QuerySyntaxError: the query does not parse; the message keeps pyoxigraph's
            ``line:column``.
    """
    default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(dataset.default_graph)
    named_graphs: list[ox.NamedNode | ox.BlankNode] | None = (
        None if dataset.named_graphs is None else list(dataset.named_graphs))
    if not dataset.replaces_query_dataset:
        if clause == "read":
            clause = dataset_clause(text, base_iri)
        if clause is not None:
            try:
                default_graph = [graph_name(i) for i in _expand_default(
                    clause.default, dataset.default_virtual_graphs, dataset.virtual_graphs)]
                named_graphs = [ox.NamedNode(i) for i in _expand(clause.named, dataset.virtual_graphs)]
            except ValueError:  # an IRI oxigraph rejects: its parser reports it below
                pass
    try:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = {
            ox.Variable(name): value for name, value in bindings} or None
        return store.query(text, base_iri=base_iri, default_graph=default_graph, named_graphs=named_graphs,
                           substitutions=substitutions)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"query syntax {exc}") from exc
