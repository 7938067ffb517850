# The two commands in the README: `make run` and `make test`. Everything else here
# is what they need. Each target creates what it needs on a fresh machine.

PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v python$(PYTHON_VERSION) || ls $(HOME)/.pyenv/versions/$(PYTHON_VERSION)*/bin/python$(PYTHON_VERSION) 2>/dev/null | tail -n 1)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STATIC_STAMP := onestory/core/static/vendor/.built

export PYTHONPATH := $(CURDIR)

.PHONY: run test lint install static demo clean

run: export ONESTORY_DEBUG ?= true
run: export ONESTORY_LOG_FORMAT ?= plain
run: install static
	@mkdir -p var
	$(BIN)/python -m onestory migrate --no-input
	$(BIN)/python -m onestory demo --if-empty
	@# The background worker (report refreshes) beside the server, stopped with it.
	$(BIN)/python -m onestory db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/python -m onestory runserver 127.0.0.1:8000

test: install static
	@mkdir -p var
	$(BIN)/python scripts/check_browser.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=onestory.config.test_settings $(BIN)/python -m onestory makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)
	@if [ -n "$$ONESTORY_TEST_POSTGRES_URL" ]; then \
	  echo "== Again on PostgreSQL ($$ONESTORY_TEST_POSTGRES_URL), all but the browser journeys"; \
	  ONESTORY_DATABASE_URL="$$ONESTORY_TEST_POSTGRES_URL" $(BIN)/pytest -n 2 --dist worksteal -m "not browser" $(PYTEST_ARGS); \
	else \
	  echo "ONESTORY_TEST_POSTGRES_URL is not set: the suite ran on SQLite only."; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

install: $(STAMP)

$(STAMP): requirements/dev.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) is needed: install it (pyenv install $(PYTHON_VERSION)) and run again."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@touch $(STAMP)

static: $(STATIC_STAMP)

$(STATIC_STAMP): package.json package-lock.json scripts/build_static.py
	npm ci --no-audit --no-fund --silent
	$(BIN)/python scripts/build_static.py

demo: export ONESTORY_DEBUG ?= true
demo: install static
	$(BIN)/python -m onestory demo $(DEMO_ARGS)

clean:
	rm -rf $(VENV) node_modules onestory/core/static/vendor var
