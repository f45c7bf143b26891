# One command per task, the same locally and in CI. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per install step, so `make test` after `make run` installs only what is missing.
RUN_STAMP   := $(VENV)/.steppe-run
STAMP       := $(VENV)/.steppe-installed
BENCH_STAMP := $(VENV)/.steppe-bench
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run demo test test-fast lint format typecheck pytest pytest-fast bench network clean

# What running needs: steppe and its runtime extras, no test, lint or benchmark tools.
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e ".[all]"
	touch $(RUN_STAMP)

# The test, lint and type-check tools, on top of the runtime install.
$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[all]" --group dev
	touch $(STAMP)

# The reference implementations the benchmarks compare against.
$(BENCH_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[all]" --group bench
	touch $(BENCH_STAMP)

## run: install what running needs, then serve the corridor planner (PORT=8001 for another port)
run: $(RUN_STAMP)
	$(BIN)/steppe serve --host $(HOST) --port $(PORT)

## demo: a shipment question answered on the command line
demo: $(RUN_STAMP)
	$(BIN)/steppe route Ulaanbaatar Duisburg --avoid Russia --alternatives 3

## test: install with the test tools, then lint, type-check and run every test and doctest
test: lint typecheck pytest

## test-fast: as test, without the tests and examples marked slow (CI runs them all)
test-fast: lint typecheck pytest-fast

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

format: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

pytest-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

## bench: run every benchmark and rewrite benchmarks/results/
bench: $(BENCH_STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

## network: rebuild the embedded network from network-src/ (see docs/network-data.md)
network: $(RUN_STAMP)
	$(BIN)/python scripts/build_network.py build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output
