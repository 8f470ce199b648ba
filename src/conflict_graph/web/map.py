"""The map and timeline page at ``/map`` and the GeoJSON of places at ``/api/places.geojson``.

``GET /api/places.geojson`` answers :func:`conflict_graph.api.geojson.places` as
``application/geo+json`` (RFC 7946 §12); ``?date=YYYY-MM-DD`` adds each place's
``control_on_date``. ``GET /map`` draws those places with Leaflet over a vendored outline of
Myanmar (``static/map/vendor/``, from ``scripts/vendor-map.sh``), with a date slider over the
period the control assertions cover and a timeline of events below. The page loads nothing from
another host; its Content-Security-Policy is the query page's. Every answer is read through the
query service, so the same limits apply as to ``/sparql``.
"""

from __future__ import annotations

import json
import mimetypes
from datetime import date
from typing import Any

from flask import Blueprint, Response, make_response, render_template, request, url_for

from ..api import geojson, timeline
from ..api.sparql_rows import SelectRunner, service_runner
from ..errors import InputError
from ..query import conneg
from .api import single_values
from .errors import error_response
from .sparql import engine, etag_matches
from .ui import CONTENT_SECURITY_POLICY

__all__ = ["bp"]

bp = Blueprint("map", __name__, template_folder="templates", static_folder="static/map",
               static_url_path="/assets/map")

# The vendored outline (static/map/vendor/myanmar/myanmar.geojson) is served with this type too.
mimetypes.add_type(geojson.MEDIA_TYPE, ".geojson")


def _select() -> SelectRunner:
    return service_runner(engine(), client=request.remote_addr)


def _etag(*parts: str) -> str:
    return 'W/"' + "-".join([engine().catalogue.data_version[:16], *parts]) + '"'


def _cited(response: Response, etag: str) -> Response:
    response.headers["ETag"] = etag
    response.headers["Vary"] = "Accept"  # a 406 answers an Accept without JSON
    response.headers["Conflict-Graph-Data-Version"] = engine().catalogue.data_version
    return response


@bp.get("/api/places.geojson")
def places_geojson() -> Response:
    """The places with coordinates and their control history, as GeoJSON."""
    unknown = sorted(set(request.args) - {"date"})
    if unknown:
        return error_response(400, f"unknown parameter {unknown[0]!r}; the only parameter is date=YYYY-MM-DD")
    raw = single_values().get("date")
    accept = request.headers.get("Accept", "")
    if accept.strip() and conneg.best_match(accept, geojson.MEDIA_TYPES) is None:  # blank: no preference
        response = error_response(406, "the places are GeoJSON only: accept "
                                        f"{' or '.join(geojson.MEDIA_TYPES)} (RFC 7946 §12)")
        response.headers["Vary"] = "Accept"
        return response
    try:
        day = geojson.parse_date(raw) if raw is not None else None
    except InputError as exc:
        return error_response(400, f"parameter date: {exc}")
    etag = _etag("places", raw or "all")
    if etag_matches(etag):
        return _cited(Response(status=304), etag)
    body = json.dumps(geojson.places(_select(), day), ensure_ascii=False, indent=1)
    return _cited(Response(body + "\n", content_type=f"{geojson.MEDIA_TYPE}; charset=utf-8"), etag)


def _timeline_rows(events: list[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
    """Each dated event with its bar's left offset and width, in percent of the period."""
    span = max((last - first).days, 1)

    def offset(day: str) -> float:
        return min(max((date.fromisoformat(day) - first).days / span * 100, 0.0), 100.0)

    rows = []
    for event in events:
        if event["from"] is None:
            continue
        left, right = offset(event["from"]), offset(event["to"])
        outside = event["to"] < first.isoformat() or event["from"] > last.isoformat()
        rows.append({**event, "left": round(left, 3), "width": round(max(right - left, 0.6), 3),
                     "outside": outside})
    return rows


def _month_ticks(first: date, last: date) -> list[tuple[str, float]]:
    """The first day of each month inside the period: (``Jul 2024``, offset in percent); none in
    the last 5 %, where its label would not fit."""
    span = max((last - first).days, 1)
    ticks, day = [], date(first.year, first.month, 1)
    while day <= last:
        if day >= first and (day - first).days / span <= 0.95:
            ticks.append((day.strftime("%b %Y"), round((day - first).days / span * 100, 3)))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ticks


@bp.get("/map")
def map_page() -> Response:
    """The map, the date slider, the legend and the timeline of events."""
    select = _select()
    span = timeline.period(select)
    events = timeline.events(select)
    first, last = span if span else (date.today(), date.today())
    chosen = last
    if "date" in request.args:
        try:
            chosen = min(max(geojson.parse_date(request.args["date"]), first), last)
        except InputError as exc:
            return error_response(400, f"parameter date: {exc}")
    root = request.script_root
    config = {
        "geojson": f"{root}/api/places.geojson",
        "outline": url_for("map.static", filename="vendor/myanmar/myanmar.geojson"),
        "root": root,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "date": chosen.isoformat(),
    }
    response = make_response(render_template(
        "map/index.html", config=config, first=first, last=last, chosen=chosen,
        days=(last - first).days, chosen_offset=(chosen - first).days,
        timeline=_timeline_rows(events, first, last), ticks=_month_ticks(first, last),
        undated=[e for e in events if e["from"] is None], root=root,
    ))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
