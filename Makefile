# bangfu: `make demo` serves the platform with demo data, `make test` runs the test suite.
# Both do all the set-up on a fresh Debian 12 machine (run as root, or with sudo):
#   system packages (scripts/system-deps.sh: dpkg check, apt-get update once, apt-get install),
#   .venv with Python 3.11 and `pip install -c constraints.txt -e '.[test]'` (the versions the
#   suite was last run with; redone when pyproject.toml or constraints.txt changes),
#   htmx and ECharts from the npm registry (scripts/vendor.sh), compiled translations.
#
# Testing on both databases (scripts/run-tests.sh), four pytest processes side by side:
#   sqlite-1, sqlite-2: the SQLite tests that are neither Spark nor browser, split by file (--part);
#   sqlite-spark: the Spark and browser tests, on SQLite;
#   pg: tests marked `postgres` (engine parity, PostgreSQL-only behaviour) plus the database tests
#       of core, accounts and registry (`pytest --pg-suite`), against a throwaway PostgreSQL 15
#       cluster in .pgtest on port 54329, stopped at the end.
#   The other apps' database tests run on SQLite only; mark a test `postgres` to have it run on
#   PostgreSQL too. Each process keeps a var folder of its own (var/test/<run>).
#   pytest's "no tests collected" (exit 5) is not a failure.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BANGFU := $(VENV)/bin/bangfu
VENDOR := src/bangfu/static/vendor
PO_FILES := $(wildcard src/bangfu/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
PG_DIR := .pgtest
PG_PORT := 54329
# Extra pytest arguments for `make test`, e.g. make test PYTEST_ARGS="-x -k import"
PYTEST_ARGS ?=
# `make bench BENCH=import_registry` runs one benchmark; default: all of benchmarks/*.py
BENCH ?=

.PHONY: help setup system venv vendor messages demo test bench pg-start pg-stop clean

help:
	@echo "make demo    set up, then serve bangfu with demo data on http://127.0.0.1:8000"
	@echo "make test    set up, then run the tests on SQLite and PostgreSQL"
	@echo "make bench   set up, then run benchmarks/*.py (BENCH=name for one)"
	@echo "make setup   only the set-up (system packages, .venv, vendor files, translations)"
	@echo "make pg-start / pg-stop   the test PostgreSQL on port $(PG_PORT), for running pytest by hand"

setup: system venv vendor messages

system:
	@scripts/system-deps.sh

venv: $(VENV)/.installed

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	@touch $@

vendor: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

$(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js:
	scripts/vendor.sh

messages: $(MO_FILES)

%.mo: %.po | venv
	$(BANGFU) compilemessages --ignore=.venv --ignore=var --ignore=node_modules

demo: setup
	$(BANGFU) demo

test: setup
	scripts/run-tests.sh $(PYTEST_ARGS)

bench: setup
	@set -e; mkdir -p benchmarks/results; \
	if [ -n "$(BENCH)" ]; then scripts="benchmarks/$(BENCH).py"; else scripts="$$(ls benchmarks/*.py 2>/dev/null || true)"; fi; \
	if [ -z "$$scripts" ]; then echo "bench: no benchmarks yet"; exit 0; fi; \
	for script in $$scripts; do echo "== $$script"; $(PY) "$$script"; done

pg-start: venv
	$(PY) -m bangfu.testing.pgcluster start --dir $(PG_DIR) --port $(PG_PORT) --database bangfu
	@echo "export BANGFU_TEST_PG_URL=postgresql://postgres@127.0.0.1:$(PG_PORT)/postgres"
	@echo "export DATABASE_URL=postgresql://postgres@127.0.0.1:$(PG_PORT)/bangfu   # Django on PostgreSQL"

pg-stop:
	$(PY) -m bangfu.testing.pgcluster stop --dir $(PG_DIR) --port $(PG_PORT)

clean:
	-$(PY) -m bangfu.testing.pgcluster destroy --dir $(PG_DIR) --port $(PG_PORT)
	rm -rf var/test var/npm
