"""Writers for SELECT and ASK results: SPARQL Results JSON, XML, CSV and TSV.

pyoxigraph can serialise a whole result set, but not the first *N* rows of one, and a public
endpoint must cap what it returns. These writers take the variables and an already cut list of
rows of pyoxigraph terms, and follow the W3C recommendations to the letter:

* JSON: https://www.w3.org/TR/sparql11-results-json/
* XML: https://www.w3.org/TR/rdf-sparql-XMLres/
* CSV and TSV: https://www.w3.org/TR/sparql11-results-csv-tsv/

CSV and TSV are defined for SELECT only. For ASK they carry one column, ``_askResult``, holding
``true`` or ``false`` (the shape Apache Jena uses), so a table reader still gets a table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = ["ASK_COLUMN", "WRITERS", "write_boolean", "write_solutions"]

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
            if term.direction is not None:
                value["its:dir"] = str(term.direction).rsplit(".", 1)[-1].lower()
        elif not _plain(term):
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _json_solutions(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
        for row in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_boolean(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


# --- XML ------------------------------------------------------------------------------------------

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml_text(text: str) -> str:
    """Escape for element content; CR and leading/trailing white space as character references,
    so that XML end-of-line handling and white-space trimming parsers keep them."""
    escaped = escape(text).replace("\r", "&#13;")
    stripped = escaped.strip(" \t\n")
    if stripped == escaped:
        return escaped
    start = escaped.index(stripped) if stripped else len(escaped)
    head, tail = escaped[:start], escaped[start + len(stripped):]
    return "".join(f"&#{ord(c)};" for c in head) + stripped + "".join(f"&#{ord(c)};" for c in tail)


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if not _plain(term):
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>")


def _xml_solutions(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    parts = [_XML_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(name)}/>" for name in variables]
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        parts += [f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                  for name, term in zip(variables, row, strict=True) if term is not None]
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode("utf-8")


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


def _csv_solutions(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = [",".join(_csv_field(name) for name in variables)]
    lines += [",".join(_csv_term(term) for term in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


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


def _tsv_solutions(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join(_tsv_term(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_boolean(value: bool) -> bytes:
    return f"?{ASK_COLUMN}\n{'true' if value else 'false'}\n".encode()


#: format name → (solutions writer, boolean writer)
WRITERS: dict[str, tuple[Callable[[Sequence[str], Sequence[Row]], bytes], Callable[[bool], bytes]]] = {
    "json": (_json_solutions, _json_boolean),
    "xml": (_xml_solutions, _xml_boolean),
    "csv": (_csv_solutions, _csv_boolean),
    "tsv": (_tsv_solutions, _tsv_boolean),
}


def write_solutions(format_name: str, variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """Serialise SELECT results.

    Args:
        format_name: ``json``, ``xml``, ``csv`` or ``tsv``.
        variables: the projected variable names, without ``?``.
        rows: one sequence of terms (None when unbound) per solution, in ``variables`` order.
    """
    return WRITERS[format_name][0](variables, rows)


def write_boolean(format_name: str, value: bool) -> bytes:
    """Serialise an ASK answer in ``json``, ``xml``, ``csv`` or ``tsv``."""
    return WRITERS[format_name][1](value)
