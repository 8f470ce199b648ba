"""Parse one RDF file with pyoxigraph; a syntax error names the file, the line and the column.

pyoxigraph reports the line and column of most syntax errors itself. Its streaming RDF/XML and
JSON-LD parsers report some errors (an unbalanced tag, a ``@type`` that is not a string) without
a position; for those, :func:`read_quads` bisects for the shortest prefix of the file that fails
with the same message (a JSON prefix gets its open brackets closed first), which is the line
where the parser met the fault.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import DataLoadError

__all__ = ["OX_FORMATS", "read_quads"]

#: rdflib-style format names (as in ``inputs.FORMATS``) → pyoxigraph formats.
OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML,
}
_OX_LOCATION = re.compile(r"^Parser error (?:at|between) .*?: ")


def _syntax_error(data: bytes, fmt: ox.RdfFormat, base: str) -> SyntaxError | None:
    try:
        for _ in ox.parse(input=data, format=fmt, base_iri=base):
            pass
    except SyntaxError as exc:
        return exc
    return None


def _close_json(prefix: bytes) -> bytes:
    """Close the open JSON arrays and objects of a truncated document, so it can be parsed."""
    stack: list[str] = []
    in_string = escaped = False
    for char in prefix.decode("utf-8", "replace"):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append("]" if char == "[" else "}")
        elif char in "]}" and stack:
            stack.pop()
    text = prefix.rstrip()
    text = text[:-1] if text.endswith(b",") else text + (b" null" if text.endswith(b":") else b"")
    return text + "".join(reversed(stack)).encode()


def _locate(data: bytes, fmt: ox.RdfFormat, base: str, message: str) -> int | None:
    """Find the first line at which a location-less parser error appears (streaming parsers).

    Parses growing prefixes of the file (JSON prefixes closed with their missing brackets) and
    bisects for the shortest one that fails with the same message.
    """
    lines = data.splitlines(keepends=True)

    def fails(count: int) -> bool:
        prefix = b"".join(lines[:count])
        if fmt == ox.RdfFormat.JSON_LD:
            prefix = _close_json(prefix)
        error = _syntax_error(prefix, fmt, base)
        return error is not None and error.msg == message

    low, high = 1, len(lines)
    if not lines or not fails(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if fails(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _parse_error(path: Path, data: bytes, fmt: ox.RdfFormat, base: str,
                 exc: SyntaxError) -> DataLoadError:
    reason = _OX_LOCATION.sub("", exc.msg or str(exc))
    line, column = exc.lineno, exc.offset
    if line is None:
        line = _locate(data, fmt, base, exc.msg)
    if line is None:
        return DataLoadError(f"{path} (line unknown): {reason}")
    column_text = f":{column}" if column and exc.lineno else ""
    return DataLoadError(f"{path}:{line}{column_text}: {reason}")


def read_quads(path: Path, format: str, graph: str | None = None) -> tuple[list[ox.Quad], dict[str, str]]:
    """Parse a file; return its quads and its prefix declarations.

    Args:
        path: the file; relative IRIs resolve against its ``file:`` URI.
        format: a key of :data:`OX_FORMATS`.
        graph: put every triple in this named graph (for a file of triples); None keeps the
            graphs of a quads file (default-graph triples stay in the default graph).

    Raises:
        DataLoadError: the file is unreadable or malformed (``path:line:column: reason``).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataLoadError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    fmt = OX_FORMATS[format]
    base = path.resolve().as_uri()
    target = ox.NamedNode(graph) if graph is not None else None
    parser = ox.parse(input=data, format=fmt, base_iri=base)
    try:
        quads = [q if target is None else ox.Quad(q.subject, q.predicate, q.object, target)
                 for q in parser]
    except SyntaxError as exc:
        raise _parse_error(path, data, fmt, base, exc) from exc
    return quads, dict(getattr(parser, "prefixes", {}) or {})
