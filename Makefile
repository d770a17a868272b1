# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench-vrp bench-matrix bench-convergence bench-studies bench-scale bench-api schema clean \
	bench-purchases purchases-demo bench-hub-question

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

bench-hub-question: $(STAMP)
	$(BIN)/python -m benchmarks.hub_question

bench-api: $(STAMP)
	$(BIN)/python -m benchmarks.api_load

bench-purchases: $(STAMP)
	$(BIN)/python -m benchmarks.purchases

# The GENERATED purchase year: generate -> import -> the shipped study folder the
# *-from-purchases scenarios read. The XML year itself stays in results/.
PURCHASES_YEAR := results/purchases-generated-2025
PURCHASES_STUDY := data/bergen-purchases-generated
purchases-demo: $(STAMP)
	$(BIN)/logistics purchases generate --year 2025 --seed 1 --out $(PURCHASES_YEAR)
	$(BIN)/logistics purchases import $(PURCHASES_YEAR)/documents \
		--units data/bergen/units.csv --suppliers data/bergen/suppliers.csv \
		--cost-centres $(PURCHASES_YEAR)/cost_centres.csv \
		--postcodes $(PURCHASES_YEAR)/postcodes.csv --out $(PURCHASES_STUDY)
	cp data/purchases/generated_study_README.md $(PURCHASES_STUDY)/README.md
	$(BIN)/logistics validate scenarios/bergen/direct-from-purchases.yaml
	$(BIN)/logistics validate scenarios/bergen/consolidated-from-purchases.yaml

schema: $(STAMP)
	$(BIN)/logistics schema --write

clean:
	rm -rf $(VENV) results .pytest_cache .mypy_cache .ruff_cache
