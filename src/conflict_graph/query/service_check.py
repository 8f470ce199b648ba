"""A second, independent check of ``SERVICE`` clauses, with a full SPARQL parser.

:mod:`conflict_graph.guard` finds ``SERVICE`` targets with a tokenizer. A tokenizer is a second
reading of the grammar, and a place where it reads the text differently from pyoxigraph is a
place where a ``SERVICE`` clause could hide. So every query whose text contains the letters
``service`` (in any case: SPARQL keywords cannot be written with escapes, so a query without them
has no ``SERVICE`` clause) is also parsed with rdflib's SPARQL 1.1 grammar
(:mod:`rdflib.plugins.sparql.parser`), and every ``ServiceGraphPattern`` in the parse tree must
name an endpoint on the allowlist. A query rdflib cannot parse is refused rather than run: its
``SERVICE`` clauses could not be checked.

The text is given to the grammar as it is: rdflib's ``parseQuery`` would first replace every
``\\u`` escape in the whole text, which pyoxigraph does not do (it reads them inside IRIs and
strings only), and the two parsers would no longer read the same query. A ``\\u`` escape in a
query that mentions ``service`` therefore makes it unreadable to this check, and it is refused.

rdflib's grammar copies the text of each ``SERVICE`` clause by searching the whole query for the
first one, a search that stops at the first ``#`` on a line (so it fails on a one-line query with
``<http://…#>`` in its prologue) and then rejects a valid query. The check parses with a private
copy of the grammar in which that copy step is switched off; rdflib's own parser is left as it is.

pyparsing is not thread-safe, so parsing holds a lock. The query workers run this check
(:func:`conflict_graph.jobs.perform`), where it counts against the query's time limit. The grammar
(rdflib and pyparsing, about 60 MB) is loaded by a worker the first time a query mentions
``service``, never at start-up: most workers never load it.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from . import guard
from ..errors import QueryError, QueryRefused

__all__ = ["SERVICE_WORD", "ServiceFailed", "check", "load_grammar", "mentions_service", "service_targets"]

#: The letters of the keyword, in any case (``re.IGNORECASE`` also folds look-alikes such as
#: U+017F LATIN SMALL LETTER LONG S, which only makes the check run more often).
SERVICE_WORD = re.compile("service", re.IGNORECASE)
_LOCK = threading.Lock()
_LOCAL_ESCAPE = re.compile(r"\\(.)")


class ServiceFailed(QueryError):
    """An allowed ``SERVICE`` endpoint failed: unreachable, or it did not answer in SPARQL."""


def mentions_service(text: str) -> bool:
    """True when ``text`` contains the letters ``service`` anywhere, in any case."""
    return SERVICE_WORD.search(text) is not None


def _unused(context: Any, part: Any) -> None:  # pragma: no cover - never evaluated
    raise NotImplementedError


@functools.cache
def _grammar() -> Any:
    """A private copy of rdflib's SPARQL grammar, without the ``service_string`` search."""
    from rdflib.plugins.sparql import parser

    spec = importlib.util.spec_from_file_location(f"{parser.__package__}._conflict_graph_grammar",
                                                  parser.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ServiceGraphPattern.setEvalFn(_unused)  # builds the node without searching the text
    return module.Query


def load_grammar() -> None:
    """Build the grammar now (about 0.2 s and 60 MB), for a process that will surely need it."""
    _grammar()


def _parse(text: str) -> Any:
    with _LOCK:
        try:
            return _grammar().parse_string(text, parse_all=True)
        except Exception as exc:  # noqa: BLE001 - any failure means "not checked": refuse
            detail = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise QueryRefused(
                "the query mentions SERVICE, and its SERVICE clauses could not be checked (a "
                f"second SPARQL parser cannot read the query: {detail}); this server never runs "
                "a SERVICE clause it has not checked against its allowlist"
            ) from None


def _walk(node: Any) -> Iterator[Any]:
    """Every ``ServiceGraphPattern`` in an rdflib parse tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _walk(value)


def _prologue(parsed: Any, base_iri: str | None) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base = base_iri
    for declaration in parsed[0] if len(parsed) else ():
        if declaration.name == "Base":
            base = guard.resolve_iri(str(declaration.iri), base)
        elif declaration.name == "PrefixDecl":
            prefixes[declaration.get("prefix") or ""] = guard.resolve_iri(str(declaration.iri), base)
    return prefixes, base


def service_targets(text: str, base_iri: str | None = None) -> tuple[str | None, ...]:
    """The target of every ``SERVICE`` clause, as rdflib's SPARQL parser reads the query.

    Args:
        text: the query.
        base_iri: what relative IRIs resolve against when the query declares no ``BASE``.

    Returns:
        One IRI per clause, or None for a variable or a prefixed name with no declared prefix.

    Raises:
        QueryRefused: the parser cannot read the query, so its ``SERVICE`` clauses cannot be
            checked.
    """
    from rdflib.term import URIRef, Variable

    parsed = _parse(text)
    prefixes, base = _prologue(parsed, base_iri)
    targets: list[str | None] = []
    for clause in _walk(parsed):
        term = clause.get("term")
        if isinstance(term, Variable) or term is None:
            targets.append(None)
        elif isinstance(term, URIRef):
            targets.append(guard.resolve_iri(str(term), base))
        elif getattr(term, "name", None) == "pname":
            namespace = prefixes.get(term.get("prefix") or "")
            local = _LOCAL_ESCAPE.sub(r"\1", term.get("localname") or "")
            targets.append(None if namespace is None else namespace + local)
        else:
            targets.append(None)
    return tuple(targets)


def check(text: str, base_iri: str | None, allowlist: Sequence[str]) -> None:
    """Refuse a query with a ``SERVICE`` clause the allowlist does not permit (full-parser check).

    Does nothing for a query whose text does not contain ``service``.

    Raises:
        QueryRefused: a ``SERVICE`` target that is a variable or not on the allowlist, or a query
            the parser cannot read.
    """
    if not mentions_service(text):
        return
    for target in service_targets(text, base_iri):
        if target is None:
            raise QueryRefused(
                "SERVICE with a variable (or unresolvable) endpoint is not allowed: this server "
                "never calls an endpoint it cannot check against its allowlist"
            )
        if not guard.service_allowed(target, allowlist):
            raise QueryRefused(
                f"SERVICE <{target}> is not allowed: this server calls no other endpoint unless "
                "the operator lists it in CONFLICT_GRAPH_SERVICE_ALLOWLIST"
            )
