"""Build the dataset once (load → validate → reason → write) and cache the result.

The artifact of a build is a folder ``<cache_dir>/<key>/`` holding ``dataset.nq`` (every graph,
asserted and inferred), ``store/`` (the same quads in an on-disk pyoxigraph store, with the union
graphs queries use; see :func:`~conflict_graph.query.store.write_query_store`) and ``meta.json`` (the :class:`~conflict_graph.store.Catalogue` and the
timings). ``key`` is a hash of every input's graph assignment and bytes, of this package's
version and of the versions of the libraries that shape the output (rdflib, owlrl, pySHACL,
pyoxigraph), so any change to any of them makes a new artifact. A cache hit reads only the input
bytes (to hash them) and ``meta.json``: nothing is parsed with rdflib and owlrl is not imported.

Artifacts are written to a temporary folder and renamed into place, so concurrent builds of the
same inputs cannot leave a half-written artifact: the first rename wins, the others are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL
from rdflib.term import Node

from .. import __version__, iris
from . import inputs
from ..reasoning import owlrl_closure as reasoning, validation
from ..errors import DataLoadError, ReasoningError, ValidationFailed
from .evidence_iris import name_evidence
from .inputs import InputFile, LoadedData
from ..query.store import DATASET_FILE, GRAPH_KINDS, META_FILE, STORE_DIR, Catalogue, GraphInfo, write_query_store

__all__ = ["CACHE_FORMAT", "BuildResult", "build", "cache_key", "find_artifact"]

#: Bump when the artifact layout changes, so old caches are not read.
CACHE_FORMAT = "conflict-graph-artifact/2"
_LIBRARIES = ("rdflib", "owlrl", "pyshacl", "pyoxigraph")


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` produced or found.

    Attributes:
        artifact: the artifact folder (pass it to :func:`conflict_graph.store.open_query_store`).
        catalogue: its graphs and versions.
        cached: True if the artifact came from the cache.
        seconds: wall time of this call.
        validation_text: the SHACL report of a cold build (empty on a cache hit).
        removed_noise: the reasoner's cleaning counts of a cold build (empty on a cache hit).
    """

    artifact: Path
    catalogue: Catalogue
    cached: bool
    seconds: float
    validation_text: str = ""
    removed_noise: dict[str, int] = field(default_factory=dict)


def _library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def cache_key(files: Sequence[InputFile]) -> str:
    """The hash naming the artifact of ``files`` (also the build's ``data_version``).

    Raises:
        DataLoadError: a file is missing or unreadable.
    """
    digest = hashlib.sha256(CACHE_FORMAT.encode() + b"\0")
    digest.update(f"conflict-graph={__version__}\0".encode())
    for name in _LIBRARIES:
        digest.update(f"{name}={_library_version(name)}\0".encode())
    for item in files:
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            raise DataLoadError(f"{item.path}: cannot read ({exc.strerror or exc})") from exc
        graph = item.graph if item.graph is not None else "quads, default graph " + item.default_graph
        digest.update(f"{item.kind}\0{item.format}\0{graph}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:32]


def find_artifact(cache_dir: Path, key: str, *, validated: bool = True) -> Catalogue | None:
    """The catalogue of a complete cached artifact, or None (missing, unreadable, or not validated)."""
    folder = Path(cache_dir) / key
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != CACHE_FORMAT or not (folder / DATASET_FILE).is_file() \
                or not (folder / STORE_DIR).is_dir():
            return None
        if validated and not meta.get("validated"):
            return None
        return Catalogue.from_json(meta)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ontology_version(dataset: Dataset) -> str | None:
    graph = Graph(store=dataset.store, identifier=iris.ONTOLOGY_GRAPH)
    found = graph.value(iris.ONTOLOGY_IRI, OWL.versionIRI) or next(graph.objects(None, OWL.versionIRI), None)
    return str(found) if found is not None else None


def _catalogue(loaded: LoadedData, key: str, timings: dict[str, float]) -> Catalogue:
    kinds = dict(loaded.kinds)
    kinds[str(iris.INFERRED_GRAPH)] = "inferred"
    store = loaded.dataset.store
    graphs = [GraphInfo(iri, kind, len(Graph(store=store, identifier=URIRef(iri))))
              for iri, kind in kinds.items()]
    graphs.sort(key=lambda g: (GRAPH_KINDS.index(g.kind), g.iri))
    return Catalogue(tuple(graphs), key, _ontology_version(loaded.dataset), timings)


def _ox_resource(term: Node) -> ox.NamedNode | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    raise TypeError(f"cannot write {term!r} as an N-Quads subject")


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype))
        return ox.Literal(str(term))
    return _ox_resource(term)


