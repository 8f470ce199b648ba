"""Events as an ACLED-style CSV: ACLED's column names and codes, one row per event and place.

The column set and the codes follow the ACLED Codebook (2023 edition: event types and sub-event
types §3, ``inter`` actor codes §4, ``time_precision`` and ``geo_precision`` §5); extension columns
that ACLED does not have come after ACLED's own and start with ``cg_``. How the ontology's event
classes map to ACLED event types is the table :data:`EVENT_TYPES` (documented in
``docs/exports.md``); events of other classes (operations and their phases, a party's losses over a
period, a popular uprising) are periods or summaries, not ACLED events, and are left out.

Nothing is invented to fill a column: a value the graph does not hold stays empty (``fatalities``:
the article reports no deaths for any one event; ``admin2``, the district, is never named).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .. import iris
from .source import DatasetSource, Row

CG = str(iris.CG)

__all__ = ["COLUMNS", "EVENT_TYPES", "INTER_CODES", "AcledRow", "acled_csv", "acled_rows"]

#: ACLED's columns in the order of its exports, then ours (``cg_…``).
COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
    "cg_event", "cg_event_class", "cg_earliest_date", "cg_latest_date", "cg_place",
    "cg_epistemic_status", "cg_sentences",
)


@dataclass(frozen=True)
class EventType:
    """An ACLED disorder type, event type and sub-event type."""

    disorder_type: str
    event_type: str
    sub_event_type: str


_BATTLE = "Political violence"
_STRATEGIC = EventType("Strategic developments", "Strategic developments", "Other")
#: Ontology event class (most specific first) → ACLED event type. A seizure is coded by who seized:
#: see :func:`_event_type`.
EVENT_TYPES: dict[str, EventType] = {
    CG + "Recapture": EventType(_BATTLE, "Battles", "Government regains territory"),
    CG + "Seizure": EventType(_BATTLE, "Battles", "Non-state actor overtakes territory"),
    CG + "Clash": EventType(_BATTLE, "Battles", "Armed clash"),
    CG + "Attack": EventType(_BATTLE, "Battles", "Armed clash"),
    CG + "Claim": _STRATEGIC,
    CG + "Announcement": _STRATEGIC,
    CG + "SecurityMeasure": _STRATEGIC,
    CG + "FormationOfBody": EventType("Strategic developments", "Strategic developments",
                                      "Change to group/activity"),
    CG + "Coup": _STRATEGIC,
}
_GOVERNMENT_REGAINS = EventType(_BATTLE, "Battles", "Government regains territory")
_NON_STATE_OVERTAKES = EventType(_BATTLE, "Battles", "Non-state actor overtakes territory")

#: Ontology actor class → ACLED ``inter`` code (Codebook §4): 1 state forces, 2 rebel groups.
#: Unnamed groups ("allies") and organisations the article gives no armed type get no code.
INTER_CODES: dict[str, int] = {
    CG + "StateMilitary": 1,
    CG + "NonStateArmedGroup": 2,
}
_COUNTRY = {"iso": "104", "region": "Southeast Asia", "country": "Myanmar"}

_PREFIXES = """
PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_EVENTS = _PREFIXES + """
SELECT ?event ?class ?status ?earliestStart ?latestStart ?earliestEnd ?latestEnd
       ?publishedEarliest ?publishedLatest WHERE {
  ?event a cg:Event ; a ?class .
  VALUES ?class { %s }
  OPTIONAL { ?event cg:epistemicStatus ?status }
  OPTIONAL { ?event cg:earliestStart ?earliestStart }
  OPTIONAL { ?event cg:latestStart ?latestStart }
  OPTIONAL { ?event cg:earliestEnd ?earliestEnd }
  OPTIONAL { ?event cg:latestEnd ?latestEnd }
  OPTIONAL { ?event cg:holdsAtPublicationOf ?document .
             ?document cg:earliestPublicationDate ?publishedEarliest ;
                       cg:latestPublicationDate ?publishedLatest }
}"""
_ROLES = _PREFIXES + """
SELECT ?event ?role ?actor ?label ?type WHERE {
  VALUES ?role { cg:perpetrator cg:coAgent cg:opponent }
  ?event a cg:Event ; ?role ?actor .
  OPTIONAL { ?actor skos:prefLabel ?pref FILTER(langMatches(lang(?pref), "en")) }
  OPTIONAL { ?actor rdfs:label ?plain }
  BIND(COALESCE(?pref, ?plain, STR(?actor)) AS ?label)
  OPTIONAL { ?actor a ?type VALUES ?type { %s } }
}"""
_PLACES = _PREFIXES + """
SELECT ?event ?place ?placeLabel ?placeClass ?wkt ?admin ?adminClass ?adminLabel WHERE {
  ?event a cg:Event ; cg:eventPlace ?place .
  OPTIONAL { ?place skos:prefLabel ?placePref FILTER(langMatches(lang(?placePref), "en")) }
  OPTIONAL { ?place rdfs:label ?placePlain }
  BIND(COALESCE(?placePref, ?placePlain, STR(?place)) AS ?placeLabel)
  OPTIONAL { ?place a ?placeClass VALUES ?placeClass { cg:Town cg:City cg:Township cg:StateOrRegion
                                                       cg:InformalRegion cg:Country } }
  OPTIONAL { ?place geo:hasGeometry/geo:asWKT ?wkt }
  OPTIONAL {
    ?place cg:locatedIn ?admin .
    ?admin a ?adminClass VALUES ?adminClass { cg:StateOrRegion cg:Township }
    ?admin skos:prefLabel ?adminLabel FILTER(langMatches(lang(?adminLabel), "en"))
  }
}"""
_SENTENCES = _PREFIXES + """
SELECT ?event ?sentence ?text ?publisher WHERE {
  ?event a cg:Event ; cg:evidence/prov:entity ?quote .
  ?quote cg:sentenceId ?sentence ; prov:value ?text .
  OPTIONAL { ?quote prov:wasQuotedFrom/cg:publishedBy/skos:prefLabel ?publisher }
}"""


