# make serve   create .venv if needed, install the package, serve the SPARQL endpoint
# make test    create or update .venv, install the package with its test extras and the browser, run the tests
#
# `make test` installs, into .venv only: the package (editable) with its `test` and `pandas` extras
# (pytest, SPARQLWrapper, requests, Playwright's Python package, openapi-spec-validator, build,
# pandas). As root with apt-get it also installs Debian's `chromium` for the browser tests; without
# root it skips those tests with one line saying why (CONFLICT_GRAPH_REQUIRE_BROWSER=1 makes that an
# error, as in CI). Playwright never downloads a browser.
#
# Needs only Python >= 3.11, make and pip. Override the interpreter with `make PYTHON=python3.12 test`.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Steps to run before the tests; append to it from another makefile line, e.g.
#   TEST_PREREQUISITES += browser
TEST_PREREQUISITES := browser

.PHONY: serve test install install-test venv browser

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "conflict-graph needs Python 3.11 or newer; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python

# Install every time: pip returns quickly when nothing changed, and an editable install picks
# up changes to pyproject.toml (new dependencies, new entry points).
install: venv
	$(BIN)/python -m pip install -e .

install-test: venv
	$(BIN)/python -m pip install -e '.[test,pandas,bench]'

# The browser tests drive Debian's Chromium; installs it (as root) when it is missing, else says
# in one line that they will be skipped.
browser:
	./scripts/ensure-browser.sh

serve: install
	$(BIN)/conflict-graph serve

test: install-test $(TEST_PREREQUISITES)
	$(BIN)/python -m pytest
