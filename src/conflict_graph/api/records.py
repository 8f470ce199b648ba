"""Plain JSON records: a SELECT answer as ``[{"column": value, ...}, ...]``, for clients that do not
speak SPARQL Results JSON (R's jsonlite, JavaScript, spreadsheets' JSON import).

Values are typed as the Python API types them (:mod:`conflict_graph.api.values`): numbers and
booleans become JSON numbers and booleans, dates and date-times ISO 8601 strings, IRIs and other
literals strings; an unbound value is ``null``. An ASK answer is ``[{"boolean": true}]``. The
records are written from the engine's SPARQL Results JSON, so they carry the same row and byte caps.
"""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

from .values import from_json_term

__all__ = ["MEDIA_TYPE", "NAME", "records"]

#: The ``format`` value that asks for records, and their media type.
NAME = "records"
MEDIA_TYPE = "application/json"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def records(sparql_json: bytes) -> bytes:
    """SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/) as records."""
    answer = json.loads(sparql_json)
    if "boolean" in answer:
        rows: list[dict[str, Any]] = [{"boolean": bool(answer["boolean"])}]
    else:
        columns = answer["head"].get("vars", [])
        rows = [{c: _plain(from_json_term(b.get(c))) for c in columns} for b in answer["results"]["bindings"]]
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
