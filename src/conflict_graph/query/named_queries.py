"""The named SPARQL queries in ``queries/*.rq``: their header, text and file.

Each file opens with a comment header, then the query::

    # title: Armed groups and the towns they took
    # description: Every capture event with its actor and place; the description
    #   may continue on the following comment lines.
    # entailment: simple
    PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
    SELECT ...

``title`` is required. ``description`` is optional and continues over the comment lines that
follow it up to the next ``key:`` line, an empty ``#`` line or the end of the header.
``entailment`` is ``simple`` (asserted triples only) or ``owl-rl`` (asserted plus the OWL 2 RL
closure, the default). Other comment lines in the header are kept in the text and ignored here.

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
    "NamedQuery",
    "default_folder",
    "load_queries",
    "read_query",
]

#: The regime of a query whose header names none: the endpoint's default.
DEFAULT_ENTAILMENT = "owl-rl"

_FIELDS = ("title", "description", "entailment")
_FIELD = re.compile(r"^#\s*(?P<key>[A-Za-z]+)\s*:\s?(?P<value>.*)$")


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
    """

    name: str
    title: str
    description: str
    entailment: str
    text: str
    path: Path


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
    fields = _parse_header(text)
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
    )


def load_queries(folder: Path | None = None) -> list[NamedQuery]:
    """Read every ``*.rq`` file in ``folder`` (default: :func:`default_folder`), sorted by name.

    Raises:
        InputError: the folder does not exist, or a file is unreadable or lacks a title.
    """
    folder = default_folder() if folder is None else Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: the queries folder does not exist")
    return [read_query(path) for path in sorted(folder.glob("*.rq"), key=lambda p: p.name)]


def declared_entailment(text: str) -> str | None:
    """The entailment a query's ``# entailment:`` header asks for, or None if it names none."""
    return _parse_header(text).get("entailment") or None


def _parse_header(text: str) -> dict[str, str]:
    """The ``key: value`` fields of the comment lines that open ``text``."""
    fields: dict[str, str] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if fields:
                break
            continue  # blank lines before the header
        if not line.startswith("#"):
            break
        match = _FIELD.match(line)
        if match and match["key"].lower() in _FIELDS:
            current = match["key"].lower()
            fields[current] = match["value"].strip()
        elif line.lstrip("#").strip() == "":
            current = None
        elif current == "description":
            fields[current] = f"{fields[current]} {line.lstrip('#').strip()}".strip()
        else:
            current = None
    return fields
