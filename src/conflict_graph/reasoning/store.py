"""The derivation store: ``<artifact>/derivations.sqlite``, written by the build, read by servers.

It holds every fact of the closure (asserted in any graph, or inferred), the graphs each asserted
triple comes from, every recorded rule firing (rule id, premises, height) and every
inconsistency, and the evidence of the asserted triples already resolved down to the sentences
(:func:`.evidence.collect_evidence`), so a server explains a triple without reasoning again and
without reading the quads. Terms are stored in their N-Triples form (blank nodes keep the labels
the build gave them, in the index and in the evidence alike); a lookup of one triple is a few
indexed reads, whatever the size of the closure.

Tables::

    terms(id, nt)                        unique index on nt
    facts(id, s, p, o, inferred)         unique index on (s, p, o); inferred = in graph/inferred
    graphs(id, iri)      asserted(fact, graph)           index on fact
    rules(id, name)      derivations(fact, rank, rule, height, premises)   index on (fact, rank)
    inconsistencies(rule, message, premises)             premises: fact ids, comma-separated
    statement_evidence(s, p, o, rank, row)               index on (s, p, o, rank); terms as N-Triples
    node_evidence(node, rank, row)                       index on (node, rank); row: evidence as JSON
    meta(key, value)
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .. import iris
from ..errors import ReasoningError
from .engine import RULES, RuleEngine
from .evidence import Evidence, collect_evidence, from_row, sort_key, to_row
from .records import Derivation, Inconsistency, Term, Triple
from .terms import to_oxigraph

__all__ = ["DERIVATIONS_FILE", "DerivationIndex", "write_derivations"]

DERIVATIONS_FILE = "derivations.sqlite"
SCHEMA_VERSION = "3"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE terms(id INTEGER PRIMARY KEY, nt TEXT NOT NULL);
CREATE TABLE facts(id INTEGER PRIMARY KEY, s INTEGER NOT NULL, p INTEGER NOT NULL,
                   o INTEGER NOT NULL, inferred INTEGER NOT NULL);
CREATE TABLE graphs(id INTEGER PRIMARY KEY, iri TEXT NOT NULL);
CREATE TABLE asserted(fact INTEGER NOT NULL, graph INTEGER NOT NULL);
CREATE TABLE rules(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE derivations(fact INTEGER NOT NULL, rank INTEGER NOT NULL, rule INTEGER NOT NULL,
                         height INTEGER NOT NULL, premises TEXT NOT NULL);
CREATE TABLE inconsistencies(rule INTEGER NOT NULL, message TEXT NOT NULL, premises TEXT NOT NULL);
CREATE TABLE statement_evidence(s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, rank INTEGER NOT NULL,
                                row TEXT NOT NULL);
CREATE TABLE node_evidence(node TEXT NOT NULL, rank INTEGER NOT NULL, row TEXT NOT NULL);
"""
_INDEXES = """
CREATE UNIQUE INDEX terms_nt ON terms(nt);
CREATE UNIQUE INDEX facts_spo ON facts(s, p, o);
CREATE INDEX asserted_fact ON asserted(fact);
CREATE INDEX derivations_fact ON derivations(fact, rank);
CREATE INDEX statement_evidence_spo ON statement_evidence(s, p, o, rank);
CREATE INDEX node_evidence_node ON node_evidence(node, rank);
"""



class _Writer:
    """Assigns store ids to terms and facts that the engine does not know (shapes, owlrl-only)."""

    def __init__(self, engine: RuleEngine) -> None:
        self.engine = engine
        self.extra_terms: dict[Node, int] = {}
        self.extra_facts: dict[tuple[int, int, int], int] = {}
        self.next_fact = len(engine.facts)

    def term(self, term: Node) -> int:
        found = self.engine.terms.find(term)
        if found is None:
            found = self.extra_terms.get(term)
            if found is None:
                found = self.extra_terms[term] = len(self.engine.terms) + len(self.extra_terms)
        return found

    def fact(self, triple: tuple[Node, Node, Node]) -> int:
        key = (self.term(triple[0]), self.term(triple[1]), self.term(triple[2]))
        found = self.engine.fid.get(key)
        if found is None:
            found = self.extra_facts.get(key)
            if found is None:
                found = self.extra_facts[key] = self.next_fact
                self.next_fact += 1
        return found


