# ris3 — the two commands a new user needs:
#   make demo   set everything up and write the profile of AT33 Tirol to out/AT33/index.html
#   make test   set everything up and run lint, type checks and the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
REGION ?= AT33

.PHONY: setup demo test test-slow test-spark test-lowest lint bench clean

$(BIN)/ris3: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,spark,bench]"
	touch $(BIN)/ris3

setup: $(BIN)/ris3
	@bash scripts/setup-system.sh

demo: setup
	$(BIN)/ris3 profile $(REGION) --out out/$(REGION)

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -m "not slow" -q

test-slow: setup
	$(BIN)/pytest -m slow -q

# the Spark engine in local mode gives the same numbers as DuckDB (slow: Spark start-up)
test-spark: setup
	$(BIN)/pytest -m slow -k spark -q tests

# the test suite with the lowest versions of the core dependencies pyproject.toml
# declares (.ci/lowest-versions.txt), in its own virtualenv
LOWEST ?= .venv-lowest
test-lowest:
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/pip install --quiet --upgrade pip
	$(LOWEST)/bin/pip install --quiet -r .ci/lowest-versions.txt "pytest>=8" "hypothesis>=6.100" "playwright>=1.45"
	$(LOWEST)/bin/pip install --quiet --no-deps -e .
	$(LOWEST)/bin/pytest -m "not slow" -q -p no:cacheprovider

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache $(LOWEST)
