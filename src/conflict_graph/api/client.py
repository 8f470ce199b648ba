"""The Python API for notebooks: open the graph in one line, run a named query, get rows or a
DataFrame.

::

    from conflict_graph.api.client import open_graph

    graph = open_graph()                          # the embedded graph (built once, then cached)
    # graph = open_graph("http://127.0.0.1:8000") # or a running `conflict-graph serve`
    result = graph.run("q40-control-as-of-date", day="2024-07-21")
    result.rows                                   # [{"place": "Kyaukme town", ...}, ...]
    result.to_dataframe()                         # pandas, with the [pandas] extra

Both kinds of graph answer with the same :class:`Result`: the same columns, and values typed the
same way (:mod:`conflict_graph.api.values`). Parameters are checked against their declared
types before anything runs (:class:`~conflict_graph.errors.ParameterError` names the parameter);
a server checks them again and answers 400 the same way.
"""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ConflictGraphError, InputError, ParameterError, QueryError
from ..query.named_queries import NamedQuery, Parameter
from .catalogue import Catalogue
from .parameters import bind, default_value
from .values import Value, from_json_term, from_oxigraph_term

if TYPE_CHECKING:
    import pandas

__all__ = ["EmbeddedGraph", "Graph", "ParameterInfo", "QueryInfo", "RemoteGraph", "Result", "open_graph"]

ParameterValue = str | int | datetime.date


@dataclass(frozen=True)
class ParameterInfo:
    """A parameter as a listing shows it; ``default`` is written as a value is given (None: required)."""

    name: str
    type: str
    description: str
    default: str | None = None


@dataclass(frozen=True)
class QueryInfo:
    """A named query as a listing shows it: name, title, description, parameters."""

    name: str
    title: str
    description: str
    parameters: tuple[ParameterInfo, ...] = ()


