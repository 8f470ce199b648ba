"""Input files: where they are, which named graph each file's triples go to, and loading them.

File → graph rule (see ``docs/architecture.md``):

=====================================  ==========================================
file                                   named graph
=====================================  ==========================================
``ontology/conflict-graph.ttl``        ``iris.ONTOLOGY_GRAPH`` (kind ``ontology``)
``ontology/shapes.ttl``                ``iris.SHAPES_GRAPH`` (kind ``shapes``)
``data/ttl/source/<slug>.ttl``         ``iris.source_graph(slug)`` (kind ``source``)
``data/ttl/source/<slug>/*.ttl``       ``iris.source_graph(slug)`` (one graph per folder)
``data/ttl/background/<slug>.ttl``     ``iris.background_graph(slug)`` (kind ``background``)
``data/ttl/background/<slug>/*.ttl``   ``iris.background_graph(slug)``
user file of triples (``--data``)      the file's ``file:`` URI (kind ``user``)
user TriG, N-Quads or JSON-LD file     its own named graphs; its default graph → the file's URI
=====================================  ==========================================

Files are parsed by pyoxigraph, which reports the line (and column) of every syntax error, never
fetches anything from the network (a remote JSON-LD ``@context`` is an error, not a download) and
is much faster than rdflib's parsers; the quads are then copied into an rdflib ``Dataset`` for
pySHACL and owlrl. Blank nodes are kept apart per file.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .. import iris
from ..errors import DataLoadError
from . import shape_guard
from .parsing import read_quads

__all__ = [
    "FORMATS",
    "QUAD_FORMATS",
    "RESERVED_GRAPHS",
    "InputFile",
    "LoadedData",
    "collect",
    "embedded_root",
    "embedded_files",
    "graph_kind",
    "input_file",
    "load",
]

#: File extension → pyoxigraph format name (also the rdflib format name, for the record).
FORMATS: dict[str, str] = {
    ".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads",
    ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
}
#: Formats that can carry named graphs: their graphs are kept as they are.
QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})
#: Graph IRIs no input file may write to: they are computed or virtual.
RESERVED_GRAPHS = frozenset({str(iris.INFERRED_GRAPH), str(iris.ASSERTED_GRAPH), str(iris.ALL_GRAPH)})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class InputFile:
    """One RDF file and where its triples go.

    Attributes:
        path: the file.
        format: a value of :data:`FORMATS`.
        graph: the named graph IRI for a file of triples; None for a quads file (TriG, N-Quads,
            JSON-LD), whose named graphs are kept and whose default graph goes to ``path``'s URI.
        kind: ``ontology``, ``shapes``, ``source``, ``background`` or ``user``.
    """

    path: Path
    format: str
    graph: str | None
    kind: str = "user"

    @property
    def default_graph(self) -> str:
        """Where the file's default-graph triples go."""
        return self.graph if self.graph is not None else self.path.resolve().as_uri()


@dataclass
class LoadedData:
    """An rdflib dataset of asserted graphs, and the kind of each graph.

    Attributes:
        dataset: the loaded graphs (never default-union).
        kinds: graph IRI → kind, in loading order.
    """

    dataset: Dataset
    kinds: dict[str, str] = field(default_factory=dict)


def graph_kind(graph: str, default: str = "user") -> str:
    """The kind of a graph named in a quads file: the project's own graph IRIs keep their kind."""
    if graph == str(iris.ONTOLOGY_GRAPH):
        return "ontology"
    if graph == str(iris.SHAPES_GRAPH):
        return "shapes"
    if graph.startswith(str(iris.source_graph(""))):
        return "source"
    if graph.startswith(str(iris.background_graph(""))):
        return "background"
    return default


def embedded_root() -> Path:
    """The folder holding ``ontology/``, ``data/ttl/`` and ``queries/``.

    An installed wheel carries them in ``conflict_graph/_embedded``; a source checkout has them
    at the repository root, next to ``src/``.
    """
    packaged = Path(__file__).resolve().parents[1] / "_embedded"
    if (packaged / "ontology").is_dir():
        return packaged
    return Path(__file__).resolve().parents[3]


