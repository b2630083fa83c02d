# The two commands of the README: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint typecheck check wheel-smoke bench-cli clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本 (Python 3.11+ required)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(STAMP)

## Build the demo city 示范市 (database, indicators) and serve the web console.
demo: $(STAMP)
	$(BIN)/envbureau demo

## Run the whole test suite (on ENVBUREAU_TEST_DATABASE_URL, default SQLite).
test: $(TEST_STAMP)
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

## Type-check the package (settings in pyproject.toml [tool.mypy]).
typecheck: $(TEST_STAMP)
	$(BIN)/mypy src

check: lint typecheck

## Build the wheel, install it into a fresh venv, build the demo and fetch pages from it.
wheel-smoke:
	.ci/wheel_smoke

## How long `envbureau --help` and `envbureau users list` take to start.
bench-cli: $(STAMP)
	$(BIN)/python benchmarks/bench_cli.py

clean:
	rm -rf $(VENV) var out .pytest_cache
