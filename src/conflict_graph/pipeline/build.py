"""Build the dataset once (load → validate → reason → write) and cache the result.

The artifact of a build is a folder ``<cache_dir>/<key>/`` holding ``dataset.nq`` (every graph,
asserted and inferred), ``derivations.sqlite`` (every rule firing and inconsistency of the OWL 2
RL closure, see :mod:`conflict_graph.reasoning.store`), ``store/`` (the same quads in an on-disk
pyoxigraph store, with the union graphs queries use; see
:func:`~conflict_graph.query.store.write_query_store`) and ``meta.json`` (the
:class:`~conflict_graph.store.Catalogue` and the timings). ``key`` is a hash of every input's
graph assignment and bytes, of the reasoner, of this package's version and of the versions of
the libraries that shape the output (rdflib, owlrl, pySHACL, pyoxigraph), so any change to any of
them makes a new artifact. A cache hit reads only the input
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
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL
from rdflib.term import Node

from .. import __version__, iris
from . import inputs
from .. import reasoning
from ..reasoning import validation
from ..errors import DataLoadError, ReasoningError, SettingError, ValidationFailed
from . import increments
from .evidence_iris import name_evidence
from ..reasoning.derivation_rdf import DERIVATIONS_GRAPH, append_derivation_graph
from .inputs import InputFile, LoadedData
from ..query.store import DATASET_FILE, GRAPH_KINDS, META_FILE, STORE_DIR, Catalogue, GraphInfo, write_query_store

__all__ = ["CACHE_FORMAT", "BuildResult", "build", "cache_key", "find_artifact", "write_nquads"]

#: Bump when the artifact layout changes, so old caches are not read.
CACHE_FORMAT = "conflict-graph-artifact/7"
_LIBRARIES = ("rdflib", "owlrl", "pyshacl", "pyshacl-turbo", "pyoxigraph")


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` produced or found.

    Attributes:
        artifact: the artifact folder (pass it to :func:`conflict_graph.store.open_query_store`).
        catalogue: its graphs and versions.
        cached: True if the artifact came from the cache.
        seconds: wall time of this call.
        mode: ``cached`` (found in the cache), ``incremental`` (the closure of an earlier build
            with the same ontology, updated for the graphs whose files changed) or ``cold``.
        validation_text: the SHACL report of a cold build (empty on a cache hit).
        removed_noise: the reasoner's cleaning counts of a cold build (empty on a cache hit).
    """

    artifact: Path
    catalogue: Catalogue
    cached: bool
    seconds: float
    validation_text: str = ""
    removed_noise: dict[str, int] = field(default_factory=dict)
    mode: str = "cold"


def _library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def _versions(reasoner: str) -> str:
    """The artifact format, the versions that shape the output, and the reasoner."""
    libraries = "".join(f"{name}={_library_version(name)}\0" for name in _LIBRARIES)
    return f"{CACHE_FORMAT}\0conflict-graph={__version__}\0reasoner={reasoner}\0{libraries}"


