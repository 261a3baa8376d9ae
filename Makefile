# motcua — make help lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core; each gets its own test database.
JOBS ?= auto

.PHONY: help install demo setup serve test test-fast lint system-deps bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## create .venv and install motcua with its development tools

system-deps: ## install the Debian packages the tests need (Chromium, Noto fonts, poppler) when missing
	bash scripts/system-deps.sh

setup: install ## migrate the database and load the bundled real data (idempotent)
	$(BIN)/motcua setup $(SETUP_ARGS)

demo: SETUP_ARGS = --demo
demo: setup ## install, load the real catalogue and units, serve the portal on http://127.0.0.1:8000
	$(BIN)/motcua serve --host $(HOST) --port $(PORT)

serve: install ## serve the portal (WSGI, gunicorn)
	$(BIN)/motcua serve --host $(HOST) --port $(PORT)

test: install system-deps ## run lint and every test (on DATABASE_URL, SQLite by default)
	$(BIN)/ruff check src tests bench
	$(BIN)/motcua makemigrations --check --dry-run
	[ -e node_modules/axe-core ] || npm ci --no-audit --no-fund  # axe-core for the browser tests' accessibility checks
	$(BIN)/pytest -n $(JOBS) $(PYTEST_ARGS)

test-fast: install ## run the tests without the browser
	$(BIN)/pytest -n $(JOBS) -m "not browser" $(PYTEST_ARGS)

lint: install ## ruff
	$(BIN)/ruff check src tests bench

clean: ## remove the virtualenv and the embedded database
	rm -rf $(VENV) var
