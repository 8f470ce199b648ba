#!/usr/bin/env bash
# Vendor the map page's front end into the package: src/conflict_graph/web/static/map/vendor/.
#
# Installs the exact versions pinned in scripts/vendor-map/package.json + package-lock.json with
# `npm ci` in a temporary folder, then copies only what the map page loads:
#
#   leaflet/leaflet.js, leaflet/leaflet.css, leaflet/images/   Leaflet's built files, unmodified
#   leaflet/LICENSE                                             Leaflet's licence (BSD-2-Clause)
#   myanmar/myanmar.geojson   the outline of Myanmar (ISO 3166 numeric 104), converted once from
#                             world-atlas's countries-50m.json (Natural Earth 1:50m, public domain)
#                             to GeoJSON with topojson-client
#   myanmar/LICENSE           world-atlas's licence and Natural Earth's public-domain statement
#   VERSION                   the package names and versions that were copied
#
# The copied files are committed, so neither installing nor running conflict-graph needs npm or
# the network. Run this script only to upgrade: change a version in scripts/vendor-map/package.json,
# refresh the lock (`npm install --package-lock-only --ignore-scripts` in scripts/vendor-map/), run
# this script, and commit the lock and the new assets together.
#
# The script fails if Leaflet's CSS references a file (url(...)) it does not copy, or if the
# copied files name a CDN, font or tile host.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dest="$root/src/conflict_graph/web/static/map/vendor"

# shellcheck source=vendor-common.sh
. "$here/vendor-common.sh"
vendor_install vendor-map "the map assets" "$here/vendor-map"

modules="$work/node_modules"
version() { node -p "require('$modules/$1/package.json').version"; }

rm -rf "$dest"
mkdir -p "$dest/leaflet" "$dest/myanmar"

cp "$modules/leaflet/dist/leaflet.js" "$modules/leaflet/dist/leaflet.css" "$dest/leaflet/"
cp -r "$modules/leaflet/dist/images" "$dest/leaflet/images"
cp "$modules/leaflet/LICENSE" "$dest/leaflet/LICENSE"

# Every url(...) in leaflet.css must be a data: URI or a file under images/ that was copied.
for ref in $(grep -oE 'url\([^)]*\)' "$dest/leaflet/leaflet.css" | sed -E "s/url\(['\"]?([^'\")]*)['\"]?\)/\1/"); do
    case "$ref" in
        data:*|'#'*) ;;
        *) [ -f "$dest/leaflet/$ref" ] || { echo "vendor-map: leaflet.css references $ref, not copied" >&2; exit 1; } ;;
    esac
done

# Myanmar's outline: one Feature, from TopoJSON to GeoJSON (RFC 7946: longitude, latitude).
node - "$modules" > "$dest/myanmar/myanmar.geojson" <<'NODE'
const path = require("path");
const modules = process.argv[2];
const topojson = require(path.join(modules, "topojson-client"));
const topology = require(path.join(modules, "world-atlas", "countries-50m.json"));
const countries = topojson.feature(topology, topology.objects.countries);
const myanmar = countries.features.filter((f) => f.id === "104");
if (myanmar.length !== 1) { console.error("vendor-map: Myanmar (104) not found in world-atlas"); process.exit(1); }
const round = (c) => Array.isArray(c[0]) ? c.map(round) : [Math.round(c[0] * 1e4) / 1e4, Math.round(c[1] * 1e4) / 1e4];
const feature = { type: "Feature", id: "104", properties: { name: myanmar[0].properties.name,
  source: "Natural Earth 1:50m admin-0 countries, through world-atlas countries-50m.json" },
  geometry: { type: myanmar[0].geometry.type, coordinates: round(myanmar[0].geometry.coordinates) } };
process.stdout.write(JSON.stringify({ type: "FeatureCollection", features: [feature] }) + "\n");
NODE

{
    echo "myanmar.geojson is the feature of Myanmar (id 104) from world-atlas $(version world-atlas)"
    echo "(countries-50m.json), converted to GeoJSON with topojson-client $(version topojson-client) and"
    echo "rounded to four decimal places by scripts/vendor-map.sh."
    echo
    echo "world-atlas's data is derived from Natural Earth (https://www.naturalearthdata.com/), which is in"
    echo "the public domain: \"All versions of Natural Earth raster + vector map data found on this website"
    echo "are in the public domain.\" (https://www.naturalearthdata.com/about/terms-of-use/)"
    echo
    echo "=============================================================================="
    echo "world-atlas $(version world-atlas) licence:"
    echo
    cat "$modules/world-atlas/LICENSE"* 2>/dev/null || node -p "require('$modules/world-atlas/package.json').license"
    echo
    echo "=============================================================================="
    echo "topojson-client $(version topojson-client) licence (used only to convert, not shipped):"
    echo
    cat "$modules/topojson-client/LICENSE"* 2>/dev/null || node -p "require('$modules/topojson-client/package.json').license"
} > "$dest/myanmar/LICENSE"

printf 'leaflet %s\nworld-atlas %s\ntopojson-client %s\n' \
    "$(version leaflet)" "$(version world-atlas)" "$(version topojson-client)" > "$dest/VERSION"

vendor_no_remote_hosts vendor-map 'tile\.openstreetmap' "$dest/leaflet/leaflet.js" "$dest/leaflet/leaflet.css"

echo "vendor-map: copied $(tr '\n' ' ' < "$dest/VERSION")into ${dest#"$root"/}"
ls -lR "$dest"
