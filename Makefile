# make serve   create .venv if needed, install the package, serve the SPARQL endpoint
# make test    create or update .venv, install the package with its test extras and the browser, run the tests
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
	$(BIN)/python -m pip install -e '.[test]'

# The browser tests drive Debian's Chromium; installs it (as root) when it is missing.
browser:
	./scripts/ensure-browser.sh

serve: install
	$(BIN)/conflict-graph serve

test: install-test $(TEST_PREREQUISITES)
	$(BIN)/python -m pytest
