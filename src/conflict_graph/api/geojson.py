"""The places of the graph as GeoJSON, each with its control history (RFC 7946).

:func:`places` answers a ``FeatureCollection`` (RFC 7946 §3.3) with one ``Feature`` per place that
has a point geometry (``geo:hasGeometry``/``geo:asWKT``, the background gazetteer): the geometry in
longitude, latitude order (§3.1.1; WKT ``POINT(x y)`` in CRS84 is already in that order), and as
properties the place's IRI, its local page path, label, place type, the source of its coordinates
and its control history: every ``cg:ControlAssertion`` about it with controller(s), co-controllers,
level, epistemic status, start and end bounds, the assertion IRI and its evidence sentences.

Given a date, each Feature also gets ``control_on_date``: the assertions that hold on that day
certainly or possibly, by the rule of :func:`holds_on`. Assertions with the status
``cg:NotYetClaimed`` are left out of it: they say a claim has not been made, not that anyone holds
the place.

A geometry that is not a WKT ``POINT`` in CRS84 (another shape, another reference system) is not
turned into a Feature; it is listed, with the reason, in the collection's ``not_exported`` member
(a foreign member, RFC 7946 §6.1), never dropped silently.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import iris
from ..errors import InputError
from ..linked_data.addresses import local_path
from .sparql_rows import Row, SelectRunner

__all__ = ["CRS84", "MEDIA_TYPE", "MEDIA_TYPES", "Bounds", "holds_on", "parse_date", "places",
           "point_coordinates"]

#: RFC 7946 §12.
MEDIA_TYPE = "application/geo+json"
#: What an ``Accept`` header may ask for to get the GeoJSON (it is JSON too).
MEDIA_TYPES = (MEDIA_TYPE, "application/json")

#: OGC's CRS84 (WGS 84, longitude first): GeoSPARQL's default reference system for WKT literals.
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_POINT = re.compile(
    r"^\s*(?:<(?P<crs>[^>]*)>\s*)?POINT\s*\(\s*(?P<x>[-+]?[0-9.]+(?:[eE][-+]?\d+)?)\s+"
    r"(?P<y>[-+]?[0-9.]+(?:[eE][-+]?\d+)?)\s*\)\s*$", re.IGNORECASE)
#: Control that a source says has not been claimed is no control on any date.
_NOT_CONTROL = frozenset({str(iris.CG.NotYetClaimed)})

_PREFIXES = f"""PREFIX cg: <{iris.CG}>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_PLACES = _PREFIXES + """
SELECT ?place ?label ?type ?typeLabel ?geometry ?wkt ?source ?sourceLabel ?sourceUrl WHERE {
  ?place geo:hasGeometry ?geometry . ?geometry geo:asWKT ?wkt .
  OPTIONAL { ?place skos:prefLabel ?label }
  OPTIONAL { ?place a ?type . ?type rdfs:label ?typeLabel . FILTER(STRSTARTS(STR(?type), STR(cg:))) }
  OPTIONAL { ?geometry prov:wasDerivedFrom ?source .
             OPTIONAL { ?source skos:prefLabel ?sourceLabel } OPTIONAL { ?source schema:url ?sourceUrl } }
}
"""

_ASSERTIONS = _PREFIXES + """
SELECT ?place ?assertion ?label ?level ?levelLabel ?rank ?status ?statusLabel
       ?earliestStart ?latestStart ?earliestEnd ?latestEnd WHERE {
  ?place geo:hasGeometry/geo:asWKT ?wkt .
  ?assertion a cg:ControlAssertion ; cg:controlledPlace ?place .
  OPTIONAL { ?assertion rdfs:label ?label }
  OPTIONAL { ?assertion cg:controlLevel ?level . OPTIONAL { ?level skos:prefLabel ?levelLabel }
             OPTIONAL { ?level cg:rank ?rank } }
  OPTIONAL { ?assertion cg:epistemicStatus ?status . OPTIONAL { ?status skos:prefLabel ?statusLabel } }
  OPTIONAL { ?assertion cg:earliestStart ?earliestStart } OPTIONAL { ?assertion cg:latestStart ?latestStart }
  OPTIONAL { ?assertion cg:earliestEnd ?earliestEnd } OPTIONAL { ?assertion cg:latestEnd ?latestEnd }
}
"""

_PARTIES = _PREFIXES + """
SELECT ?assertion ?role ?party ?label WHERE {
  ?place geo:hasGeometry/geo:asWKT ?wkt .
  ?assertion a cg:ControlAssertion ; cg:controlledPlace ?place .
  { ?assertion cg:controller ?party BIND("controller" AS ?role) }
  UNION { ?assertion cg:coController ?party BIND("co_controller" AS ?role) }
  OPTIONAL { ?party skos:prefLabel ?label }
}
"""

