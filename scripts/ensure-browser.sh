#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (tests marked `browser`).
#
# Idempotent: does nothing when the browser already exists. Otherwise, as root with apt-get, runs
# `apt-get update` once and installs the `chromium` package. The browser tests drive this Chromium
# through Playwright's Python package and never download a browser of their own.
#
# Where it cannot be installed (not root, or no apt-get), it prints one line saying so and exits 0:
# pytest then skips the browser tests with one line saying why and how to enable them. With
# CONFLICT_GRAPH_REQUIRE_BROWSER=1 (CI sets it) that case is an error (exit 1) instead.
#
# CONFLICT_GRAPH_CHROMIUM names another browser binary (default /usr/bin/chromium).
set -euo pipefail

CHROMIUM="${CONFLICT_GRAPH_CHROMIUM:-/usr/bin/chromium}"
# The same values as tests/browser_gate.py's _required(): 1, true, yes or on, in any case.
required="${CONFLICT_GRAPH_REQUIRE_BROWSER:-}"
required="${required,,}"
case "${required//[[:space:]]/}" in
    1|true|yes|on) REQUIRED=1 ;;
    *) REQUIRED=0 ;;
esac

if [ -x "$CHROMIUM" ]; then
    echo "ensure-browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") already installed"
    exit 0
fi

why=""
if [ "$(id -u)" -ne 0 ]; then
    why="installing it needs root"
elif ! command -v apt-get >/dev/null 2>&1; then
    why="there is no apt-get to install it with"
fi

if [ -n "$why" ]; then
    if [ "$REQUIRED" = "1" ]; then
        echo "ensure-browser: error: $CHROMIUM is missing and $why, but CONFLICT_GRAPH_REQUIRE_BROWSER=1 requires the browser tests" >&2
        exit 1
    fi
    echo "ensure-browser: $CHROMIUM is missing and $why; the browser tests will be skipped (to run them: sudo apt-get install chromium, then make test)"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
echo "ensure-browser: installed $("$CHROMIUM" --version)"