@dataclass(frozen=True)
class AcledRow:
    """One row of the export: ACLED's columns and ours, by name (see :data:`COLUMNS`)."""

    values: dict[str, str]

    def as_list(self) -> list[str]:
        return [self.values.get(name, "") for name in COLUMNS]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _bounds(row: Row) -> tuple[date | None, date | None, date | None]:
    """The event's coded date and the earliest and latest date of the interval it is placed in.

    The interval is the event's start bounds (its latest end when no latest start is given); an
    event the source reports as ongoing at publication, with no date of its own, is placed in the
    source's publication window. ``event_date`` is the interval's latest date, so an event is
    never dated before the source places it; both ends are kept in ``cg_earliest_date`` and
    ``cg_latest_date``.
    """
    earliest = _date(row.get("earliestStart"))
    latest = _date(row.get("latestStart")) or _date(row.get("latestEnd"))
    if earliest is None and latest is None:
        earliest, latest = _date(row.get("publishedEarliest")), _date(row.get("publishedLatest"))
    return latest or earliest, earliest, latest


def _time_precision(earliest: date | None, latest: date | None) -> str:
    """ACLED ``time_precision``: 1 the day is known, 2 within a week, 3 within a month or more."""
    if earliest is None or latest is None:
        return "3"
    span = (latest - earliest).days
    return "1" if span == 0 else "2" if span <= 7 else "3"


def _event_type(classes: Sequence[str], perpetrator_codes: Iterable[int]) -> EventType | None:
    for candidate in EVENT_TYPES:
        if candidate in classes:
            if candidate in (CG + "Seizure", CG + "Recapture"):
                return _GOVERNMENT_REGAINS if 1 in set(perpetrator_codes) else _NON_STATE_OVERTAKES
            return EVENT_TYPES[candidate]
    return None


def _geo_precision(place_class: str | None, has_point: bool) -> str:
    """ACLED ``geo_precision``: 1 a town with coordinates, 2 part of a region (a township, or a
    town without a point), 3 a larger region only."""
    if place_class in (CG + "Town", CG + "City") and has_point:
        return "1"
    if place_class in (CG + "Town", CG + "City", CG + "Township"):
        return "2"
    return "3"


def _point(wkt: str) -> tuple[str, str]:
    """Latitude and longitude of a WKT ``POINT(lon lat)`` (GeoSPARQL, CRS84 order)."""
    inside = wkt[wkt.index("(") + 1: wkt.rindex(")")].split()
    return inside[1], inside[0]