def _write_nquads(dataset: Dataset, path: Path) -> None:
    """Write every named graph as N-Quads with pyoxigraph (exact escaping, and fast)."""
    quads = (ox.Quad(_ox_resource(s), ox.NamedNode(str(p)), _ox_term(o), ox.NamedNode(str(g)))
             for s, p, o, g in dataset.quads((None, None, None, None))
             if g is not None and g != DATASET_DEFAULT_GRAPH_ID)
    ox.serialize(quads, str(path), ox.RdfFormat.N_QUADS)


def _publish(cache_dir: Path, key: str, temporary: Path, validated: bool) -> Path:
    """Rename a complete temporary artifact folder into place (atomic on one file system)."""
    final = cache_dir / key
    if final.exists():  # a forced rebuild: move the old artifact aside first
        old = Path(tempfile.mkdtemp(prefix=f".{key}.old.", dir=cache_dir))
        try:
            os.replace(final, old / "artifact")
        except FileNotFoundError:
            pass
        shutil.rmtree(old, ignore_errors=True)
    try:
        os.rename(temporary, final)
    except OSError:  # another build of the same inputs got there first: theirs is identical
        if find_artifact(cache_dir, key, validated=validated) is None:
            raise
    return final


def _write(cache_dir: Path, key: str, loaded: LoadedData, timings: dict[str, float],
           started: float, validated: bool) -> tuple[Path, Catalogue]:
    """Write ``dataset.nq`` and ``meta.json`` into a temporary folder, then publish it."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=cache_dir))
    os.chmod(temporary, 0o755)  # mkdtemp makes it private; an artifact is readable like any cache
    try:
        mark = time.perf_counter()
        _write_nquads(loaded.dataset, temporary / DATASET_FILE)
        timings["write"] = time.perf_counter() - mark
        catalogue = _catalogue(loaded, key, timings)
        mark = time.perf_counter()
        write_query_store(temporary, catalogue)  # the on-disk store every query worker opens
        timings["store"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        meta = {"format": CACHE_FORMAT, "validated": validated, **catalogue.to_json()}
        (temporary / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return _publish(cache_dir, key, temporary, validated), catalogue
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def build(files: Sequence[InputFile], *, cache_dir: Path, force: bool = False,
          validate: bool = True, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Load, validate and reason over ``files``; cache and return the artifact.

    Args:
        files: from :func:`conflict_graph.inputs.collect`.
        cache_dir: where artifacts live.
        force: ignore a cached artifact and build again (the cold path).
        validate: run the SHACL shapes (a cache hit then requires a validated artifact).
        progress: called with a one-line message before each slow step of a cold build, so a
            command can tell its user what it is waiting for.

    Raises:
        DataLoadError: an input is missing, unreadable or malformed.
        ValidationFailed: the data violates the shapes (``report`` holds the readable report).
        ReasoningError: the OWL 2 RL closure found inconsistencies (``errors`` lists them).
    """
    started = time.perf_counter()
    cache_dir = Path(cache_dir)
    key = cache_key(files)
    if not force:
        found = find_artifact(cache_dir, key, validated=validate)
        if found is not None:
            return BuildResult(cache_dir / key, found, True, time.perf_counter() - started)

    say = progress or (lambda message: None)
    say(f"building the dataset from {len(files)} file(s) (cached afterwards in {cache_dir / key})")
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    loaded = inputs.load(files)
    name_evidence(loaded.dataset)
    timings["load"] = time.perf_counter() - mark
    report_text = ""
    if validate:
        say("validating with the SHACL shapes…")
        mark = time.perf_counter()
        report = validation.validate(loaded.dataset)
        timings["validate"] = time.perf_counter() - mark
        report_text = report.text
        if not report.conforms:
            failed = sum(1 for r in report.results if r.severity == "Violation")
            raise ValidationFailed(f"the data does not conform to the SHACL shapes ({failed} violation(s))",
                                   report.text)
    say("computing the OWL 2 RL closure…")
    reasoned = reasoning.materialize(loaded.dataset)
    timings["reason"] = reasoned.seconds
    if reasoned.errors:
        raise ReasoningError(f"the OWL 2 RL closure found {len(reasoned.errors)} problem(s): "
                             + "; ".join(reasoned.errors), reasoned.errors)
    artifact, catalogue = _write(cache_dir, key, loaded, timings, started, validate)
    return BuildResult(artifact, catalogue, False, time.perf_counter() - started, report_text,
                       reasoned.removed_noise)
