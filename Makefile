# Two commands on a fresh machine with Python 3.11 and make: `make run`, `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

CHROMIUM ?= /usr/bin/chromium
# pytest-xdist workers for make test: one per core, each with its own embedded PostgreSQL;
# each worker takes whole files (a file's live server made once), the longest first
# (tests/conftest.py LONGEST_FIRST), in their order rather than xdist's by test count.
TEST_WORKERS ?= auto

.PHONY: run test soak bench lint clean messages screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## the service on the embedded PostgreSQL, with the demo district
	$(BIN)/petitions serve --demo

# The browser tests drive Debian's Chromium; Playwright downloads no browser of its own.
$(CHROMIUM):
	@echo "Installing Debian's Chromium for the browser tests"
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi

test: lint $(CHROMIUM)  ## lint, then the whole suite: unit, integration on real PostgreSQL, HTTP, browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

soak: $(STAMP)  ## the long reliability checks; figures into reliability-results.json
	RELIABILITY_RESULTS=reliability-results.json $(BIN)/python -m pytest -m soak -p no:cacheprovider

BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)  ## benchmarks at national scale: BENCHMARKS.md, bench-results.json
	$(BIN)/ruff check bench
	$(BIN)/python -m bench

messages: $(STAMP)  ## the web pages' messages into the English catalogue (then translate the new ones)
	$(BIN)/pybabel extract -F api/web/babel.cfg -o .venv/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i .venv/messages.pot -d api/web/locale -l en --ignore-obsolete -N -w 100

screenshots: $(STAMP) $(CHROMIUM)  ## docs/screenshots/ from the demo district, in Chromium
	$(BIN)/python -m tests.e2e.web.screenshots docs/screenshots

lint: $(STAMP)  ## ruff over the code and tests, mypy --strict over every package (pyproject.toml)
	$(BIN)/ruff check domain projections stores audit usecases service api workers cli tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
