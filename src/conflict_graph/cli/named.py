"""Named queries on the command line: ``conflict-graph queries`` and ``conflict-graph query NAME``.

A ``query`` argument is read as, in order: ``-`` (standard input), an existing file, the name of
a named query (from the package's ``queries/`` folder, so it works from any directory), else
SPARQL text. ``--param NAME=VALUE`` gives a named query's parameters
(:mod:`conflict_graph.api.parameters` checks them; they are bound, never pasted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..api.catalogue import Catalogue, load_one
from ..api.parameters import Term, bind, default_value
from ..errors import InputError, ParameterError
from . import commands, render

__all__ = ["ResolvedQuery", "listing", "parse_params", "resolve"]


@dataclass(frozen=True)
class ResolvedQuery:
    """What ``query`` will run: its text, where it came from, its header's entailment, bindings."""

    text: str
    origin: str
    declared_entailment: str | None
    bindings: tuple[tuple[str, Term], ...] = ()


def parse_params(values: Sequence[str]) -> dict[str, str]:
    """``--param`` values (``NAME=VALUE``) as a dict.

    Raises:
        ParameterError: a value without ``=`` or a name given twice.
    """
    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {value!r} must be written NAME=VALUE")
        if name.strip() in params:
            raise ParameterError(f"--param {name.strip()} is given twice")
        params[name.strip()] = text
    return params


#: A word that cannot be SPARQL (every query has a space or a brace) is a query's name.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DECLARES_PARAMETERS = re.compile(r"^\s*#\s*param\s*:", re.MULTILINE | re.IGNORECASE)


def _is_name(argument: str) -> bool:
    return bool(_NAME.match(argument)) and not argument.endswith(".rq")


def resolve(argument: str, params: dict[str, str]) -> ResolvedQuery:
    """The query an argument names (see the module docstring), with its parameters bound.

    Raises:
        ParameterError: parameters given for something that is not a named query, or refused by
            the query's declarations.
        DataLoadError, InputError: an unreadable file or query.
    """
    from ..query import named_queries

    if argument != "-" and not Path(argument).is_file() and _is_name(argument):
        query = load_one(argument)
        return ResolvedQuery(query.text, query.name, query.entailment, bind(query, params))
    text, origin = commands.read_query(argument)
    if argument.endswith(".rq") and Path(argument).is_file():
        try:
            query = load_one(Path(argument).stem, Path(argument).parent)
        except InputError:
            if params or _DECLARES_PARAMETERS.search(text):
                raise
        else:  # a file with a named query's header
            return ResolvedQuery(text, origin, query.entailment, bind(query, params))
    if params:
        where = "SPARQL text" if origin == "query" else origin
        raise ParameterError(
            f"--param needs a named query, and {where} is not one (see `conflict-graph queries`)"
        )
    return ResolvedQuery(text, origin, named_queries.declared_entailment(text))


def listing(catalogue: Catalogue | None = None) -> str:
    """The named queries as a table: name, title, parameters (``name type [= default]``)."""
    catalogue = catalogue or Catalogue.load()
    rows = []
    for query in catalogue.queries:
        params = ", ".join(
            f"{p.name} {p.type}" + (f" = {default_value(p)}" if not p.required else "")
            for p in query.parameters
        )
        rows.append([query.name, query.title, params or "-"])
    if not rows:
        raise InputError("there are no named queries")
    return render.table(["name", "title", "parameters"], rows)
