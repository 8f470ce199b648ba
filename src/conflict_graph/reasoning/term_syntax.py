"""RDF terms typed by people: parsing what a user gives, writing terms back in N-Triples syntax.

A term may be written as

* an IRI in N-Triples syntax, ``<https://w3id.org/conflict-graph/id/org/tnla>``;
* a bare absolute IRI, ``https://w3id.org/conflict-graph/id/org/tnla``;
* a prefixed name with one of :data:`TERM_PREFIXES`, ``org:hasMember``, ``id:org/tnla`` (the local
  part is appended as written, so it may contain ``/``);
* a literal in N-Triples or Turtle syntax, ``"Lashio"@en``, ``"1"^^<http://www.w3.org/2001/XMLSchema#integer>``,
  ``"2024-07-10"^^xsd:date``, ``42``, ``true`` (RDF 1.1 N-Triples §2.4, Turtle §2.5);
* a blank node label, ``_:b0`` (labels are those of the build's ``dataset.nq``).

:func:`nt` writes any term back in N-Triples syntax, the form the ``/explain`` URL carries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from .. import iris
from ..errors import InputError

__all__ = ["TERM_PREFIXES", "Term", "Triple", "nt", "parse_term", "parse_triple", "short"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, Term, Term]

#: Prefixes a typed term may use: the command line's (``cli/render.py``) and the vocabularies of
#: the data (``org:``, ``oa:``, ``geo:``, ...).
TERM_PREFIXES: dict[str, str] = {
    **iris.PREFIXES,
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "time": "http://www.w3.org/2006/time#",
}
_MAX_TERM = 4096
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)")
_BARE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_BLANK = re.compile(r"_:([A-Za-z0-9_][\w.-]*)")
_POSITIONS = ("subject", "predicate", "object")
_PARSER_POSITION = re.compile(r"Parser error (at|between) [^:]*: |\s*\(line \d+\)")


def _turtle_term(text: str, prefixes: Mapping[str, str]) -> Term:
    """Parse one term by parsing a one-triple Turtle document with it as the object."""
    prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())
    document = f"{prologue}<urn:x-term:s> <urn:x-term:p> {text} .\n"
    try:
        quads = list(ox.parse(document.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        reason = _PARSER_POSITION.sub("", " ".join(str(exc).split())).strip()
        reason = "".join(c if c.isprintable() else repr(c)[1:-1] for c in reason)  # a NUL is shown as \x00
        raise InputError(f"{text!r} is not an RDF term ({reason}); write an IRI as <…>, a prefixed "
                         "name such as cg:Town, or a literal such as \"Lashio\"@en") from exc
    if len(quads) != 1 or isinstance(quads[0].object, ox.Triple):
        raise InputError(f"{text!r} is not one RDF term")
    term = quads[0].object
    assert isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal)
    return term


def parse_term(text: str, prefixes: Mapping[str, str] = TERM_PREFIXES) -> Term:
    """Read one term written in any of the forms of this module's docstring.

    Raises:
        InputError: empty, too long, or not a term (the message names it).
    """
    text = text.strip()
    if not text:
        raise InputError("an RDF term is empty")
    if len(text) > _MAX_TERM:
        raise InputError(f"an RDF term is longer than {_MAX_TERM} characters")
    blank = _BLANK.fullmatch(text)
    if blank:
        return ox.BlankNode(blank.group(1))
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed and (prefixed.group(1) or "") in prefixes:
        return _named(prefixes[prefixed.group(1) or ""] + prefixed.group(2), text)
    if _BARE_IRI.fullmatch(text) and not text.startswith("_:"):
        return _named(text, text)
    return _turtle_term(text, prefixes)


def _named(iri: str, written: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"{written!r} is not an absolute IRI ({exc})") from exc


def parse_triple(subject: str, predicate: str, obj: str,
                 prefixes: Mapping[str, str] = TERM_PREFIXES) -> Triple:
    """Read a triple's three terms and check their positions (RDF 1.1 Concepts §3.1).

    Raises:
        InputError: a term does not parse, a literal is a subject or predicate, a blank node is a
            predicate; the message names the position.
    """
    terms = []
    for position, text in zip(_POSITIONS, (subject, predicate, obj), strict=True):
        try:
            terms.append(parse_term(text, prefixes))
        except InputError as exc:
            raise InputError(f"{position}: {exc}") from exc
    s, p, o = terms
    if isinstance(s, ox.Literal):
        raise InputError(f"subject: a literal ({nt(s)}) cannot be the subject of a triple")
    if not isinstance(p, ox.NamedNode):
        raise InputError(f"predicate: {nt(p)} is not an IRI; a predicate must be an IRI")
    return s, p, o


def nt(term: Term) -> str:
    """A term in N-Triples syntax: ``<iri>``, ``_:label``, ``"text"@en``, ``"1"^^<dt>``."""
    return str(term)


def _longest_first(prefixes: Mapping[str, str]) -> list[tuple[str, str]]:
    """``prefixes`` with the longest namespace first, so the most specific one names a term."""
    return sorted(prefixes.items(), key=lambda item: -len(item[1]))


_TERM_PREFIXES_LONGEST_FIRST = _longest_first(TERM_PREFIXES)
_PLAIN_LOCAL = re.compile(r"[\w.-]*[\w-]|")


def short(term: Term, prefixes: Mapping[str, str] = TERM_PREFIXES) -> str:
    """A short readable form: a prefixed name when the local part is plain, else N-Triples."""
    if isinstance(term, ox.NamedNode):
        ordered = _TERM_PREFIXES_LONGEST_FIRST if prefixes is TERM_PREFIXES else _longest_first(prefixes)
        for prefix, namespace in ordered:
            local = term.value[len(namespace):]
            if term.value.startswith(namespace) and _PLAIN_LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return nt(term)
