"""Text for the terminal: query results, graph tables and RDF serializations.

SELECT results are written as an aligned table (``table``), as SPARQL 1.1 Query Results CSV
(https://www.w3.org/TR/sparql11-results-csv-tsv/) or JSON
(https://www.w3.org/TR/sparql11-results-json/); ASK results as ``true``/``false`` or those formats;
CONSTRUCT and DESCRIBE results as Turtle (``table``) or JSON-LD (``json``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from .. import iris
from ..errors import InputError

__all__ = ["DEFAULT_PREFIXES", "FORMATS", "query_result", "table", "term_text"]

#: Output formats of ``conflict-graph query``.
FORMATS = ("table", "csv", "json")
#: Prefixes used to shorten IRIs in tables and Turtle, besides those the query declares.
DEFAULT_PREFIXES: dict[str, str] = dict(iris.PREFIXES)
_MAX_CELL = 80
#: Local names printed after a prefix only when they can be pasted back into a query as they are
#: (a simple case of SPARQL's PN_LOCAL: no "/", "#" or other characters that need escaping).
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
_RESULTS_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON}


def term_text(term: object, prefixes: Mapping[str, str]) -> str:
    """A short readable form of an RDF term: ``cg:Town``, ``Lashio@en``, ``2024-08-03``, ``_:b0``."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
            local = term.value[len(namespace):]
            if term.value.startswith(namespace) and _LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, count: bool = True) -> str:
    """An aligned plain-text table with a header rule and, if ``count``, a row count below it."""
    body = [[_cell(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    if count:
        lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines)


def query_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str,
                 prefixes: Mapping[str, str]) -> bytes:
    """Serialize a pyoxigraph query result for the terminal.

    Raises:
        InputError: the format does not fit the result (CSV for a graph result).
    """
    known = {**DEFAULT_PREFIXES, **prefixes}
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return b"true\n" if bool(result) else b"false\n"
        return result.serialize(format=_RESULTS_FORMATS[fmt]) or b""
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            names = [v.value for v in result.variables]
            rows = ([term_text(solution[name], known) for name in names] for solution in result)
            return (table(names, rows) + "\n").encode()
        return result.serialize(format=_RESULTS_FORMATS[fmt]) or b""
    if fmt == "csv":
        raise InputError("CSV is for SELECT and ASK results; use --format table (Turtle) or json (JSON-LD)")
    rdf_format = ox.RdfFormat.TURTLE if fmt == "table" else ox.RdfFormat.JSON_LD
    return ox.serialize(list(result), format=rdf_format, prefixes=dict(known)) or b""
