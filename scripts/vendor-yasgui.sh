#!/usr/bin/env bash
# Vendor YASGUI into the package: src/conflict_graph/web/static/vendor/yasgui/.
#
# Installs the exact version pinned in scripts/vendor/package.json + package-lock.json with
# `npm ci` in a temporary folder, then copies only the built files the query page loads:
#
#   yasgui.min.js    the UMD bundle (defines the global `Yasgui`)
#   yasgui.min.css   its stylesheet (references no font or image file: the icons are inline SVG)
#   LICENSE          YASGUI's licence and that of every package in the installed tree
#   VERSION          the package name and version that was copied
#
# The copied files are committed, so neither installing nor running conflict-graph needs npm or
# the network. Run this script only to upgrade: change the version in scripts/vendor/package.json,
# refresh the lock (`npm install --package-lock-only --ignore-scripts` in scripts/vendor/), run
# this script, and commit the lock and the new assets together.
#
# The script fails if the built CSS references a file (url(...)) other than a data: URI, since
# that file would not be copied, or if the bundle names a CDN or web-font host.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dest="$root/src/conflict_graph/web/static/vendor/yasgui"
package="@zazuko/yasgui"

# shellcheck source=vendor-common.sh
. "$here/vendor-common.sh"
vendor_install vendor-yasgui YASGUI "$here/vendor"

build="$work/node_modules/$package/build"
version="$(node -p "require('$work/node_modules/$package/package.json').version")"

for file in yasgui.min.js yasgui.min.css; do
    [ -f "$build/$file" ] || { echo "vendor-yasgui: $package $version has no build/$file" >&2; exit 1; }
done

vendor_css_self_contained vendor-yasgui "$build/yasgui.min.css"
vendor_no_remote_hosts vendor-yasgui "" "$build/yasgui.min.js" "$build/yasgui.min.css"

rm -rf "$dest"
mkdir -p "$dest"
cp "$build/yasgui.min.js" "$build/yasgui.min.css" "$dest/"
printf '%s %s\n' "$package" "$version" > "$dest/VERSION"

# LICENSE: the YASGUI packages ship no licence file, only the SPDX identifier in package.json, so
# record that and then, for every package in the installed tree (the bundle includes most of them),
# its licence file or, failing one, its SPDX identifier.
node - "$work" "$package" > "$dest/LICENSE" <<'NODE'
const fs = require("fs");
const path = require("path");
const [work, top] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(path.join(work, "package-lock.json"), "utf8"));
const meta = (dir) => JSON.parse(fs.readFileSync(path.join(work, dir, "package.json"), "utf8"));
const licenseOf = (pkg) => pkg.license || (pkg.licenses || []).map((l) => l.type).join(" OR ") || "UNKNOWN";
const topMeta = meta(`node_modules/${top}`);
const out = [];
out.push(`yasgui.min.js and yasgui.min.css are the unmodified build files of ${top} ${topMeta.version}`);
out.push(`(${topMeta.homepage}), licensed under ${licenseOf(topMeta)} according to its package.json.`);
out.push(`The bundle includes code from the packages below; each is listed with its licence.`);
out.push("");
const dirs = Object.keys(lock.packages).filter((d) => d.startsWith("node_modules/")).sort();
for (const dir of dirs) {
  const pkg = meta(dir);
  out.push("=".repeat(78));
  out.push(`${pkg.name} ${pkg.version}  (${licenseOf(pkg)})`);
  if (pkg.homepage) out.push(pkg.homepage);
  const files = fs.readdirSync(path.join(work, dir)).filter((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (files.length) {
    out.push("");
    out.push(fs.readFileSync(path.join(work, dir, files[0]), "utf8").trim());
  } else {
    out.push("(the package ships no licence file; see the SPDX identifier above)");
  }
  out.push("");
}
process.stdout.write(out.join("\n"));
NODE

echo "vendor-yasgui: copied $package $version into ${dest#"$root"/}"
ls -l "$dest"