def cache_key(files: Sequence[InputFile], reasoner: str = "native") -> str:
    """The hash naming the artifact of ``files`` reasoned by ``reasoner`` (also the ``data_version``).

    Raises:
        DataLoadError: a file is missing or unreadable.
    """
    digest = hashlib.sha256(_versions(reasoner).encode())
    for item in files:
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            raise DataLoadError(f"{item.path}: cannot read ({exc.strerror or exc})") from exc
        graph = item.graph if item.graph is not None else "quads, default graph " + item.default_graph
        digest.update(f"{item.kind}\0{item.format}\0{graph}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:32]


def find_artifact(cache_dir: Path, key: str, *, validated: bool = True,
                  allow_inconsistent: bool = False) -> Catalogue | None:
    """The catalogue of a complete cached artifact, or None (missing, unreadable, not validated,
    or inconsistent when that is not allowed)."""
    folder = Path(cache_dir) / key
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != CACHE_FORMAT or not (folder / DATASET_FILE).is_file() \
                or not (folder / reasoning.DERIVATIONS_FILE).is_file() \
                or not (folder / STORE_DIR).is_dir():
            return None
        if validated and not meta.get("validated"):
            return None
        if meta.get("inconsistent") and not allow_inconsistent:
            return None
        return Catalogue.from_json(meta)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ontology_version(dataset: Dataset) -> str | None:
    graph = Graph(store=dataset.store, identifier=iris.ONTOLOGY_GRAPH)
    found = graph.value(iris.ONTOLOGY_IRI, OWL.versionIRI) or next(graph.objects(None, OWL.versionIRI), None)
    return str(found) if found is not None else None


def _catalogue(loaded: LoadedData, key: str, timings: dict[str, float],
               written: Sequence[GraphInfo] = ()) -> Catalogue:
    kinds = dict(loaded.kinds)
    kinds[str(iris.INFERRED_GRAPH)] = "inferred"
    store = loaded.dataset.store
    graphs = [GraphInfo(iri, kind, len(Graph(store=store, identifier=URIRef(iri))))
              for iri, kind in kinds.items()] + list(written)
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


def write_nquads(dataset: Dataset, path: Path) -> None:
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
        if find_artifact(cache_dir, key, validated=validated, allow_inconsistent=True) is None:
            raise
    return final


def _write(cache_dir: Path, key: str, loaded: LoadedData, timings: dict[str, float],
           started: float, validated: bool, reasoned: reasoning.ReasoningReport,
           extra_meta: dict[str, object]) -> tuple[Path, Catalogue]:
    """Write ``dataset.nq``, ``derivations.sqlite`` and ``meta.json`` into a temporary folder,
    then publish it."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=cache_dir))
    os.chmod(temporary, 0o755)  # mkdtemp makes it private; an artifact is readable like any cache
    written: list[GraphInfo] = []
    try:
        mark = time.perf_counter()
        write_nquads(loaded.dataset, temporary / DATASET_FILE)
        timings["write"] = time.perf_counter() - mark
        if reasoned.engine is not None:
            mark = time.perf_counter()
            reasoning.write_derivations(temporary / reasoning.DERIVATIONS_FILE, reasoned.engine,
                                        loaded.dataset, reasoner=reasoned.reasoner)
            derivation_triples = append_derivation_graph(temporary, DATASET_FILE)
            written.append(GraphInfo(DERIVATIONS_GRAPH, "derivations", derivation_triples))
            timings["derivations"] = time.perf_counter() - mark
            if reasoned.reasoner == "native":
                names = {str(n): Graph(store=loaded.dataset.store, identifier=n) for n in reasoned.graphs}
                reasoning.save_state(temporary, reasoning.IncrementalClosure.from_engine(reasoned.engine, names))
        catalogue = _catalogue(loaded, key, timings, written)
        mark = time.perf_counter()
        stored = write_query_store(temporary, catalogue)  # the on-disk store every query worker opens
        timings["store"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        catalogue = replace(stored, timings=timings)
        meta = {"format": CACHE_FORMAT, "validated": validated, "inconsistent": bool(reasoned.errors),
                **catalogue.to_json(), **extra_meta}
        (temporary / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return _publish(cache_dir, key, temporary, validated), catalogue
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _fail_inconsistent(loaded: LoadedData, reasoned: reasoning.ReasoningReport) -> None:
    """Raise the ReasoningError of an inconsistent closure, naming the sentences behind it."""
    from ..reasoning.explain_text import consistency_text
    from .check import explain_problems

    report = explain_problems(loaded.dataset, reasoned)
    sentences = report.sentences()
    named = f"; sentences involved: {', '.join(sentences)}" if sentences else ""
    raise ReasoningError(f"the OWL 2 RL closure found {len(reasoned.errors)} problem(s): "
                         + "; ".join(reasoned.errors) + named, reasoned.errors, consistency_text(report))


def build(files: Sequence[InputFile], *, cache_dir: Path, force: bool = False,
          validate: bool = True, progress: Callable[[str], None] | None = None,
          reasoner: str = "native", allow_inconsistent: bool = False) -> BuildResult:
    """Load, validate and reason over ``files``; cache and return the artifact.

    Args:
        files: from :func:`conflict_graph.inputs.collect`.
        cache_dir: where artifacts live.
        force: ignore a cached artifact and build again (the cold path).
        validate: run the SHACL shapes (a cache hit then requires a validated artifact).
        allow_inconsistent: publish a closure with OWL 2 RL inconsistencies instead of failing, so
            a server can show them at ``/consistency``.
        progress: called with a one-line message before each slow step of a cold build, so a
            command can tell its user what it is waiting for.
        reasoner: ``native`` or ``owlrl``: whose OWL 2 RL closure is published (part of the key).

    Raises:
        DataLoadError: an input is missing, unreadable or malformed.
        ValidationFailed: the data violates the shapes (``report`` holds the readable report).
        ReasoningError: the OWL 2 RL closure found inconsistencies (``errors`` lists them).
    """
    started = time.perf_counter()
    cache_dir = Path(cache_dir)
    if reasoner not in reasoning.REASONERS:
        raise SettingError(f"unknown reasoner {reasoner!r}: expected one of {', '.join(reasoning.REASONERS)}")
    key = cache_key(files, reasoner)
    if not force:
        found = find_artifact(cache_dir, key, validated=validate, allow_inconsistent=allow_inconsistent)
        if found is not None:
            return BuildResult(cache_dir / key, found, True, time.perf_counter() - started, mode="cached")
    records = increments.file_records(files)
    base = increments.base_key(records, _versions(reasoner))

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
    reasoned, mode = _reason(loaded, reasoner, cache_dir, base, key, records, say)
    timings["reason"] = reasoned.seconds
    if reasoned.errors and not allow_inconsistent:
        _fail_inconsistent(loaded, reasoned)
    artifact, catalogue = _write(cache_dir, key, loaded, timings, started, validate, reasoned,
                                 {"reasoner": reasoner, "build": mode, "base_key": base, "files": records})
    return BuildResult(artifact, catalogue, False, time.perf_counter() - started, report_text,
                       reasoned.removed_noise, mode)


def _reason(loaded: LoadedData, reasoner: str, cache_dir: Path, base: str, key: str,
            records: list[dict[str, object]],
            say: Callable[[str], None]) -> tuple[reasoning.ReasoningReport, str]:
    """The closure: updated from the newest artifact with the same ontology if there is one
    (native reasoner only), else computed from scratch. Returns it and ``incremental``/``cold``."""
    found = increments.find_base(cache_dir, base, exclude=key) if reasoner == "native" else None
    if found is not None:
        folder, meta = found
        changed = increments.changed_graphs(meta.get("files", []), records)
        state = reasoning.load_state(folder) if changed is not None else None
        if state is not None and changed is not None:
            say(f"updating the OWL 2 RL closure of {folder.name} ({len(changed)} graph(s) changed)…")
            return reasoning.update(loaded.dataset, state, changed), "incremental"
    say("computing the OWL 2 RL closure…")
    return reasoning.materialize(loaded.dataset, reasoner=reasoner), "cold"
