#!/usr/bin/env bash
# Vendor Swagger UI into the package: src/conflict_graph/web/static/vendor/swagger-ui/.
#
# Installs the exact version pinned in scripts/vendor/swagger-ui/package.json + package-lock.json
# with `npm ci --ignore-scripts` in a temporary folder (so swagger-ui-dist's analytics dependency
# never runs), then copies only the files the API page at /api/ loads:
#
#   swagger-ui-bundle.js   the bundle (defines the global `SwaggerUIBundle`)
#   swagger-ui.css         its stylesheet
#   LICENSE                Swagger UI's licence
#   VERSION                the package name and version that was copied
#
# The copied files are committed, so neither installing nor running conflict-graph needs npm or
# the network. To upgrade: change the version in scripts/vendor/swagger-ui/package.json, refresh
# the lock (`npm install --package-lock-only --ignore-scripts` there), run this script, and commit
# the lock and the new assets together.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dest="$root/src/conflict_graph/web/static/vendor/swagger-ui"
package="swagger-ui-dist"

# shellcheck source=vendor-common.sh
. "$here/vendor-common.sh"
vendor_install vendor-swagger-ui "Swagger UI" "$here/vendor/swagger-ui"

dist="$work/node_modules/$package"
version="$(node -p "require('$dist/package.json').version")"
for file in swagger-ui-bundle.js swagger-ui.css LICENSE; do
    [ -f "$dist/$file" ] || { echo "vendor-swagger-ui: $package $version has no $file" >&2; exit 1; }
done
vendor_css_self_contained vendor-swagger-ui "$dist/swagger-ui.css"

rm -rf "$dest"
mkdir -p "$dest"
cp "$dist/swagger-ui-bundle.js" "$dist/swagger-ui.css" "$dist/LICENSE" "$dest/"
printf '%s %s\n' "$package" "$version" > "$dest/VERSION"
echo "vendor-swagger-ui: copied $package $version into ${dest#"$root"/}"
ls -l "$dest"