def _ids(premises: Iterable[int]) -> str:
    return ",".join(map(str, premises))


def write_derivations(path: Path, engine: RuleEngine, dataset: Dataset, *, reasoner: str = "native") -> int:
    """Write the store of ``engine``'s closure and of ``dataset``'s graphs to ``path``.

    Args:
        path: the file to create (replaced if it exists).
        engine: the native engine that reasoned over ``dataset``.
        dataset: the asserted graphs and ``graph/inferred`` as published.
        reasoner: whose closure ``graph/inferred`` holds (recorded in ``meta``).

    Returns:
        The number of derivations written.
    """
    path = Path(path)
    path.unlink(missing_ok=True)
    writer = _Writer(engine)
    graph_ids: dict[str, int] = {}
    asserted: list[tuple[int, int]] = []
    for g in dataset.graphs():
        if g.identifier in (iris.INFERRED_GRAPH, DATASET_DEFAULT_GRAPH_ID):
            continue
        gid = graph_ids.setdefault(str(g.identifier), len(graph_ids))
        asserted += [(writer.fact(t), gid) for t in g]
    inferred = {writer.fact(t) for t in Graph(store=dataset.store, identifier=iris.INFERRED_GRAPH)}
    statements, nodes = collect_evidence(_asserted_graphs(dataset))
    heights = engine.min_heights()
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        connection.executemany("INSERT INTO meta VALUES (?, ?)",
                               [("schema", SCHEMA_VERSION), ("reasoner", reasoner)])
        connection.executemany("INSERT INTO rules VALUES (?, ?)", enumerate(RULES))
        connection.executemany("INSERT INTO graphs VALUES (?, ?)", ((i, g) for g, i in graph_ids.items()))
        nt = [str(to_oxigraph(t)) for t in [*engine.terms.terms, *writer.extra_terms]]
        connection.executemany("INSERT INTO terms VALUES (?, ?)", enumerate(nt))
        facts = [(f, *t, 1 if f in inferred else 0) for f, t in enumerate(engine.facts) if t is not None]
        facts += [(f, *t, 1 if f in inferred else 0) for t, f in writer.extra_facts.items()]
        connection.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?)", facts)
        connection.executemany("INSERT INTO asserted VALUES (?, ?)", sorted(set(asserted)))
        written = connection.executemany("INSERT INTO derivations VALUES (?, ?, ?, ?, ?)",
                                         _derivation_rows(engine, heights, nt)).rowcount
        connection.executemany("INSERT INTO inconsistencies VALUES (?, ?, ?)",
                               ((rule, message, _ids(premises)) for rule, premises, message
                                in sorted(engine.inconsistencies, key=lambda i: (RULES[i[0]], i[2]))))
        connection.executemany("INSERT INTO statement_evidence VALUES (?, ?, ?, ?, ?)", (
            (*key, rank, to_row(item)) for rank, (key, item) in enumerate(sorted(
                ((tuple(map(str, t)), item) for t, item in statements),
                key=lambda row: (row[0], sort_key(row[1]))))))
        connection.executemany("INSERT INTO node_evidence VALUES (?, ?, ?)", (
            (str(node), rank, to_row(item)) for rank, (node, item) in enumerate(nodes)))
        connection.executescript(_INDEXES)
        connection.commit()
    finally:
        connection.close()
    return written


def _asserted_graphs(dataset: Dataset) -> Iterator[Graph]:
    skip = {iris.INFERRED_GRAPH, iris.SHAPES_GRAPH, DATASET_DEFAULT_GRAPH_ID}
    return (g for g in dataset.graphs() if g.identifier not in skip)