_EVIDENCE = _PREFIXES + """
SELECT ?assertion ?evidence ?quote ?sentence ?status ?statusLabel WHERE {
  ?place geo:hasGeometry/geo:asWKT ?wkt .
  ?assertion a cg:ControlAssertion ; cg:controlledPlace ?place ; cg:evidence ?evidence .
  ?evidence prov:entity ?quote . ?quote cg:sentenceId ?sentence .
  OPTIONAL { ?evidence cg:epistemicStatus ?status . OPTIONAL { ?status skos:prefLabel ?statusLabel } }
}
"""


def parse_date(value: str) -> date:
    """A ``YYYY-MM-DD`` date.

    Raises:
        InputError: anything else, named in the message.
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InputError(f"date must be YYYY-MM-DD, not {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"date {value!r} is not a calendar day ({exc})") from exc


@dataclass(frozen=True)
class Bounds:
    """The date bounds of a control assertion (``cg:earliestStart`` … ``cg:latestEnd``); None: unknown."""

    earliest_start: date | None = None
    latest_start: date | None = None
    earliest_end: date | None = None
    latest_end: date | None = None

    @property
    def has_end(self) -> bool:
        """True when the assertion says its control ended (either end bound is given)."""
        return self.earliest_end is not None or self.latest_end is not None


def holds_on(bounds: Bounds, day: date) -> str | None:
    """Whether control with these bounds holds on ``day``: ``certainly``, ``possibly`` or None.

    * **certainly**: it had started by then (latest start ≤ day) and had not ended (no end, or
      earliest end ≥ day);
    * **possibly**: it may have started by then (earliest start ≤ day, or no start bound) and may
      not yet have ended (no end, or latest end ≥ day), but is not certain;
    * None: it cannot hold (earliest start after the day, or latest end before it).

    These are the interval relations of SEM's uncertain time stamps (``sem:hasEarliestBeginTimeStamp``
    …), which ``cg:earliestStart`` … specialise.
    """
    may_have_started = bounds.earliest_start is None or bounds.earliest_start <= day
    may_not_have_ended = not bounds.has_end or (bounds.latest_end is None or bounds.latest_end >= day)
    if not (may_have_started and may_not_have_ended):
        return None
    started = bounds.latest_start is not None and bounds.latest_start <= day
    not_ended = not bounds.has_end or (bounds.earliest_end is not None and bounds.earliest_end >= day)
    return "certainly" if started and not_ended else "possibly"


def _named(iri: str, label: str | None) -> dict[str, Any]:
    return {"iri": iri, "label": label, "page": local_path(iri)}


def _term(iri: str | None, label: str | None) -> dict[str, Any] | None:
    return None if iri is None else _named(iri, label)


def _day(row: Row, name: str) -> date | None:
    value = row.get(name)
    return date.fromisoformat(value[:10]) if value else None


def _bounds_json(earliest: date | None, latest: date | None) -> dict[str, str | None] | None:
    if earliest is None and latest is None:
        return None
    return {"earliest": earliest.isoformat() if earliest else None,
            "latest": latest.isoformat() if latest else None}


def _parties(rows: Iterable[Row]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    parties: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in sorted(rows, key=lambda r: (r.get("label", ""), r["party"])):
        entry = _named(row["party"], row.get("label"))
        if entry not in parties[row["assertion"]][row["role"]]:
            parties[row["assertion"]][row["role"]].append(entry)
    return parties


def _evidence(rows: Iterable[Row]) -> dict[str, list[dict[str, Any]]]:
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["sentence"], r.get("statusLabel", ""), r["evidence"])):
        evidence[row["assertion"]].append({
            "sentence": row["sentence"], "quote": row["quote"], "page": local_path(row["quote"]),
            "evidence": row["evidence"], "status": row.get("statusLabel")})
    return evidence


def _history(select: SelectRunner) -> dict[str, list[tuple[Bounds, dict[str, Any]]]]:
    """Control assertions by place IRI, each with its bounds and its JSON form, ordered by start."""
    parties = _parties(select(_PARTIES, "simple"))
    evidence = _evidence(select(_EVIDENCE, "simple"))
    history: dict[str, list[tuple[Bounds, dict[str, Any]]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for row in select(_ASSERTIONS, "simple"):
        key = (row["place"], row["assertion"])
        if key in seen:  # a level or status given twice: keep the first row, never two entries
            continue
        seen.add(key)
        bounds = Bounds(_day(row, "earliestStart"), _day(row, "latestStart"),
                        _day(row, "earliestEnd"), _day(row, "latestEnd"))
        level = _term(row.get("level"), row.get("levelLabel"))
        if level is not None:
            level["rank"] = int(row["rank"]) if "rank" in row else None
        assertion = row["assertion"]
        history[row["place"]].append((bounds, {
            "assertion": assertion,
            "page": local_path(assertion),
            "label": row.get("label"),
            "controllers": parties[assertion]["controller"],
            "co_controllers": parties[assertion]["co_controller"],
            "level": level,
            "status": _term(row.get("status"), row.get("statusLabel")),
            "start": _bounds_json(bounds.earliest_start, bounds.latest_start),
            "end": _bounds_json(bounds.earliest_end, bounds.latest_end),
            "evidence": evidence[assertion],
        }))
    for entries in history.values():
        entries.sort(key=lambda e: (e[0].earliest_start or date.min, e[1]["assertion"]))
    return history


def _on_date(entries: list[tuple[Bounds, dict[str, Any]]], day: date) -> list[dict[str, Any]]:
    """The assertions holding on ``day``: certain ones first, then by level rank, highest first."""
    holding = []
    for bounds, entry in entries:
        status = entry["status"]
        if status is not None and status["iri"] in _NOT_CONTROL:
            continue
        holds = holds_on(bounds, day)
        if holds is not None:
            holding.append({"holds": holds, "assertion": entry["assertion"],
                            "controllers": entry["controllers"], "co_controllers": entry["co_controllers"],
                            "level": entry["level"], "status": entry["status"]})
    holding.sort(key=lambda h: (h["holds"] != "certainly", _rank_order(h["level"]), h["assertion"]))
    return holding


def _rank_order(level: dict[str, Any] | None) -> int:
    """Sort key: higher ranks first, levels without a rank (unspecified) last."""
    rank = level.get("rank") if level else None
    return -rank if isinstance(rank, int) else 1


def point_coordinates(wkt: str) -> tuple[list[float] | None, str | None]:
    """(``[longitude, latitude]``, None) for a CRS84 WKT point, else (None, the reason)."""
    match = _POINT.match(wkt)
    if match is None:
        return None, "not a WKT POINT"
    crs = match.group("crs")
    if crs and crs != CRS84:
        return None, f"reference system {crs} is not CRS84"
    lon, lat = float(match.group("x")), float(match.group("y"))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None, "coordinates out of range for longitude, latitude"
    return [lon, lat], None


def places(select: SelectRunner, day: date | None = None) -> dict[str, Any]:
    """The GeoJSON ``FeatureCollection`` of the places with coordinates (see the module docstring).

    Args:
        select: runs the queries (:mod:`.sparql_rows`).
        day: when given, each Feature gets ``control_on_date`` and the collection a ``date`` member.

    Raises:
        QueryError: a query failed or its answer was cut by the server's limits.
    """
    by_place: dict[str, list[Row]] = defaultdict(list)
    for row in select(_PLACES, "simple"):
        by_place[row["place"]].append(row)
    history = _history(select)
    features, not_exported = [], []
    for place in sorted(by_place):
        rows = by_place[place]
        geometries = sorted({(r["geometry"], r["wkt"]) for r in rows})
        geometry, wkt = geometries[0]
        coordinates, reason = point_coordinates(wkt)
        if coordinates is None:
            not_exported.append({"place": place, "geometry": geometry, "wkt": wkt, "reason": reason})
            continue
        types = sorted({(r["typeLabel"], r["type"]) for r in rows if "type" in r})
        sources = sorted({(r["source"], r.get("sourceLabel"), r.get("sourceUrl"))
                          for r in rows if "source" in r}, key=lambda s: s[0])
        entries = history.get(place, [])
        properties: dict[str, Any] = {
            "iri": place,
            "page": local_path(place),
            "label": next((r["label"] for r in rows if "label" in r), None),
            "place_type": types[0][0] if types else None,
            "place_type_iri": types[0][1] if types else None,
            "geometry_iri": geometry,
            "coordinate_sources": [{"iri": iri, "label": label, "url": url, "page": local_path(iri)}
                                   for iri, label, url in sources],
            "control_history": [entry for _, entry in entries],
        }
        if day is not None:
            properties["control_on_date"] = _on_date(entries, day)
        features.append({"type": "Feature", "id": place,
                         "geometry": {"type": "Point", "coordinates": coordinates},
                         "properties": properties})
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if day is not None:
        collection["date"] = day.isoformat()
    if not_exported:
        collection["not_exported"] = not_exported
    return collection
