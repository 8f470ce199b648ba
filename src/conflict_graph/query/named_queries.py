"""The named SPARQL queries in ``queries/*.rq``: their header, text and file.

Each file opens with a comment header, then the query::

    # title: Armed groups and the towns they took
    # description: Every capture event with its actor and place; the description
    #   may continue on the following comment lines.
    # entailment: simple
    # param: day date "The day to ask about" default=2024-07-21
    PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
    SELECT ?day ...

``title`` is required. ``description`` is optional and continues over the comment lines that
follow it up to the next ``key:`` line, an empty ``#`` line or the end of the header.
``entailment`` is ``simple`` (asserted triples only) or ``owl-rl`` (asserted plus the OWL 2 RL
closure, the default). Other comment lines in the header are kept in the text and ignored here.

``param`` (repeatable) declares a parameter: ``# param: NAME TYPE "description" [default=VALUE]``.
``NAME`` is the query variable it binds (``?NAME``, which the query must project: values are bound
by SPARQL substitution, never pasted into the text); ``TYPE`` is one of :data:`PARAMETER_TYPES`;
the default is written as the value would be given (``2024-07-21``, ``42``, ``"text"`` in double
quotes, ``<https://…>`` in angle brackets). A parameter without a default is required. Checking a
value against its type is :mod:`conflict_graph.api.parameters`' job.

The query page shows one tab per query, and the tests run each one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..pipeline.inputs import embedded_root
from .store import ENTAILMENTS

__all__ = [
    "DEFAULT_ENTAILMENT",
    "PARAMETER_TYPES",
    "NamedQuery",
    "Parameter",
    "default_folder",
    "find_query",
    "load_queries",
    "read_query",
]

#: The regime of a query whose header names none: the endpoint's default.
DEFAULT_ENTAILMENT = "owl-rl"

#: The types a parameter may declare.
PARAMETER_TYPES = ("iri", "date", "string", "integer")

_FIELDS = ("title", "description", "entailment")
_FIELD = re.compile(r"^#\s*(?P<key>[A-Za-z]+)\s*:\s?(?P<value>.*)$")
_PARAM = re.compile(r'^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[A-Za-z]+)\s+"(?P<description>[^"]*)"'
                    r'(?:\s+default=(?P<default>\S.*?))?\s*$')
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Parameter:
    """One ``# param:`` line of a query header.

    Attributes:
        name: the variable it binds, without ``?``.
        type: one of :data:`PARAMETER_TYPES`.
        description: one line, shown in listings and in the OpenAPI description.
        default: the default as written (``<…>`` for an IRI, ``"…"`` for a string), or None when
            the parameter is required.
    """

    name: str
    type: str
    description: str
    default: str | None = None

    @property
    def required(self) -> bool:
        """True when the parameter has no default."""
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file.

    Attributes:
        name: the file name without ``.rq``; unique within its folder.
        title: one line, from ``# title:``.
        description: from ``# description:`` and its continuation lines; may be empty.
        entailment: ``simple`` or ``owl-rl``.
        text: the whole file, header included, as SPARQL accepts comments.
        path: the file it was read from.
        parameters: from the ``# param:`` lines, in order.
    """

    name: str
    title: str
    description: str
    entailment: str
    text: str
    path: Path
    parameters: tuple[Parameter, ...] = ()


def default_folder() -> Path:
    """The folder of the queries shipped with the package (``queries/`` in a source checkout)."""
    return embedded_root() / "queries"


def read_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header.

    Raises:
        InputError: the file cannot be read, has no ``# title:``, or names an unknown entailment;
            the message names the file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the query: {exc}") from exc
    fields, param_lines = _parse_header(text)
    title = fields.get("title", "")
    if not title:
        raise InputError(f"{path}: the query has no '# title:' line in its opening comment")
    entailment = fields.get("entailment") or DEFAULT_ENTAILMENT
    if entailment not in ENTAILMENTS:
        raise InputError(f"{path}: '# entailment: {entailment}' is not one of {', '.join(ENTAILMENTS)}")
    return NamedQuery(
        name=path.stem,
        title=title,
        description=fields.get("description", ""),
        entailment=entailment,
        text=text,
        path=path,
        parameters=_parameters(path, param_lines),
    )


def _parameters(path: Path, lines: list[str]) -> tuple[Parameter, ...]:
    """Parse the ``# param:`` lines of ``path``.

    Raises:
        InputError: a line that does not follow the syntax, an unknown type, a repeated name.
    """
    parameters: list[Parameter] = []
    for line in lines:
        match = _PARAM.match(line.strip())
        if match is None:
            raise InputError(f'{path}: cannot read \'# param: {line.strip()}\'; write '
                             f'# param: NAME TYPE "description" [default=VALUE]')
        if match["type"] not in PARAMETER_TYPES:
            raise InputError(f"{path}: parameter {match['name']} has type {match['type']!r}; "
                             f"use one of {', '.join(PARAMETER_TYPES)}")
        if any(p.name == match["name"] for p in parameters):
            raise InputError(f"{path}: parameter {match['name']} is declared twice")
        parameters.append(Parameter(match["name"], match["type"], match["description"].strip(),
                                    match["default"]))
    return tuple(parameters)


def load_queries(folder: Path | None = None) -> list[NamedQuery]:
    """Read every ``*.rq`` file in ``folder`` (default: :func:`default_folder`), sorted by name.

    Raises:
        InputError: the folder does not exist, or a file is unreadable or lacks a title.
    """
    folder = default_folder() if folder is None else Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: the queries folder does not exist")
    return [read_query(path) for path in sorted(folder.glob("*.rq"), key=lambda p: p.name)]


def find_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The query called ``name`` (its file name without ``.rq``) in ``folder``.

    Raises:
        InputError: no such query (the message lists the names there are), or it cannot be read.
    """
    folder = default_folder() if folder is None else Path(folder)
    path = folder / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        names = ", ".join(q.name for q in load_queries(folder))
        raise InputError(f"there is no named query {name!r}; the named queries are: {names}")
    return read_query(path)


def declared_entailment(text: str) -> str | None:
    """The entailment a query's ``# entailment:`` header asks for, or None if it names none."""
    return _parse_header(text)[0].get("entailment") or None


def _parse_header(text: str) -> tuple[dict[str, str], list[str]]:
    """The ``key: value`` fields of the comment lines that open ``text``, and its ``param`` values."""
    fields: dict[str, str] = {}
    params: list[str] = []
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if fields or params:
                break
            continue  # blank lines before the header
        if not line.startswith("#"):
            break
        match = _FIELD.match(line)
        if match and match["key"].lower() == "param":
            params.append(match["value"])
            current = None
        elif match and match["key"].lower() in _FIELDS:
            current = match["key"].lower()
            fields[current] = match["value"].strip()
        elif line.lstrip("#").strip() == "":
            current = None
        elif current == "description":
            fields[current] = f"{fields[current]} {line.lstrip('#').strip()}".strip()
        else:
            current = None
    return fields, params
