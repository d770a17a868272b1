# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench-vrp bench-matrix schema clean

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

schema: $(STAMP)
	$(BIN)/logistics schema --write

clean:
	rm -rf $(VENV) results .pytest_cache .mypy_cache .ruff_cache
