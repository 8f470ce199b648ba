# Steps shared by scripts/vendor-*.sh; sourced by them, not run on its own.
# Each function takes the calling script's name first (for its messages) and exits on failure.

# vendor_install NAME WHAT LOCKDIR: install the exact versions pinned in LOCKDIR/package.json +
# package-lock.json with `npm ci` in a new temporary folder, $work (removed on exit).
vendor_install() {
    local name="$1" what="$2" lockdir="$3"
    command -v npm >/dev/null || { echo "$name: npm is required to vendor $what" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cp "$lockdir/package.json" "$lockdir/package-lock.json" "$work/"
    # --ignore-scripts: nothing vendored needs an install script to ship its built files (and
    # swagger-ui-dist's analytics dependency never runs).
    (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}

# vendor_css_self_contained NAME CSS: fail if CSS references a file (url(...)) other than a
# data: URI, since that file would not be copied.
vendor_css_self_contained() {
    if grep -oE 'url\([^)]*\)' "$2" | grep -vE "url\((['\"]?)data:" ; then
        echo "$1: $(basename "$2") references the files above; copy them too" >&2
        exit 1
    fi
}

# vendor_no_remote_hosts NAME EXTRA FILE...: fail if a FILE names a CDN or web-font host (or one
# matching the extended regular expression EXTRA, if not empty).
vendor_no_remote_hosts() {
    local name="$1" extra="$2"
    shift 2
    local hosts="(cdn\.|cdnjs|jsdelivr|unpkg\.com|googleapis\.com|gstatic\.com|fonts\.|bootstrapcdn|cloudflare${extra:+|$extra})"
    if grep -oE "https?://[^\"'\` )]*$hosts[^\"'\` )]*" "$@"; then
        echo "$name: the files above name CDN, font or tile hosts; check they load nothing remote" >&2
        exit 1
    fi
}
