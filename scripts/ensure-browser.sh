#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (tests/test_ui_browser.py).
#
# Idempotent: does nothing when /usr/bin/chromium already exists. Otherwise runs `apt-get update`
# once and installs the `chromium` package; that needs root. The browser tests drive this
# Chromium through Playwright's Python package and never download a browser of their own.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "ensure-browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") already installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-browser: $CHROMIUM is missing and installing it needs root (apt-get install chromium)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
echo "ensure-browser: installed $("$CHROMIUM" --version)"