def _format(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def _slug(path: Path, folder: Path) -> str:
    """``<folder>/<slug>.ttl`` or any file under ``<folder>/<slug>/`` → ``slug``."""
    parts = path.relative_to(folder).parts
    return Path(parts[0]).stem if len(parts) == 1 else parts[0]


def embedded_files(root: Path | None = None) -> list[InputFile]:
    """The project's own input files, by the file → graph rule, in a stable order.

    Raises:
        DataLoadError: the ontology file is missing.
    """
    root = embedded_root() if root is None else root
    ontology = root / "ontology" / "conflict-graph.ttl"
    if not ontology.is_file():
        raise DataLoadError(f"{ontology}: the project's ontology file is missing")
    files = [InputFile(ontology, "turtle", str(iris.ONTOLOGY_GRAPH), "ontology")]
    shapes = root / "ontology" / "shapes.ttl"
    if shapes.is_file():
        files.append(InputFile(shapes, "turtle", str(iris.SHAPES_GRAPH), "shapes"))
    for kind, mint in (("source", iris.source_graph), ("background", iris.background_graph)):
        folder = root / "data" / "ttl" / kind
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            fmt = _format(path)
            if path.is_file() and fmt is not None and fmt not in QUAD_FORMATS:
                files.append(InputFile(path, fmt, str(mint(_slug(path, folder))), kind))
    return files


def input_file(path: Path) -> InputFile:
    """A user file: triples go to the file's own URI; quads files keep their graphs.

    Raises:
        DataLoadError: the file has no known RDF extension.
    """
    fmt = _format(path)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise DataLoadError(f"{path}: unknown RDF file extension {path.suffix!r} (known: {known})")
    graph = None if fmt in QUAD_FORMATS else path.resolve().as_uri()
    return InputFile(path, fmt, graph, "user")


#: Extensions read from a ``--data`` file named explicitly, but not found in a folder: a folder
#: holds ``package.json``, ``tsconfig.json``... that are not JSON-LD.
_EXPLICIT_ONLY = frozenset({".json"})


def _in_folder(child: Path, folder: Path) -> bool:
    """True for a file a ``--data`` folder contributes: an RDF extension, nothing hidden on the way."""
    if not child.is_file() or _format(child) is None or child.suffix.lower() in _EXPLICIT_ONLY:
        return False
    return not any(part.startswith(".") for part in child.relative_to(folder).parts)


def _user_files(paths: Iterable[Path]) -> Iterator[InputFile]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if _in_folder(child, path):
                    yield input_file(child)
        elif path.exists():
            yield input_file(path)
        else:
            raise DataLoadError(f"{path}: no such file or folder")


def collect(include_embedded: bool = True, extra_paths: Iterable[Path] = ()) -> list[InputFile]:
    """Every input file: the project's own (unless excluded), then the user's, without repeats.

    Args:
        include_embedded: include ``ontology/`` and ``data/ttl/``.
        extra_paths: ``--data`` files or folders (folders are searched recursively for files
            with a known RDF extension, skipping hidden files and folders and ``.json`` files;
            a ``.json`` file named explicitly is read as JSON-LD).

    Raises:
        DataLoadError: a user path does not exist or has an unknown extension.
    """
    files = embedded_files() if include_embedded else []
    seen = {f.path.resolve() for f in files}
    for item in _user_files(extra_paths):
        if item.path.resolve() not in seen:
            seen.add(item.path.resolve())
            files.append(item)
    return files


class _Converter:
    """pyoxigraph terms → rdflib terms, with one fresh blank node per label per file."""

    def __init__(self, item: InputFile) -> None:
        self.item = item
        self.bnodes: dict[str, BNode] = {}

    def term(self, node: object) -> Node:
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        if isinstance(node, ox.BlankNode):
            return self.bnodes.setdefault(node.value, BNode())
        if isinstance(node, ox.Literal):
            if node.language:
                return Literal(node.value, lang=node.language)
            datatype = node.datatype.value
            return Literal(node.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
        raise DataLoadError(f"{self.item.path}: RDF 1.2 triple terms are not supported ({node})")

    def graph(self, node: object) -> str:
        if isinstance(node, ox.NamedNode):
            return node.value
        if isinstance(node, ox.DefaultGraph):
            return self.item.default_graph
        raise DataLoadError(f"{self.item.path}: blank-node graph names are not supported")


def load(files: Sequence[InputFile], into: LoadedData | None = None) -> LoadedData:
    """Parse every file into one rdflib ``Dataset``, each triple in its named graph.

    Args:
        files: from :func:`collect`.
        into: add to this already loaded data instead of a new dataset.

    Raises:
        DataLoadError: a file is missing, unreadable or malformed (the message names the file and,
            for syntax errors, the line and column), it writes to a reserved graph, or it puts
            SPARQL that could reach the network into the shapes graph (:mod:`.shape_guard`).
    """
    loaded = into if into is not None else LoadedData(Dataset())
    for item in files:
        convert = _Converter(item)
        contexts: dict[str, Graph] = {}
        with warnings.catch_warnings():  # ill-typed literals are SHACL's and owlrl's to report
            warnings.simplefilter("ignore")
            quads = []
            parsed, prefixes = read_quads(item.path, item.format, item.graph)
            for prefix, namespace in prefixes.items():
                loaded.dataset.bind(prefix, namespace, override=False)
            for quad in parsed:
                graph = convert.graph(quad.graph_name)
                if graph not in contexts:
                    if graph in RESERVED_GRAPHS:
                        raise DataLoadError(f"{item.path}: graph <{graph}> is reserved and cannot be loaded")
                    contexts[graph] = loaded.dataset.graph(URIRef(graph))
                    loaded.kinds.setdefault(graph, graph_kind(graph, item.kind))
                if isinstance(quad.object, ox.NamedNode | ox.BlankNode | ox.Literal):
                    shape_guard.check(item.path, graph, quad.predicate.value, quad.object.value,
                                      isinstance(quad.object, ox.Literal))
                quads.append((convert.term(quad.subject), convert.term(quad.predicate),
                              convert.term(quad.object), contexts[graph]))
            loaded.dataset.addN(quads)
        if item.graph is not None:
            loaded.kinds.setdefault(item.graph, graph_kind(item.graph, item.kind))  # even if empty
    return loaded
