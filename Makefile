# Year-end indicator workbook. `make help` lists the targets.
# Every target creates the virtual environment it needs (.venv, Python >= 3.11).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YEAR   ?= 2024
COMMUNES ?= 200

.DEFAULT_GOAL := help
.PHONY: help setup check reports test bench evaluate audit tasks units lab clean-reports clean reliability

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required (found %s); set PYTHON=/path/to/python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name analysis --display-name "Python (analysis)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv with the package, its tests' tools and the Jupyter kernel "analysis"

reports: $(STAMP) ## Main job: the year-end build on the shipped data (YEAR=2024)
	$(BIN)/python -m analysis build --year $(YEAR)

check: $(STAMP) ## Lint, format check, types and layers (ruff, mypy, import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest -q

reliability: $(STAMP) ## Run the reliability kit (bad inputs and faults, tests/reliability/) and print its summary
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability

$(VENV)/.bench-installed: $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

bench: $(VENV)/.bench-installed ## Time plain papermill+nbconvert, the build and the floor on the shipped units and COMMUNES=200 synthetic ones
	$(BIN)/python benchmarks/bench.py --communes $(COMMUNES) --year $(YEAR)

evaluate: $(STAMP) ## Print the evaluated table and headline of the shipped district (YEAR=2024)
	$(BIN)/python -m analysis evaluate --unit trang-dinh --year $(YEAR)

audit: $(STAMP) ## List every published figure that disagrees with its recomputation
	$(BIN)/python -m analysis audit --unit trang-dinh --year $(YEAR)

tasks: $(STAMP) ## Show the key tasks of Bắc Sơn with their classes
	$(BIN)/python -m analysis tasks --unit bac-son --year $(YEAR)

units: $(STAMP) ## List the units in the curated data
	$(BIN)/python -m analysis units

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

clean-reports: ## Delete generated reports
	rm -rf reports/*/

clean: clean-reports ## Delete the virtual environment and generated reports
	rm -rf $(VENV)
