"""SELECT results written by pyoxigraph's own writers, cut at the row and byte caps.

pyoxigraph serialises a whole result set in Rust (``QuerySolutions.serialize``), several times
faster than writing it row by row in Python, but it cannot stop after *N* rows. So the writer
gets a sink (:class:`_Sink`) that keeps what it is given, stops the serialisation once it holds
more than the byte cap or surely more rows than the row cap, and the document is then cut at the
last whole row that fits and closed again. Where each row ends is read from the bytes of each
format, which is exact because every writer escapes what could look like a row boundary:

* JSON (https://www.w3.org/TR/sparql11-results-json/): rows are objects separated by ``},{``
  outside strings (inside a row, objects are followed by ``,"name"``, never by ``,{``);
* XML (https://www.w3.org/TR/rdf-sparql-XMLres/): every row is one ``<result>`` element, and
  ``<`` in text or attributes is always escaped;
* TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/): one row a line; line breaks in values
  are written ``\\n``;
* CSV (same page): one row a CRLF-ended line; a value holding a line break is quoted.

XML 1.0 cannot carry some characters an RDF literal may hold (:data:`results.NOT_XML_BYTES`); a
result holding one is refused as XML (:class:`~conflict_graph.errors.NotAcceptable`), and a
carriage return is written as ``&#13;`` so that XML end-of-line handling keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import NotAcceptable
from .results import NOT_XML_BYTES, Written, not_xml_message

__all__ = ["SOLUTION_FORMATS", "write_solutions_capped"]

#: conneg format name → pyoxigraph results format.
SOLUTION_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


@dataclass(frozen=True)
class _Layout:
    """Where rows begin and end in one format's documents.

    Attributes:
        scan: a regex whose ``end`` group matches where a row ends (``end`` ends the row); other
            alternatives skip strings so that nothing inside a value is taken for a boundary.
        first_row: the text after which the first row starts (the end of the head).
        tail: what closes a document after its last row.
        sure_boundary: bytes that only ever appear at a row boundary: counting them gives a lower
            bound on the rows written so far (None: the format has none that is cheap to count).
        end_in_match: the row ends one byte into the ``end`` match (JSON's ``}``), not after it.
    """

    scan: re.Pattern[bytes]
    first_row: bytes
    tail: bytes
    sure_boundary: bytes | None
    end_in_match: bool = False

    def rows_start(self, data: bytes) -> int:
        found = data.find(self.first_row)
        return len(data) if found < 0 else found + len(self.first_row)

    def row_ends(self, data: bytes) -> Iterator[int]:
        """Offsets just past the end of each complete row, in order."""
        for match in self.scan.finditer(data, self.rows_start(data)):
            if match.lastgroup == "end":
                yield match.start("end") + 1 if self.end_in_match else match.end("end")


_STRING = rb'"(?:[^"\\]|\\.)*\\?(?:"|\Z)'
_JSON = _Layout(re.compile(_STRING + rb"|(?P<end>\},\{|\}\]\}\}\Z)"), b'"bindings":[', b"]}}", b'},{"', True)
_XML = _Layout(re.compile(rb"(?P<end></result>)"), b"<results>", b"</results></sparql>", b"<result>")
_TSV = _Layout(re.compile(rb"(?P<end>\n)"), b"\n", b"", b"\n")
_CSV = _Layout(re.compile(rb'"(?:[^"]|"")*(?:"|\Z)|(?P<end>\r\n)'), b"\r\n", b"", None)
_LAYOUTS = {"json": _JSON, "xml": _XML, "tsv": _TSV, "csv": _CSV}


def _fast_count(format_name: str, data: bytes) -> int | None:
    """The rows of a complete document by counting bytes, when that is exact; else None."""
    if format_name == "json":
        if b"},{}" in data:  # an empty row (or that text in a value): scan instead
            return None
        start = _JSON.rows_start(data)
        return 0 if data[start : start + 1] == b"]" else data.count(b'},{"', start) + 1
    if format_name == "xml":
        return data.count(b"<result>")
    if format_name == "tsv":
        return max(0, data.count(b"\n") - 1)
    if b'"' in data:  # a quoted value may hold CRLF
        return None
    return max(0, data.count(b"\r\n") - 1)


class _Stop(Exception):
    """Raised by the sink to stop the serialisation: it holds enough."""


class _Sink:
    """A binary file for ``serialize`` that stops it once the caps are surely reached."""

    def __init__(self, format_name: str, max_rows: int, max_bytes: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.stopped = False
        self._xml = format_name == "xml"
        self._boundary = _LAYOUTS[format_name].sure_boundary
        self._max_rows = max_rows
        self._max_bytes = max_bytes
        self._seen = 0
        self._carry = b""
        self._carry_xml = b""
        self.refused: NotAcceptable | None = None

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        if self._xml:
            chunk = self._xml_chunk(chunk)
        self.parts.append(chunk)
        self.size += len(chunk)
        if self._max_bytes > 0 and self.size > self._max_bytes:
            self._stop()
        if self._max_rows > 0 and self._boundary is not None:
            window = self._carry + chunk
            self._seen += window.count(self._boundary)
            self._carry = window[-(len(self._boundary) - 1) :]
            if self._seen >= self._max_rows + 2:  # max_rows whole rows, and one more after them
                self._stop()
        return len(data)

    def _xml_chunk(self, chunk: bytes) -> bytes:
        found = NOT_XML_BYTES.search(self._carry_xml + chunk)
        if found is not None:
            self.refused = NotAcceptable(not_xml_message(found.group().decode("utf-8", "replace")))
            raise _Stop
        self._carry_xml = chunk[-2:]
        return chunk.replace(b"\r", b"&#13;")

    def flush(self) -> None:
        """Nothing is buffered here."""

    def _stop(self) -> None:
        self.stopped = True
        raise _Stop


def _cut(format_name: str, data: bytes, max_rows: int, max_bytes: int) -> Written:
    """Cut ``data`` after its last whole row within both caps and close it again."""
    layout = _LAYOUTS[format_name]
    budget = max_bytes - len(layout.tail) if max_bytes > 0 else len(data)
    keep = layout.rows_start(data)
    rows = 0
    reason = None
    for end in layout.row_ends(data):
        if max_rows > 0 and rows == max_rows:
            reason = "max-rows"
            break
        if end > budget:
            reason = "max-response-bytes"
            break
        keep, rows = end, rows + 1
    else:
        if max_bytes > 0 and len(data) > max_bytes:
            reason = "max-response-bytes"  # the document (or a row) did not fit after its last row
    if reason is None:
        return Written(data, rows, None)
    return Written(data[:keep] + layout.tail, rows, reason)


def write_solutions_capped(
    solutions: ox.QuerySolutions, format_name: str, *, max_rows: int = 0, max_bytes: int = 0
) -> Written:
    """Serialise SELECT results with pyoxigraph, cut at a row boundary by the row and byte caps.

    Args:
        solutions: the query's solutions (consumed).
        format_name: ``json``, ``xml``, ``csv`` or ``tsv``.
        max_rows: the row cap (0: none).
        max_bytes: the byte cap on the whole document (0: none).

    Raises:
        NotAcceptable: XML was asked for and a value holds a character XML 1.0 cannot carry.
    """
    sink = _Sink(format_name, max_rows, max_bytes)
    try:
        solutions.serialize(sink, SOLUTION_FORMATS[format_name])  # type: ignore[arg-type]  # a writable object
    except Exception:  # pyoxigraph passes on what the sink raised, wrapped
        if sink.refused is not None:
            raise sink.refused from None
        if not sink.stopped:
            raise
    data = b"".join(sink.parts)
    if not sink.stopped and (max_bytes <= 0 or len(data) <= max_bytes):
        rows = _fast_count(format_name, data)
        if rows is not None and (max_rows <= 0 or rows <= max_rows):
            return Written(data, rows, None)
    return _cut(format_name, data, max_rows, max_bytes)
