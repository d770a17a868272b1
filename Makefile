# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench-vrp bench-matrix bench-convergence bench-studies bench-scale bench-api schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/logistics demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 2

bench-vrp: $(STAMP)
	$(BIN)/python benchmarks/vrp.py

bench-matrix: $(STAMP)
	$(BIN)/python benchmarks/matrix.py --network osm-tiles
	$(BIN)/python benchmarks/matrix.py --network grid

bench-convergence: $(STAMP)
	$(BIN)/python -m benchmarks.convergence

bench-studies: $(STAMP)
	$(BIN)/python -m benchmarks.studies

bench-scale: $(STAMP)
	$(BIN)/python -m benchmarks.scale

bench-api: $(STAMP)
	$(BIN)/python -m benchmarks.api_load

schema: $(STAMP)
	$(BIN)/logistics schema --write

clean:
	rm -rf $(VENV) results .pytest_cache .mypy_cache .ruff_cache
