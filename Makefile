# Year-end indicator workbook. `make help` lists the targets.
# Every target creates the virtual environment it needs (.venv, Python 3.11) from requirements.lock.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
YEAR   ?= 2024
COMMUNES ?= 3321
SLICE ?= 332
# JupyterLab prints its address instead of opening a browser (headless machines); it refuses
# to run as root (containers, CI machines) unless told to.
LAB_FLAGS ?= --no-browser
LAB_FLAGS += $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := help
.PHONY: help setup lock check test test-fast reports reliability bench evaluate audit tasks units lab clean-reports clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The lock's exact versions, checked against its hashes and installed as they are (--no-deps:
# the lock is whole, extras included; pip 23.2 resolving extras in hash mode reaches past the
# pins); then the package itself, which resolves nothing (its build backend is in the lock too).
# pip check fails if pyproject.toml asks for something the lock lacks.
$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %s); set PYTHON=/path/to/python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check || { echo "$(LOCK) is out of step with pyproject.toml: run make lock"; exit 1; }
	$(BIN)/python -m ipykernel install --sys-prefix --name analysis --display-name "Python (analysis)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv from requirements.lock: the package, test and check tools, Jupyter kernel "analysis"

# Needs only uv (from the dev extra; bootstrapped when there is no .venv yet), not an
# up-to-date .venv: pyproject.toml may ask for what the old lock lacks.
lock: ## Re-resolve requirements.lock (versions + hashes) and environment.yml from pyproject.toml
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv; }
	$(BIN)/python tools/lock.py

reports: $(STAMP) ## Main job: the year-end build on the shipped data (YEAR=2024)
	$(BIN)/python -m analysis build --year $(YEAR)

check: $(STAMP) ## Lint, format check, types and layers (ruff, mypy, import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check ## make check, then the whole test suite (what CI runs)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP) ## The tests not marked slow (no kernels, PDFs, Dask or subprocesses)
	$(BIN)/python -m pytest -q -m "not slow" -n 2  # pytest-xdist: one process per core

reliability: $(STAMP) ## Run the reliability kit (bad inputs and faults, tests/reliability/) and print its summary
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability

bench: $(STAMP) ## Time plain papermill+nbconvert+WeasyPrint, the build and the floor: shipped units and the country (COMMUNES=3321, a SLICE=332 built; SLICE=0 for all)
	$(BIN)/python benchmarks/bench.py --communes $(COMMUNES) --slice $(SLICE) --year $(YEAR)

evaluate: $(STAMP) ## Print the evaluated table and headline of the shipped district (YEAR=2024)
	$(BIN)/python -m analysis evaluate --unit trang-dinh --year $(YEAR)

audit: $(STAMP) ## List every published figure that disagrees with its recomputation
	$(BIN)/python -m analysis audit --unit trang-dinh --year $(YEAR)

tasks: $(STAMP) ## Show the key tasks of Bắc Sơn with their classes
	$(BIN)/python -m analysis tasks --unit bac-son --year $(YEAR)

units: $(STAMP) ## List the units in the curated data
	$(BIN)/python -m analysis units

lab: $(STAMP) ## JupyterLab on the project folder (notebooks/, reports/) with the "analysis" kernel
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=$(CURDIR)

clean-reports: ## Delete generated reports
	rm -rf reports/*/

clean: clean-reports ## Delete the virtual environment and generated reports
	rm -rf $(VENV)
