# ris3 — the three commands a new user needs:
#   make demo       install the package (no test or Spark extras) and write the profile of AT33 Tirol to out/AT33/index.html
#   make test       set everything up and run lint, type checks and the test suite
#   make workspace  install the package with the workspace extra, start the demo strategy workspace and print its address
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
REGION ?= AT33
WORKSPACE ?= out/workspace
PORT ?= 8000

.PHONY: setup demo workspace test test-slow test-spark test-postgres test-lowest lint bench clean

# one virtualenv; each stamp records which extras are installed in it
$(BIN)/pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# the package alone: what `ris3 profile` needs
$(VENV)/.installed-core: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-workspace: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e ".[workspace]"
	touch $@

# everything the tests, the Spark engine and the benchmarks need
$(VENV)/.installed-all: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e ".[dev,spark,bench,workspace]"
	touch $(VENV)/.installed-core $(VENV)/.installed-workspace $@

setup: $(VENV)/.installed-all
	@bash scripts/setup-system.sh

demo: $(VENV)/.installed-core
	$(BIN)/ris3 profile $(REGION) --out out/$(REGION)

# the demo strategy workspace (made once in $(WORKSPACE)); demo users' password from
# RIS3_DEMO_PASSWORD, or generated and printed on the first run
workspace: $(VENV)/.installed-workspace
	@test -f $(WORKSPACE)/workspace.sqlite3 || $(BIN)/ris3 workspace demo --db $(WORKSPACE)
	$(BIN)/ris3 workspace serve --db $(WORKSPACE) --port $(PORT)

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

# the workspace tests again on a PostgreSQL server started for the run (Debian's postgresql)
test-postgres: setup
	bash scripts/test-workspace-postgres.sh $(BIN)/pytest

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
