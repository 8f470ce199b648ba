// The map page: places over Myanmar's outline, coloured by who controlled them on the chosen day.
// Reads its settings from #cg-map-config; fetches /api/places.geojson?date=… for each day chosen,
// so the rule for "certainly" and "possibly" lives in one place, on the server.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("cg-map-config").textContent);
  var PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4"];
  var NONE = "#8a8a8a";
  var DAY = 86400000;
  var first = Date.parse(config.first + "T00:00:00Z");

  var map = L.map("cg-map", { attributionControl: false, zoomSnap: 0.25 });
  var markers = {};      // place IRI -> Leaflet circle marker
  var colours = {};      // controller IRI -> colour
  var slider = document.getElementById("cg-date");
  var output = document.getElementById("cg-date-text");
  var pending = null;
  var requested = null;

  function dayOf(offset) {
    return new Date(first + offset * DAY).toISOString().slice(0, 10);
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) { throw new Error(url + " answered " + response.status); }
      return response.json();
    });
  }

  function text(tag, value, className) {
    var element = document.createElement(tag);
    element.textContent = value == null ? "" : value;
    if (className) { element.className = className; }
    return element;
  }

  function controllerColour(iri) {
    return colours[iri] || NONE;
  }

  // The style of a place on the chosen day: its first holding assertion (certain ones first, then
  // by level) decides the colour; certain = filled, possible = outline; stated = solid, else dashed.
  function styleFor(holding) {
    if (!holding) {
      return { radius: 5, color: NONE, weight: 1.5, fillColor: NONE, fillOpacity: 0.15, dashArray: null };
    }
    var colour = controllerColour(holding.controllers.length ? holding.controllers[0].iri : "");
    var stated = holding.status && /#Stated$/.test(holding.status.iri);
    var certain = holding.holds === "certainly";
    return { radius: 10, color: colour, weight: 3, fillColor: colour, fillOpacity: certain ? 0.85 : 0.08,
             dashArray: stated ? null : "5 4" };
  }

  function describe(holding) {
    if (!holding) { return "no control reported"; }
    var who = holding.controllers.map(function (c) { return c.label || c.iri; }).join(", ");
    return who + " (" + (holding.level ? holding.level.label : "level unknown") + ", " +
      (holding.status ? holding.status.label : "status unknown") + ", " + holding.holds + ")";
  }

  function legend(features) {
    var seen = {};
    features.forEach(function (feature) {
      feature.properties.control_history.forEach(function (entry) {
        entry.controllers.forEach(function (c) { seen[c.iri] = c.label || c.iri; });
      });
    });
    var list = document.getElementById("cg-legend-controllers");
    Object.keys(seen).sort(function (a, b) { return seen[a].localeCompare(seen[b]); }).forEach(function (iri, i) {
      colours[iri] = PALETTE[i % PALETTE.length];
      var item = document.createElement("li");
      var swatch = text("span", "", "cg-swatch");
      swatch.style.backgroundColor = colours[iri];
      item.appendChild(swatch);
      item.appendChild(text("span", seen[iri]));
      item.setAttribute("data-controller", iri);
      list.appendChild(item);
    });
  }

  function addPlaces(collection) {
    // Leaflet renders a layer only once the map has a view: set it from the places first.
    var bounds = collection.features.map(function (f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; });
    // Padded, so the outline of the country around the places shows.
    if (bounds.length) { map.fitBounds(L.latLngBounds(bounds).pad(0.8), { maxZoom: 9 }); } else { map.setView([21, 96], 5); }
    collection.features.forEach(function (feature) {
      var p = feature.properties;
      var lonLat = feature.geometry.coordinates;
      var marker = L.circleMarker([lonLat[1], lonLat[0]], styleFor(null)).addTo(map);
      marker.bindTooltip(p.label || p.iri, { permanent: true, direction: "right", offset: [12, 0], className: "cg-place-label" });
      marker.on("click", function () { window.location.href = config.root + p.page; });
      var element = marker.getElement();
      element.setAttribute("data-iri", p.iri);
      element.setAttribute("data-page", p.page);
      element.classList.add("cg-place");
      markers[p.iri] = { marker: marker, feature: feature };
    });
  }

  function paint(collection) {
    var rows = document.querySelector("#cg-places tbody");
    rows.textContent = "";
    collection.features.forEach(function (feature) {
      var p = feature.properties;
      var entry = markers[p.iri];
      if (!entry) { return; }
      var holding = p.control_on_date.length ? p.control_on_date[0] : null;
      entry.marker.setStyle(styleFor(holding));
      entry.marker.setRadius(styleFor(holding).radius);
      var element = entry.marker.getElement();
      element.setAttribute("data-holds", holding ? holding.holds : "none");
      element.setAttribute("data-controller", holding && holding.controllers.length ? holding.controllers[0].iri : "");
      element.setAttribute("data-status", holding && holding.status ? holding.status.iri : "");
      element.setAttribute("aria-label", (p.label || p.iri) + ": " + describe(holding));
      var row = document.createElement("tr");
      row.setAttribute("data-iri", p.iri);
      var name = document.createElement("td");
      var link = text("a", p.label || p.iri);
      link.href = config.root + p.page;
      name.appendChild(link);
      row.appendChild(name);
      row.appendChild(text("td", p.place_type));
      if (!p.control_on_date.length) {
        var none = text("td", "no control reported for this day", "cg-none");
        none.colSpan = 4;
        row.appendChild(none);
      } else {
        row.appendChild(text("td", p.control_on_date.map(function (h) {
          return h.controllers.map(function (c) { return c.label; }).join(", ");
        }).join(" / ")));
        row.appendChild(text("td", p.control_on_date.map(function (h) { return h.level ? h.level.label : ""; }).join(" / ")));
        row.appendChild(text("td", p.control_on_date.map(function (h) { return h.status ? h.status.label : ""; }).join(" / ")));
        row.appendChild(text("td", p.control_on_date.map(function (h) { return h.holds; }).join(" / ")));
      }
      rows.appendChild(row);
    });
    document.getElementById("cg-on-date-day").textContent = collection.date;
    document.body.setAttribute("data-shown-date", collection.date);
  }

  function moveCursor(offset) {
    var cursor = document.getElementById("cg-timeline-cursor");
    var max = Number(slider.max) || 1;
    // The bars' track starts after the label and date columns (22rem, as in map.css).
    if (cursor) { cursor.style.left = "calc(22rem + (100% - 22rem) * " + (offset / max) + ")"; }
  }

  function show(day) {
    requested = day;
    return fetchJson(config.geojson + "?date=" + encodeURIComponent(day)).then(function (collection) {
      if (collection.date === requested) { paint(collection); }
    });
  }

  function onSlide() {
    var offset = Number(slider.value);
    var day = dayOf(offset);
    output.textContent = day;
    moveCursor(offset);
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () { show(day).catch(report); }, 120);
  }

  function report(error) {
    document.body.setAttribute("data-error", String(error));
    console.warn(error);
  }

  Promise.all([fetchJson(config.outline), fetchJson(config.geojson)]).then(function (answers) {
    var collection = answers[1];
    legend(collection.features);
    addPlaces(collection);
    L.geoJSON(answers[0], { style: { color: "#6b7b8c", weight: 1, fillColor: "#eef1ea", fillOpacity: 1 },
                            interactive: false }).addTo(map).bringToBack();
    moveCursor(Number(slider.value));
    return show(config.date);
  }).then(function () {
    slider.addEventListener("input", onSlide);
    slider.addEventListener("change", onSlide);
    document.body.setAttribute("data-ready", "true");
  }).catch(report);
}());
