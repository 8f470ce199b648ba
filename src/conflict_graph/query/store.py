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
as the default graph, concatenates them, so a triple asserted in two files would match twice. A
server therefore materialises the set union of the asserted graphs once, when a query worker opens
the store (:func:`add_union_graph`, into the graph ``…/graph/asserted``), and a query dataset built
with ``unions=True`` uses it: the default graph is that union (``simple``), or that union and
``…/graph/inferred`` (``owl-rl``; the inferred graph holds no asserted triple, so the two are
disjoint). The union graph is never offered to ``GRAPH ?g``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import iris
from ..errors import DataLoadError, InputError, QuerySyntaxError
from .sparql_dataset import dataset_clause

__all__ = [
    "DATASET_FILE",
    "ENTAILMENTS",
    "GRAPH_KINDS",
    "META_FILE",
    "UNION_GRAPH",
    "Catalogue",
    "GraphInfo",
    "QueryDataset",
    "add_union_graph",
    "default_graph_iris",
    "execute",
    "open_query_store",
    "open_store",
    "query_dataset",
    "read_catalogue",
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
#: The graph :func:`add_union_graph` fills with the set union of the asserted graphs.
UNION_GRAPH = str(iris.ASSERTED_GRAPH)

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
    """

    graphs: tuple[GraphInfo, ...]
    data_version: str
    ontology_version: str | None
    timings: Mapping[str, float] = field(default_factory=dict)

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
            str(iris.ASSERTED_GRAPH): asserted,
            str(iris.ALL_GRAPH): asserted + ((inferred,) if inferred else ()),
        }

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the content of ``meta.json``)."""
        return {
            "data_version": self.data_version,
            "ontology_version": self.ontology_version,
            "graphs": [{"iri": g.iri, "kind": g.kind, "triples": g.triples} for g in self.graphs],
            "timings": dict(self.timings),
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


def open_query_store(artifact: Path) -> tuple[Catalogue, ox.Store]:
    """Open a built dataset ready for queries: its catalogue, and a store holding every quad plus
    the union graph that ``query_dataset(..., unions=True)`` relies on.

    This is what every query front end (the command line, each query worker) opens.

    Raises:
        DataLoadError: the artifact is missing or does not parse.
    """
    catalogue = read_catalogue(Path(artifact))
    opened = open_store(Path(artifact))
    add_union_graph(opened, catalogue)
    return catalogue, opened


def add_union_graph(store: ox.Store, catalogue: Catalogue) -> None:
    """Fill :data:`UNION_GRAPH` with the set union of the catalogue's asserted graphs.

    Done once per store, by :func:`open_query_store`; the graph is not in the catalogue, and
    :func:`query_dataset` never offers it to ``GRAPH ?g``.
    """
    members = " ".join(f"<{iri}>" for iri in catalogue.asserted_iris())
    if members:
        store.update(f"INSERT {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} "
                     f"WHERE {{ VALUES ?g {{ {members} }} GRAPH ?g {{ ?s ?p ?o }} }}")


def _union_expansion(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Virtual graph → the graphs it stands for as (part of) a default graph, with the union graph."""
    inferred = catalogue.inferred_iri()
    return {UNION_GRAPH: (UNION_GRAPH,),
            str(iris.ALL_GRAPH): (UNION_GRAPH,) + ((inferred,) if inferred else ())}


def default_graph_iris(catalogue: Catalogue, entailment: str, *, unions: bool = False) -> tuple[str, ...]:
    """The graphs whose merge is the default graph of a request that names no graphs."""
    members = (UNION_GRAPH,) if unions else catalogue.asserted_iris()
    inferred = catalogue.inferred_iri()
    if entailment == "owl-rl" and inferred:
        members += (inferred,)
    return members


def _node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"not an absolute IRI: {iri!r} ({exc})") from exc


def _expand(uris: Iterable[str], virtual: Mapping[str, tuple[str, ...]]) -> list[str]:
    expanded: list[str] = []
    for uri in uris:
        for member in virtual.get(str(uri), (str(uri),)):
            if member not in expanded:
                expanded.append(member)
    return expanded


def _expand_default(uris: Iterable[str], in_default: Mapping[str, tuple[str, ...]] | None,
                    virtual: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Expand the graphs of a default graph; with the union graph present, drop the asserted graphs
    it already holds, so the merge stays a set (SPARQL 1.1 Query §13.2)."""
    expanded = _expand(uris, in_default or virtual)
    if in_default is not None and UNION_GRAPH in expanded:
        subsumed = set(virtual.get(UNION_GRAPH, ()))
        expanded = [iri for iri in expanded if iri == UNION_GRAPH or iri not in subsumed]
    return expanded


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
        unions: use the union graph of :func:`add_union_graph` (which the store must hold) for
            the asserted graphs in the default graph, so it is a set of triples.

    Raises:
        InputError: unknown entailment.
    """
    if entailment not in ENTAILMENTS:
        raise InputError(f"unknown entailment {entailment!r}; expected one of {', '.join(ENTAILMENTS)}")
    virtual = catalogue.virtual_graphs()
    in_default = _union_expansion(catalogue) if unions else None
    if default_graph_uris is None and named_graph_uris is None:
        members = default_graph_iris(catalogue, entailment, unions=unions)
        default: list[ox.NamedNode | ox.DefaultGraph] = [ox.NamedNode(i) for i in members]
        default.append(ox.DefaultGraph())
        return QueryDataset(default, [ox.NamedNode(i) for i in catalogue.iris()], False, virtual, in_default)
    return QueryDataset(
        [_node(i) for i in _expand_default(default_graph_uris or (), in_default, virtual)],
        [_node(i) for i in _expand(named_graph_uris or (), virtual)],
        True,
        virtual,
        in_default,
    )


def execute(store: ox.Store, text: str, dataset: QueryDataset, *, base_iri: str | None = None,
            bindings: Sequence[tuple[str, ox.NamedNode | ox.Literal]] = ()) -> Result:
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
        clause = dataset_clause(text, base_iri)
        if clause is not None:
            try:
                default_graph = [ox.NamedNode(i) for i in _expand_default(
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
