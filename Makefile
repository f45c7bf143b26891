# One command per task, the same locally and in CI. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.steppe-installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run demo test test-fast lint format typecheck pytest pytest-fast bench network clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e ".[all]" --group dev --group bench
	touch $(STAMP)

## run: install, then open the corridor planner on the embedded network
run: $(STAMP)
	$(BIN)/steppe serve --host $(HOST) --port $(PORT)

## demo: a shipment question answered on the command line
demo: $(STAMP)
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
bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

## network: rebuild the embedded network from network-src/ (see docs/network-data.md)
network: $(STAMP)
	$(BIN)/python scripts/build_network.py build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output
