"""A second, independent reading of ``SERVICE`` clauses: a scan of its own, linear in the query.

:mod:`conflict_graph.query.guard` finds ``SERVICE`` targets with a tokenizer. A tokenizer is a
reading of the grammar, and a place where it reads the text differently from pyoxigraph is a place
where a ``SERVICE`` clause could hide. So every query whose text contains the letters ``service``
(in any case: SPARQL keywords cannot be written with escapes, so a query without them has no
``SERVICE`` clause) is read a second time here, by a scan that shares no code with the tokenizer:
it blanks out, left to right, everything in which a keyword cannot stand (SPARQL 1.1 Query §19.8):
comments (``#`` to the end of the line), strings (short and long, with their escapes, rules
[156]-[159]), IRIs (``<`` followed by IRI characters up to ``>``, rule [139]: such a span holds no
white space and no ``{``, so no ``SERVICE`` clause fits in it whether pyoxigraph reads it as an IRI
or as less-than), variables, blank node labels, language tags, and every name holding a ``:``
(a prefixed name with its escapes, rules [140]-[142], [169]-[173]). What is left of the letters
``service`` must each be the keyword alone (``SERVICE`` in any ASCII case, between characters that
cannot continue a name), and there must be exactly as many as the tokenizer found. Any other
outcome (a name that merely contains ``service``, a count that differs) means the two readings
disagree, and the query is refused rather than run: its ``SERVICE`` clauses could not be checked.
The targets the tokenizer found are then checked against the allowlist here too, in the worker.

The scan visits each character a bounded number of times (an IRI candidate that fails ends at the
next ``<``), so it is linear in the query's length; it loads no grammar and no RDF library, so a
query worker stays small (see :mod:`conflict_graph.query.spawning`). The query workers run this
check (:func:`conflict_graph.query.jobs.perform`), where it counts against the query's time limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import guard
from ..errors import QueryError, QueryRefused

__all__ = ["SERVICE_WORD", "ServiceFailed", "check", "keyword_count", "mentions_service"]

#: The letters of the keyword, in any case (``re.IGNORECASE`` also folds look-alikes such as
#: U+017F LATIN SMALL LETTER LONG S, which only makes the check run more often).
SERVICE_WORD = re.compile("service", re.IGNORECASE)
_IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_NAME_CHAR = r"A-Za-z0-9_\-\u00b7-\U000effff"
#: A variable, blank node label or language tag after its ``?``/``$``, ``_:`` or ``@``.
_LABEL = re.compile(rf"[{_NAME_CHAR}]+")
#: A run that may be a prefixed name, a keyword or a number: name characters, ``.``, ``:``, and
#: the escapes of a prefixed name's local part.
_RUN = re.compile(rf"(?:[{_NAME_CHAR}.:]|%[0-9A-Fa-f]{{2}}|\\.)+")
_LINE = re.compile(r"[^\n\r]*")
_CONTINUES_NAME = re.compile(rf"[{_NAME_CHAR}:]")


class ServiceFailed(QueryError):
    """An allowed ``SERVICE`` endpoint failed: unreachable, or it did not answer in SPARQL."""


def mentions_service(text: str) -> bool:
    """True when ``text`` contains the letters ``service`` anywhere, in any case."""
    return SERVICE_WORD.search(text) is not None


def _string_end(text: str, start: int) -> int:
    """Where the string opening at ``start`` ends (or the text's end when it is not closed)."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        position = start + 3
        while position < len(text):
            if text[position] == "\\":
                position += 2
            elif text.startswith(quote * 3, position):
                return position + 3
            else:
                position += 1
        return len(text)
    position = start + 1
    while position < len(text) and text[position] not in "\n\r":
        if text[position] == "\\":
            position += 2
        elif text[position] == quote:
            return position + 1
        else:
            position += 1
    return min(position, len(text))


def _span_end(text: str, position: int) -> int | None:
    """The end of the span starting at ``position`` that cannot hold a keyword, or None if the
    character there is not the start of one."""
    char = text[position]
    following = text[position + 1:position + 2]
    if char == "#":
        return _LINE.match(text, position).end()  # type: ignore[union-attr]
    if char in "\"'":
        return _string_end(text, position)
    if char == "<":
        match = _IRI.match(text, position)
        return match.end() if match else None
    if char in "?$@" or (char == "_" and following == ":"):
        start = position + (2 if char == "_" else 1)
        match = _LABEL.match(text, start)
        return match.end() if match else None
    return None


def _masked(text: str) -> str:
    """``text`` with every span that cannot hold a keyword replaced by spaces (see the module
    docstring); what remains are keywords, punctuation, numbers and names without ``:``."""
    kept: list[str] = []
    position = 0
    while position < len(text):
        end = _span_end(text, position)
        run = _RUN.match(text, position) if end is None and text[position] != "." else None
        if run is not None:
            word = run.group().rstrip(".")  # a name never ends with "."
            if ":" not in word:
                kept.append(word)
                position += len(word)
                continue
            end = position + len(word)
        if end is None:
            kept.append(text[position])
            position += 1
        else:
            kept.append(" " * (end - position))
            position = end
    return "".join(kept)


def keyword_count(text: str) -> int:
    """How many ``SERVICE`` keywords ``text`` holds, by the scan of the module docstring.

    Raises:
        QueryRefused: the letters ``service`` stand outside every comment, string, IRI and name
            without being the keyword alone.
    """
    masked = _masked(text)
    count = 0
    for match in SERVICE_WORD.finditer(masked):
        before = masked[match.start() - 1:match.start()]
        after = masked[match.end():match.end() + 1]
        if (not match.group().isascii() or match.group().upper() != "SERVICE" or _CONTINUES_NAME.fullmatch(before or " ")
                or _CONTINUES_NAME.fullmatch(after or " ")):
            raise QueryRefused(
                f"the query holds {text[max(0, match.start() - 8):match.end() + 8]!r}: the letters "
                "'service' stand outside every comment, string, IRI and name where only the keyword "
                "SERVICE could stand, so its SERVICE clauses could not be checked; this server "
                "never runs a SERVICE clause it has not checked against its allowlist"
            )
        count += 1
    return count


def check(text: str, base_iri: str | None, allowlist: Sequence[str]) -> None:
    """Refuse a query with a ``SERVICE`` clause the allowlist does not permit, read twice.

    Does nothing for a query whose text does not contain ``service``.

    Raises:
        QueryRefused: a ``SERVICE`` target that is a variable or not on the allowlist, or a query
            whose ``SERVICE`` clauses the two readings do not agree on.
    """
    if not mentions_service(text):
        return
    found = keyword_count(text)
    shape = guard.inspect(text, base_iri)
    if found != len(shape.services):
        raise QueryRefused(
            f"the query's SERVICE clauses could not be checked (one reading finds {found}, another "
            f"{len(shape.services)}); this server never runs a SERVICE clause it has not checked "
            "against its allowlist"
        )
    guard.check(shape, allowlist)