@dataclass(frozen=True)
class Result:
    """The answer to a query: its columns and its rows, values typed.

    Attributes:
        columns: the projected variables, in order (without ``?``).
        rows: one dict per solution, column → value (None when unbound).
        data_version: the data version the answer was computed from (cite it with the query).
    """

    columns: tuple[str, ...]
    rows: list[dict[str, Value]] = field(default_factory=list)
    data_version: str = ""

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (columns in order; needs ``conflict-graph[pandas]``)."""
        try:
            import pandas
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install 'conflict-graph[pandas]'") from exc
        return pandas.DataFrame.from_records(self.rows, columns=list(self.columns))


class Graph(Protocol):
    """What both kinds of graph offer."""

    def queries(self) -> list[QueryInfo]:
        """Every named query, sorted by name."""
        ...

    def run(self, name: str, /, **parameters: ParameterValue) -> Result:
        """Run the named query ``name`` with ``parameters`` (the others take their defaults)."""
        ...

    def export(self, fmt: str) -> bytes:
        """The whole dataset in an export format: ``nquads``, ``trig``, ``jsonld``, ``context``,
        ``acled`` (the ACLED-style events CSV) or ``geojson`` (see docs/exports.md)."""
        ...


def _export_file(fmt: str) -> str:
    from ..exports.release import FILE_OF_FORMAT

    if fmt not in FILE_OF_FORMAT:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(FILE_OF_FORMAT)}")
    return FILE_OF_FORMAT[fmt]


def _as_text(parameters: Mapping[str, ParameterValue]) -> dict[str, str]:
    """Parameter values as the text their types read (a ``date`` as YYYY-MM-DD)."""
    text: dict[str, str] = {}
    for name, value in parameters.items():
        if isinstance(value, bool) or not isinstance(value, str | int | datetime.date):
            raise ParameterError(
                f"parameter {name!r} must be given as a str, an int or a date, not {type(value).__name__}"
            )
        text[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return text


def _info(query: NamedQuery) -> QueryInfo:
    return QueryInfo(
        query.name, query.title, query.description, tuple(_parameter_info(p) for p in query.parameters)
    )


def _parameter_info(parameter: Parameter) -> ParameterInfo:
    return ParameterInfo(parameter.name, parameter.type, parameter.description, default_value(parameter))


class EmbeddedGraph:
    """The graph built from the package's own data (and any extra files), queried in process.

    Args:
        data: extra RDF files or folders, as ``--data`` takes them.
        include_embedded: False to leave out the package's own ontology and data.
        cache_dir: where builds are cached (default: the ``cache_dir`` setting).
        queries_dir: a folder of named queries (default: the package's ``queries/``).

    Raises:
        DataLoadError, ValidationFailed, ReasoningError: the build failed.
    """

    def __init__(
        self,
        data: Sequence[Path | str] = (),
        *,
        include_embedded: bool = True,
        cache_dir: Path | str | None = None,
        queries_dir: Path | str | None = None,
    ) -> None:
        from .. import settings
        from ..pipeline import build, inputs
        from ..query import store

        files = inputs.collect(include_embedded, [Path(p) for p in data])
        cache = Path(settings.resolve({"cache_dir": cache_dir})["cache_dir"])
        built = build.build(files, cache_dir=cache)
        self._catalogue, self._store = store.open_query_store(built.artifact)
        self._queries = Catalogue.load(Path(queries_dir) if queries_dir else None)

    def queries(self) -> list[QueryInfo]:
        return [_info(q) for q in self._queries.queries]

    def run(self, name: str, /, **parameters: ParameterValue) -> Result:
        """Run a named query.

        Raises:
            InputError: no query has that name.
            ParameterError: a parameter is unknown, missing or not of its type.
        """
        import pyoxigraph as ox

        from ..query import store

        query = self._queries.get(name)
        bindings = bind(query, _as_text(parameters))
        dataset = store.query_dataset(self._catalogue, query.entailment, unions=True)
        answer = store.execute(self._store, query.text, dataset, bindings=bindings)
        if isinstance(answer, ox.QueryBoolean):
            return Result(("boolean",), [{"boolean": bool(answer)}], self._catalogue.data_version)
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError(
                f"query {name!r} is a CONSTRUCT or DESCRIBE: the Python API answers "
                "SELECT and ASK queries (use /sparql for graphs)"
            )
        columns = tuple(v.value for v in answer.variables)
        rows = [{column: from_oxigraph_term(solution[column]) for column in columns} for solution in answer]
        return Result(columns, rows, self._catalogue.data_version)

    def export(self, fmt: str) -> bytes:
        """The dataset as ``fmt`` (the bytes ``conflict-graph export --format FMT`` writes).

        Raises:
            InputError: an unknown format.
        """
        from ..cli import commands

        _export_file(fmt)
        return commands.export(self._catalogue, self._store, fmt=fmt)


class RemoteGraph:
    """A running ``conflict-graph serve``, queried over its API (``/api/queries/{name}``).

    Args:
        url: the server's root (``http://127.0.0.1:8000``; a trailing ``/sparql`` is ignored).
        timeout: seconds to wait for each answer.
    """

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        root = url.rstrip("/")
        self.url = root.removesuffix("/sparql")
        self.timeout = timeout

    def _fetch(self, path: str, accept: str) -> tuple[bytes, str]:
        """The body of ``GET path`` and its data version, or the server's error as ours."""
        request = urllib.request.Request(self.url + path, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return bytes(response.read()), response.headers.get("Conflict-Graph-Data-Version", "")
        except urllib.error.HTTPError as exc:
            raise _server_error(exc) from None
        except urllib.error.URLError as exc:
            raise ConflictGraphError(f"{self.url}: cannot reach the server ({exc.reason})") from exc

    def _get(self, path: str, accept: str) -> tuple[Any, str]:
        body, version = self._fetch(path, accept)
        return json.loads(body), version

    def queries(self) -> list[QueryInfo]:
        listing, _ = self._get("/api/queries", "application/json")
        return [
            QueryInfo(
                q["name"],
                q["title"],
                q["description"],
                tuple(
                    ParameterInfo(
                        p["name"],
                        p["type"],
                        p["description"],
                        None if p.get("default") is None else str(p["default"]),
                    )
                    for p in q["parameters"]
                ),
            )
            for q in listing["queries"]
        ]

    def run(self, name: str, /, **parameters: ParameterValue) -> Result:
        """Run a named query on the server.

        Raises:
            ParameterError: the server refused a parameter (400).
            QueryError: no query has that name (404) or the server could not answer.
        """
        query = urllib.parse.urlencode(_as_text(parameters))
        path = f"/api/queries/{urllib.parse.quote(name, safe='')}" + (f"?{query}" if query else "")
        answer, version = self._get(path, "application/sparql-results+json")
        if "boolean" in answer:
            return Result(("boolean",), [{"boolean": bool(answer["boolean"])}], version)
        columns = tuple(answer["head"].get("vars", ()))
        rows = [
            {column: from_json_term(binding.get(column)) for column in columns}
            for binding in answer.get("results", {}).get("bindings", [])
        ]
        return Result(columns, rows, version)


    def export(self, fmt: str) -> bytes:
        """The dataset as ``fmt``, downloaded from the server's ``/downloads/``.

        Raises:
            InputError: an unknown format.
            QueryError: the server could not answer.
        """
        return self._fetch(f"/downloads/{_export_file(fmt)}", "*/*")[0]


def _server_error(error: urllib.error.HTTPError) -> QueryError:
    """The server's one-line message, as the error class its status stands for."""
    body = error.read().decode("utf-8", "replace")
    try:
        message = str(json.loads(body)["error"])
    except (ValueError, KeyError, TypeError):
        message = body.strip()
    message = f"{error.code}: {message}"
    return ParameterError(message) if error.code == 400 else QueryError(message)


def open_graph(url: str | None = None, **options: Any) -> EmbeddedGraph | RemoteGraph:
    """The embedded graph (no ``url``), or the server at ``url``.

    ``options`` go to :class:`EmbeddedGraph` (``data``, ``cache_dir``, ...) or :class:`RemoteGraph`
    (``timeout``).
    """
    return EmbeddedGraph(**options) if url is None else RemoteGraph(url, **options)
