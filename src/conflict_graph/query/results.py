"""Writers for SELECT and ASK results: SPARQL Results JSON, XML, CSV and TSV.

pyoxigraph can serialise a whole result set, but not the first *N* rows of one, and a public
endpoint must cap what it returns. These writers take the variables and an already cut list of
rows of pyoxigraph terms, and follow the W3C recommendations to the letter:

* JSON: https://www.w3.org/TR/sparql11-results-json/
* XML: https://www.w3.org/TR/rdf-sparql-XMLres/
* CSV and TSV: https://www.w3.org/TR/sparql11-results-csv-tsv/

CSV and TSV are defined for SELECT only. For ASK they carry one column, ``_askResult``, holding
``true`` or ``false`` (the shape Apache Jena uses), so a table reader still gets a table.

:func:`write_capped` writes rows one at a time from an iterator and stops at the row cap or
before the byte cap, so a result is cut at a row boundary and never held in memory beyond the cap.

XML 1.0 cannot carry every character an RDF literal may hold (U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F, U+FFFE, U+FFFF; not even as character references). A result holding one is
refused as XML (:class:`~conflict_graph.errors.NotAcceptable`, HTTP 406, naming the formats that
can carry it) instead of being written as a document no XML parser accepts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..errors import NotAcceptable

__all__ = ["ASK_COLUMN", "NOT_XML_BYTES", "WRITERS", "Written", "not_xml_message", "write_boolean",
           "write_capped", "write_solutions"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = XSD + "string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
_TSV_BARE = frozenset({XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"})
#: The column name of an ASK answer written as CSV or TSV.
ASK_COLUMN = "_askResult"


def _plain(literal: ox.Literal) -> bool:
    return literal.datatype.value in (_XSD_STRING, _LANG_STRING, _DIR_LANG_STRING)


def _direction(literal: ox.Literal) -> str | None:
    """``ltr`` or ``rtl`` for a directional language-tagged string (RDF 1.2), else None."""
    direction = getattr(literal, "direction", None)
    return None if direction is None else str(direction).rsplit(".", 1)[-1].lower()


# --- JSON -----------------------------------------------------------------------------------------

def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
            direction = _direction(term)
            if direction:
                value["its:dir"] = direction
        elif not _plain(term):
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _json_head(variables: Sequence[str]) -> str:
    names = json.dumps(list(variables), ensure_ascii=False, separators=(",", ":"))
    return '{"head":{"vars":' + names + '},"results":{"bindings":['


def _json_row(variables: Sequence[str], row: Row) -> str:
    binding = {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
    return json.dumps(binding, ensure_ascii=False, separators=(",", ":"))


def _json_boolean(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


# --- XML ------------------------------------------------------------------------------------------

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
#: Characters XML 1.0 cannot carry, not even as a character reference (XML 1.0 §2.2, ``Char``).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The same characters in UTF-8 (the C0 controls are single bytes; U+FFFE and U+FFFF three).
NOT_XML_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_ITS = 'xmlns:its="http://www.w3.org/2005/11/its" its:version="2.0"'


def _xml_safe(text: str) -> str:
    """``text``, unless it holds a character XML 1.0 cannot carry (then 406)."""
    found = _NOT_XML.search(text)
    if found is not None:
        raise NotAcceptable(not_xml_message(found.group()))
    return text


def not_xml_message(character: str) -> str:
    """Why a result holding ``character`` is refused as XML, and what to ask for instead."""
    code = ord(character[0]) if character else 0
    return (f"the result holds the character U+{code:04X}, which XML 1.0 cannot carry; ask for "
            "SPARQL Results JSON, CSV or TSV instead (Accept: application/sparql-results+json)")


def _xml_text(text: str) -> str:
    """Escape for element content; CR and leading/trailing white space as character references,
    so that XML end-of-line handling and white-space trimming parsers keep them."""
    escaped = escape(_xml_safe(text)).replace("\r", "&#13;")
    stripped = escaped.strip(" \t\n")
    if stripped == escaped:
        return escaped
    start = escaped.index(stripped) if stripped else len(escaped)
    head, tail = escaped[:start], escaped[start + len(stripped):]
    return "".join(f"&#{ord(c)};" for c in head) + stripped + "".join(f"&#{ord(c)};" for c in tail)


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(_xml_safe(term.value))}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            direction = _direction(term)
            attributes = f" its:dir={quoteattr(direction)} {_ITS}" if direction else ""
            return (f"<literal xml:lang={quoteattr(term.language)}{attributes}>"
                    f"{_xml_text(term.value)}</literal>")
        if not _plain(term):
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>")


def _xml_head(variables: Sequence[str]) -> str:
    return (_XML_HEAD + "<head>" + "".join(f"<variable name={quoteattr(name)}/>" for name in variables)
            + "</head><results>")


def _xml_row(variables: Sequence[str], row: Row) -> str:
    bindings = "".join(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                       for name, term in zip(variables, row, strict=True) if term is not None)
    return f"<result>{bindings}</result>"


def _xml_boolean(value: bool) -> bytes:
    return f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()


# --- CSV ------------------------------------------------------------------------------------------

def _csv_field(text: str) -> str:
    if any(char in text for char in '",\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return _csv_field(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _csv_field(_tsv_term(term))


def _csv_head(variables: Sequence[str]) -> str:
    return ",".join(_csv_field(name) for name in variables) + "\r\n"


def _csv_row(variables: Sequence[str], row: Row) -> str:
    return ",".join(_csv_term(term) for term in row) + "\r\n"


def _csv_boolean(value: bool) -> bytes:
    return f"{ASK_COLUMN}\r\n{'true' if value else 'false'}\r\n".encode()


# --- TSV ------------------------------------------------------------------------------------------

_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _tsv_string(text: str) -> str:
    return '"' + "".join(_TSV_ESCAPES.get(char, char) for char in text) + '"'


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{_tsv_string(term.value)}@{term.language}"
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return _tsv_string(term.value)
        if datatype in _TSV_BARE and _bare_ok(term.value, datatype):
            return term.value
        return f"{_tsv_string(term.value)}^^<{datatype}>"
    return f"<< {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} >>"


def _bare_ok(text: str, datatype: str) -> bool:
    """True when a number or boolean can be written bare (its Turtle short form reads back the same)."""
    if datatype == XSD + "boolean":
        return text in ("true", "false")
    if datatype == XSD + "integer":
        return text.lstrip("+-").isdigit()
    if datatype == XSD + "decimal":
        whole, dot, fraction = text.lstrip("+-").partition(".")
        return bool(dot) and whole.isdigit() and fraction.isdigit()
    mantissa, e, exponent = text.lower().partition("e")
    return bool(e) and mantissa.lstrip("+-").replace(".", "", 1).isdigit() \
        and exponent.lstrip("+-").isdigit()


def _tsv_head(variables: Sequence[str]) -> str:
    return "\t".join(f"?{name}" for name in variables) + "\n"


def _tsv_row(variables: Sequence[str], row: Row) -> str:
    return "\t".join(_tsv_term(term) for term in row) + "\n"


def _tsv_boolean(value: bool) -> bytes:
    return f"?{ASK_COLUMN}\n{'true' if value else 'false'}\n".encode()


@dataclass(frozen=True)
class _Writer:
    """One results format: document head, one row, the separator between rows, the tail."""

    head: Callable[[Sequence[str]], str]
    row: Callable[[Sequence[str], Row], str]
    separator: str
    tail: str
    boolean: Callable[[bool], bytes]


#: format name → writer
WRITERS: dict[str, _Writer] = {
    "json": _Writer(_json_head, _json_row, ",", "]}}", _json_boolean),
    "xml": _Writer(_xml_head, _xml_row, "", "</results></sparql>\n", _xml_boolean),
    "csv": _Writer(_csv_head, _csv_row, "", "", _csv_boolean),
    "tsv": _Writer(_tsv_head, _tsv_row, "", "", _tsv_boolean),
}


@dataclass(frozen=True)
class Written:
    """A serialised result and how it was cut.

    Attributes:
        body: the document.
        rows: solutions (or triples) in it.
        truncated_by: ``max-rows`` or ``max-response-bytes`` when a cap cut the result, else None.
    """

    body: bytes
    rows: int
    truncated_by: str | None = None


def write_capped(format_name: str, variables: Sequence[str], rows: Iterable[Row], *,
                 max_rows: int = 0, max_bytes: int = 0) -> Written:
    """Serialise SELECT results row by row, stopping at a row or byte cap.

    Args:
        format_name: ``json``, ``xml``, ``csv`` or ``tsv``.
        variables: the projected variable names, without ``?``.
        rows: one sequence of terms (None when unbound) per solution, in ``variables`` order; read
            lazily, and at most one row past a cap.
        max_rows: the row cap (0: none).
        max_bytes: the byte cap on the whole document (0: none); the result is cut before the
            first row that would not fit.

    Raises:
        NotAcceptable: XML was asked for and a value holds a character XML 1.0 cannot carry.
    """
    writer = WRITERS[format_name]
    head = writer.head(variables).encode("utf-8")
    tail = writer.tail.encode("utf-8")
    budget = max_bytes - len(head) - len(tail) if max_bytes > 0 else None
    parts = [head]
    size = count = 0
    cut = None
    for row in rows:
        if max_rows > 0 and count == max_rows:
            cut = "max-rows"
            break
        chunk = ((writer.separator if count else "") + writer.row(variables, row)).encode("utf-8")
        if budget is not None and size + len(chunk) > budget:
            cut = "max-response-bytes"
            break
        parts.append(chunk)
        size += len(chunk)
        count += 1
    parts.append(tail)
    return Written(b"".join(parts), count, cut)


def write_solutions(format_name: str, variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """Serialise SELECT results, every row (see :func:`write_capped` for the capped form).

    Args:
        format_name: ``json``, ``xml``, ``csv`` or ``tsv``.
        variables: the projected variable names, without ``?``.
        rows: one sequence of terms (None when unbound) per solution, in ``variables`` order.
    """
    return write_capped(format_name, variables, rows).body


def write_boolean(format_name: str, value: bool) -> bytes:
    """Serialise an ASK answer in ``json``, ``xml``, ``csv`` or ``tsv``."""
    return WRITERS[format_name].boolean(value)