def acled_rows(source: DatasetSource) -> list[AcledRow]:
    """One :class:`AcledRow` per event of a mapped class and place it happened at (ordered by date)."""
    values = " ".join(f"<{iri}>" for iri in EVENT_TYPES)
    events: dict[str, dict[str, object]] = {}
    classes: dict[str, list[str]] = defaultdict(list)
    for row in source.select(_EVENTS % values, "owl-rl"):
        key = row["event"]
        classes[key].append(row["class"])
        events[key] = {"row": row}
    actors: dict[str, dict[str, dict[str, tuple[str, set[int]]]]] = defaultdict(lambda: defaultdict(dict))
    inter_values = " ".join(f"<{iri}>" for iri in INTER_CODES)
    for row in source.select(_ROLES % inter_values, "owl-rl"):
        role = _local_name(row["role"])
        actor = row["actor"]
        label, codes = actors[row["event"]][role].get(actor, (row["label"], set()))
        if "type" in row:
            codes.add(INTER_CODES[row["type"]])
        actors[row["event"]][role][actor] = (label, codes)
    places: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in source.select(_PLACES, "owl-rl"):
        place = places[row["event"]].setdefault(row["place"], {"label": row["placeLabel"]})
        if "placeClass" in row and place.get("class") in (None, CG + "InformalRegion", CG + "Country"):
            place["class"] = row["placeClass"]
        if "wkt" in row:
            place["wkt"] = row["wkt"]
        if "adminClass" in row:
            level = "admin1" if row["adminClass"] == CG + "StateOrRegion" else "admin3"
            place.setdefault(level, row["adminLabel"])
    sentences: dict[str, dict[str, str]] = defaultdict(dict)
    publishers: dict[str, set[str]] = defaultdict(set)
    for row in source.select(_SENTENCES, "owl-rl"):
        sentences[row["event"]][row["sentence"]] = row["text"]
        if "publisher" in row:
            publishers[row["event"]].add(row["publisher"])

    out: list[AcledRow] = []
    for event, info in events.items():
        row = info["row"]
        assert isinstance(row, dict)
        roles = actors.get(event, {})
        perpetrators = sorted(roles.get("perpetrator", {}).values())
        co_agents = sorted(roles.get("coAgent", {}).values())
        opponents = sorted(roles.get("opponent", {}).values())
        kind = _event_type(classes[event], (c for _, codes in perpetrators for c in codes))
        if kind is None:
            continue
        coded, earliest, latest = _bounds(row)
        inter1 = _inter(perpetrators)
        inter2 = _inter(opponents)
        quoted = sentences.get(event, {})
        base = {
            "event_date": coded.isoformat() if coded else "",
            "year": str(coded.year) if coded else "",
            "time_precision": _time_precision(earliest, latest),
            "disorder_type": kind.disorder_type, "event_type": kind.event_type,
            "sub_event_type": kind.sub_event_type,
            "actor1": perpetrators[0][0] if perpetrators else "",
            "assoc_actor_1": "; ".join(label for label, _ in perpetrators[1:] + co_agents),
            "inter1": inter1,
            "actor2": opponents[0][0] if opponents else "",
            "assoc_actor_2": "; ".join(label for label, _ in opponents[1:]),
            "inter2": inter2,
            "interaction": "".join(sorted(c for c in (inter1, inter2) if c)),
            **_COUNTRY,
            "source": "; ".join(sorted(publishers.get(event, ()))),
            "notes": " ".join(f"[{sid}] {text}" for sid, text in sorted(quoted.items())),
            "tags": row.get("status", "").rsplit("#", 1)[-1].lower(),
            "cg_event": event, "cg_event_class": ", ".join(sorted(_local_name(c) for c in classes[event])),
            "cg_earliest_date": earliest.isoformat() if earliest else "",
            "cg_latest_date": latest.isoformat() if latest else "",
            "cg_epistemic_status": row.get("status", ""),
            "cg_sentences": " ".join(sorted(quoted)),
        }
        for place_iri, place in sorted(places.get(event, {}).items()) or [("", {})]:
            latitude, longitude = _point(place["wkt"]) if "wkt" in place else ("", "")
            values = dict(base)
            values.update({
                "admin1": place.get("admin1", place.get("label", "") if place.get("class") in
                                    (CG + "StateOrRegion", CG + "InformalRegion") else ""),
                "admin3": place.get("admin3", place.get("label", "") if place.get("class") == CG + "Township"
                                    else ""),
                "location": place.get("label", ""), "latitude": latitude, "longitude": longitude,
                "geo_precision": _geo_precision(place.get("class"), "wkt" in place) if place_iri else "",
                "cg_place": place_iri,
            })
            out.append(AcledRow(values))
    out.sort(key=lambda r: (r.values["event_date"], r.values["cg_event"], r.values["cg_place"]))
    for number, item in enumerate(out, start=1):
        item.values["event_id_cnty"] = f"MMR-CG{number:05d}"
    return out


def _inter(actors: Sequence[tuple[str, set[int]]]) -> str:
    """The ``inter`` code of the first actor that has one (state forces win over rebels)."""
    codes = sorted(code for _, found in actors[:1] for code in found)
    return str(codes[0]) if codes else ""


def acled_csv(source: DatasetSource) -> bytes:
    """The ACLED-style CSV (UTF-8, a header row, RFC 4180 quoting, ``\\r\\n`` line ends)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in acled_rows(source):
        writer.writerow(row.as_list())
    return buffer.getvalue().encode("utf-8")