def _derivation_rows(engine: RuleEngine, heights: list[int],
                     nt: list[str]) -> Iterator[tuple[int, int, int, int, str]]:
    """One row per distinct derivation, ranked within its fact by (height, rule id, premises in
    N-Triples): shortest first, and the same order whatever order the rules fired in."""
    by_fact: dict[int, set[tuple[int, tuple[int, ...]]]] = {}
    for f, rule, premises in zip(engine.d_fact, engine.d_rule, engine.d_premises):
        if premises is not None:
            by_fact.setdefault(f, set()).add((rule, premises))
    facts = engine.facts

    def key(item: tuple[int, tuple[int, ...]]) -> tuple[int, str, tuple[tuple[str, ...], ...]]:
        rule, premises = item
        height = 1 + max((heights[p] for p in premises), default=0)
        return height, RULES[rule], tuple(tuple(nt[t] for t in facts[p]) for p in premises)  # type: ignore[union-attr]

    for f in sorted(by_fact):
        found = by_fact[f]
        ranked = sorted(found, key=key) if len(found) > 1 else list(found)
        for rank, (rule, premises) in enumerate(ranked):
            height = 1 + max((heights[p] for p in premises), default=0)
            yield f, rank, rule, height, _ids(premises)


#: Term ids remembered by one index (cleared when full).
_TERM_CACHE = 100_000


