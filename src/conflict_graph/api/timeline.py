"""The events of the graph with their date bounds, and the period the data covers: the map's timeline.

An event (any instance of a subclass of ``cg:Event``) carries up to four bounds (``cg:earliestStart``,
``cg:latestStart``, ``cg:earliestEnd``, ``cg:latestEnd``; SEM's uncertain time stamps); the timeline
draws each event as the range from its earliest known bound to its latest known bound, never as a
point it does not know. Events without any bound are returned too, with ``start`` and ``end`` None.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from .. import iris
from ..linked_data.addresses import local_path
from .sparql_rows import Row, SelectRunner

__all__ = ["events", "period"]

_PREFIXES = f"""PREFIX cg: <{iris.CG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_EVENTS = _PREFIXES + """
SELECT ?event ?label ?type ?typeLabel ?earliestStart ?latestStart ?earliestEnd ?latestEnd WHERE {
  ?event a ?type . ?type rdfs:subClassOf* cg:Event .
  FILTER(STRSTARTS(STR(?type), STR(cg:)))
  OPTIONAL { ?type rdfs:label ?typeLabel }
  OPTIONAL { ?event skos:prefLabel ?label }
  OPTIONAL { ?event cg:earliestStart ?earliestStart } OPTIONAL { ?event cg:latestStart ?latestStart }
  OPTIONAL { ?event cg:earliestEnd ?earliestEnd } OPTIONAL { ?event cg:latestEnd ?latestEnd }
}
"""

_PLACES = _PREFIXES + """
SELECT ?event ?place ?label WHERE {
  ?event a ?type . ?type rdfs:subClassOf* cg:Event . ?event cg:eventPlace ?place .
  OPTIONAL { ?place skos:prefLabel ?label }
}
"""

_BOUNDS = ("earliestStart", "latestStart", "earliestEnd", "latestEnd")

_PERIOD = _PREFIXES + """
SELECT (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  ?x a cg:ControlAssertion ; ?bound ?day .
  VALUES ?bound { cg:earliestStart cg:latestStart cg:earliestEnd cg:latestEnd }
}
"""


def period(select: SelectRunner) -> tuple[date, date] | None:
    """The first and last day a control assertion's bounds name (the span over which control can be
    shown), or None if no assertion has a bound. Events may lie outside it (the 2021 coup)."""
    rows = select(_PERIOD, "simple")
    if not rows or "first" not in rows[0]:
        return None
    return date.fromisoformat(rows[0]["first"][:10]), date.fromisoformat(rows[0]["last"][:10])


def _event(rows: list[Row], places: list[dict[str, Any]]) -> dict[str, Any]:
    first = rows[0]
    days = {name: first[name][:10] for name in _BOUNDS if name in first}
    known = sorted(days.values())
    types = sorted({(r.get("typeLabel", r["type"]), r["type"]) for r in rows})
    return {
        "iri": first["event"],
        "page": local_path(first["event"]),
        "label": first.get("label"),
        "types": [{"iri": iri, "label": label} for label, iri in types],
        "bounds": {"earliest_start": days.get("earliestStart"), "latest_start": days.get("latestStart"),
                   "earliest_end": days.get("earliestEnd"), "latest_end": days.get("latestEnd")},
        "from": known[0] if known else None,
        "to": known[-1] if known else None,
        "open_start": "earliestStart" not in days and "latestStart" not in days,
        "places": places,
    }


def events(select: SelectRunner) -> list[dict[str, Any]]:
    """Every event with its types, bounds, drawn range (``from``, ``to``) and places.

    Sorted by ``from`` (undated last), then label. The types are the asserted ones (simple
    entailment), so a seizure is listed as a seizure, not also as every superclass of it.
    """
    by_event: dict[str, list[Row]] = defaultdict(list)
    for row in select(_EVENTS, "simple"):
        by_event[row["event"]].append(row)
    places: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(select(_PLACES, "simple"), key=lambda r: (r.get("label", ""), r["place"])):
        entry = {"iri": row["place"], "label": row.get("label"), "page": local_path(row["place"])}
        if entry not in places[row["event"]]:
            places[row["event"]].append(entry)
    answer = [_event(rows, places[iri]) for iri, rows in by_event.items()]
    answer.sort(key=lambda e: (e["from"] is None, e["from"] or "", e["label"] or "", e["iri"]))
    return answer
