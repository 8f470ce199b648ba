"""Read a SPARQL query's own RDF dataset (its ``FROM`` and ``FROM NAMED`` clauses) without running it.

pyoxigraph replaces a query's ``FROM`` when it is given ``default_graph=`` and its ``FROM NAMED``
when it is given ``named_graphs=``. To keep a query's own dataset (SPARQL 1.1 Query §13.2) while
still expanding the project's virtual graphs inside it, :mod:`conflict_graph.store` needs to know
which graphs the query names. This module finds them with a small tokenizer: comments, strings,
IRIs, prefixed names, variables and language tags are skipped as whole tokens, so the keyword
``FROM`` can only be a dataset clause (SPARQL 1.1 Query §19.8, rules [13]-[15]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

__all__ = ["DatasetClause", "dataset_clause", "declared_prefixes"]

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<bnode>_:[^\s(){}\[\];,]+)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[^\s(){}\[\];,'"<>]*[^\s(){}\[\];,'"<>.])?)
    | (?P<word>[^\W\d][\w]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.UNICODE,
)


@dataclass(frozen=True)
class DatasetClause:
    """The graphs a query names in its own dataset clauses (SPARQL 1.1 Query §13.2).

    Attributes:
        default: IRIs of the ``FROM`` clauses, in order.
        named: IRIs of the ``FROM NAMED`` clauses, in order.
    """

    default: tuple[str, ...]
    named: tuple[str, ...]


def _tokens(text: str) -> list[tuple[str, str]]:
    return [
        (match.lastgroup or "other", match.group())
        for match in _TOKEN.finditer(text)
        if match.lastgroup not in {"comment"}
    ]


def _resolve(kind: str, value: str, prefixes: dict[str, str], base: str | None) -> str | None:
    if kind == "iri":
        iri = value[1:-1]
        return urljoin(base, iri) if base else iri
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def dataset_clause(text: str) -> DatasetClause | None:
    """Return the ``FROM`` / ``FROM NAMED`` IRIs of a query, or None if it has no dataset clause.

    A prefixed name whose prefix is undeclared is skipped (the query will fail to parse anyway).
    Relative IRIs are resolved against the query's ``BASE``, if any.

    Args:
        text: the SPARQL query text.

    Returns:
        The clause, or None when the query has neither ``FROM`` nor ``FROM NAMED``.
    """
    if "from" not in text.lower():
        return None
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base: str | None = None
    default: list[str] = []
    named: list[str] = []
    found = False
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        keyword = value.upper() if kind == "word" else ""
        if keyword == "BASE" and index + 1 < len(tokens) and tokens[index + 1][0] == "iri":
            base = _resolve("iri", tokens[index + 1][1], prefixes, base)
            index += 2
            continue
        if keyword == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2][0] == "iri":
            name = tokens[index + 1][1].rstrip(":")
            resolved = _resolve("iri", tokens[index + 2][1], prefixes, base)
            if resolved is not None:
                prefixes[name] = resolved
            index += 3
            continue
        if keyword == "FROM":
            found = True
            target = default
            index += 1
            if index < len(tokens) and tokens[index][0] == "word" and tokens[index][1].upper() == "NAMED":
                target = named
                index += 1
            if index < len(tokens):
                iri = _resolve(*tokens[index], prefixes, base)
                if iri is not None:
                    target.append(iri)
            index += 1
            continue
        index += 1
    return DatasetClause(tuple(default), tuple(named)) if found else None


def declared_prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query's prologue, as prefix → namespace IRI."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base: str | None = None
    for index, (kind, value) in enumerate(tokens[:-2]):
        keyword = value.upper() if kind == "word" else ""
        if keyword == "BASE" and tokens[index + 1][0] == "iri":
            base = _resolve("iri", tokens[index + 1][1], prefixes, base)
        elif keyword == "PREFIX" and tokens[index + 2][0] == "iri":
            resolved = _resolve("iri", tokens[index + 2][1], prefixes, base)
            if resolved is not None:
                prefixes[tokens[index + 1][1].rstrip(":")] = resolved
    return prefixes
