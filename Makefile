# Two commands on a fresh machine with Python 3.11 and make: `make run`, `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test soak lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## the service on the embedded PostgreSQL, with the demo district
	$(BIN)/petitions serve --demo

test: $(STAMP)  ## the whole suite: unit, then integration against real PostgreSQL
	$(BIN)/ruff check domain projections api workers service tests
	$(BIN)/python -m pytest

soak: $(STAMP)  ## the long reliability checks (issue 10); figures into reliability-results.json
	RELIABILITY_RESULTS=reliability-results.json $(BIN)/python -m pytest -m soak -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check domain projections api workers service tests

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