class DerivationIndex:
    """Read-only access to ``<artifact>/derivations.sqlite`` (safe to share between threads)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._rules = dict(connection.execute("SELECT id, name FROM rules"))
        self._nt: dict[int, str] = {}
        self._ids: dict[str, int | None] = {}

    @classmethod
    def open(cls, artifact: Path) -> DerivationIndex:
        """Open the store of a build artifact folder read-only.

        Raises:
            ReasoningError: the artifact has no derivation store.
        """
        path = Path(artifact) / DERIVATIONS_FILE
        if not path.is_file():
            raise ReasoningError(f"{path}: no derivation store (rebuild with conflict-graph build)")
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                     check_same_thread=False)
        try:
            schema = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise ReasoningError(f"{path}: not a derivation store ({exc})") from exc
        if schema is None or schema[0] != SCHEMA_VERSION:
            connection.close()
            raise ReasoningError(f"{path}: derivation store format {schema[0] if schema else 'unknown'}, "
                                 f"this version reads {SCHEMA_VERSION} "
                                 "(rebuild with conflict-graph build --force)")
        return cls(connection)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> DerivationIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ lookups
    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._connection.execute(sql, args).fetchall()

    def _term_id(self, term: Term) -> int | None:
        text = str(term)
        if text in self._ids:
            return self._ids[text]
        rows = self._query("SELECT id FROM terms WHERE nt = ?", (text,))
        found = int(rows[0][0]) if rows else None  # type: ignore[call-overload]
        if len(self._ids) >= _TERM_CACHE:
            self._ids.clear()
        self._ids[text] = found
        return found

    def _fact(self, triple: Triple) -> tuple[int, int] | None:
        """``(fact id, inferred flag)`` of ``triple``, or None if it is not in the store."""
        ids = [self._term_id(t) for t in triple]
        if None in ids:
            return None
        rows = self._query("SELECT id, inferred FROM facts WHERE s = ? AND p = ? AND o = ?", tuple(ids))
        return (int(rows[0][0]), int(rows[0][1])) if rows else None  # type: ignore[call-overload]

    def knows(self, term: Term) -> bool:
        """True if ``term`` occurs in some triple of the store."""
        return self._term_id(term) is not None

    def asserted_in(self, triple: Triple) -> list[str]:
        """The IRIs of the graphs where ``triple`` is asserted (``[]`` if none)."""
        found = self._fact(triple)
        if found is None:
            return []
        rows = self._query("SELECT g.iri FROM asserted a JOIN graphs g ON g.id = a.graph "
                           "WHERE a.fact = ? ORDER BY g.iri", (found[0],))
        return [str(row[0]) for row in rows]

    def is_inferred(self, triple: Triple) -> bool:
        """True if ``triple`` is in ``graph/inferred`` (entailed and asserted nowhere)."""
        found = self._fact(triple)
        return found is not None and found[1] == 1

    def derivations(self, triple: Triple, limit: int = 20) -> list[Derivation]:
        """The recorded derivations of ``triple``, shortest (lowest tree) first."""
        found = self._fact(triple)
        if found is None:
            return []
        rows = self._query("SELECT rule, height, premises FROM derivations WHERE fact = ? "
                           "ORDER BY rank LIMIT ?", (found[0], limit))
        return [Derivation(self._rules[int(rule)], self._triples(str(premises)), int(height))  # type: ignore[call-overload]
                for rule, height, premises in rows]

    def derivation_count(self, triple: Triple) -> int:
        """How many derivations of ``triple`` are recorded."""
        found = self._fact(triple)
        if found is None:
            return 0
        return int(self._query("SELECT count(*) FROM derivations WHERE fact = ?", (found[0],))[0][0])  # type: ignore[call-overload]

    def evidence(self, triple: Triple, limit: int = 20) -> tuple[list[Evidence], int]:
        """The first ``limit`` pieces of evidence of ``triple`` in display order, and how many
        there are in all: the evidence of the ``cg:TripleStatement`` nodes stating it and the evidence
        its subject carries itself (:mod:`.evidence`)."""
        s, p, o = (str(t) for t in triple)
        stated = self._query("SELECT row FROM statement_evidence WHERE s = ? AND p = ? AND o = ? "
                             "ORDER BY rank LIMIT ?", (s, p, o, limit))
        total = len(stated)
        if total == limit:
            total = int(self._query("SELECT count(*) FROM statement_evidence WHERE s = ? AND p = ? AND o = ?",
                                    (s, p, o))[0][0])  # type: ignore[call-overload]
        carried, carried_total = self.node_evidence(triple[0], limit)
        found = sorted([from_row(str(row[0])) for row in stated] + carried, key=sort_key)
        return found[:limit], total + carried_total

    def node_evidence(self, node: Term, limit: int = 20) -> tuple[list[Evidence], int]:
        """The first ``limit`` pieces of evidence ``node`` carries itself, and how many in all."""
        rows = self._query("SELECT row FROM node_evidence WHERE node = ? ORDER BY rank LIMIT ?",
                           (str(node), limit))
        total = len(rows)
        if total == limit:
            total = int(self._query("SELECT count(*) FROM node_evidence WHERE node = ?", (str(node),))[0][0])  # type: ignore[call-overload]
        return [from_row(str(row[0])) for row in rows], total

    def inconsistencies(self) -> list[Inconsistency]:
        """Every inconsistency the engine found (rule, premises, message)."""
        rows = self._query("SELECT rule, message, premises FROM inconsistencies ORDER BY rowid")
        return [Inconsistency(self._rules[int(rule)], self._triples(str(premises)), str(message))  # type: ignore[call-overload]
                for rule, message, premises in rows]

    def sample_inferred(self, count: int, seed: int) -> list[Triple]:
        """``count`` triples of ``graph/inferred`` chosen at random (seeded), in the order chosen."""
        ids = [int(row[0]) for row in self._query("SELECT id FROM facts WHERE inferred = 1 ORDER BY id")]  # type: ignore[call-overload]
        chosen = random.Random(seed).sample(ids, min(count, len(ids)))
        return [self._triples(str(fact))[0] for fact in chosen]

    def inferred_triples(self) -> Iterator[Triple]:
        """Every triple of ``graph/inferred``."""
        rows = self._query("SELECT s, p, o FROM facts WHERE inferred = 1 ORDER BY id")
        for s, p, o in rows:
            yield self._decode(f"{self._nt_of(int(s))} {self._nt_of(int(p))} {self._nt_of(int(o))} .")  # type: ignore[call-overload]

    # ------------------------------------------------------------------ decoding
    def _nt_of(self, term_id: int) -> str:
        found = self._nt.get(term_id)
        if found is None:
            rows = self._query("SELECT nt FROM terms WHERE id = ?", (term_id,))
            found = self._nt[term_id] = str(rows[0][0])
        return found

    def _triples(self, premises: str) -> tuple[Triple, ...]:
        if not premises:
            return ()
        ids = [int(x) for x in premises.split(",")]
        marks = ",".join("?" * len(ids))
        rows = {int(row[0]): row[1:] for row in self._query(  # type: ignore[call-overload]
            f"SELECT id, s, p, o FROM facts WHERE id IN ({marks})", tuple(ids))}
        return tuple(self._decode(" ".join(self._nt_of(int(t)) for t in rows[i]) + " .")  # type: ignore[call-overload]
                     for i in ids)

    @staticmethod
    def _decode(line: str) -> Triple:
        (triple,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
        return triple.subject, triple.predicate, triple.object
