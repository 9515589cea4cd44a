# Offerdesk: `make run` to try it, `make test` to check it. Nothing else is needed.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements-dev.lock | cut -c1-12)
CHROMIUM ?= /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup run test check lock browser clean bench wrk

help:
	@echo "make run    set up and serve Offerdesk on http://$(HOST):$(PORT) with a demo account"
	@echo "make test   set up and run the whole test suite, browser tests included"
	@echo "make bench  load runs under gunicorn on SQLite and PostgreSQL (minutes)"
	@echo "make check  lint, format check and Django's system checks"
	@echo "make lock   re-resolve requirements*.lock from pyproject.toml"

# A virtualenv with exactly the locked, hash-checked dependencies. The stamp is
# named after the lock file's hash, so a changed lock reinstalls. The lock lists
# every package, so pip installs it as it is (--no-deps) and \`pip check\` confirms
# nothing is missing: left to resolve, pip 23 looks up a dependency asked for with
# extras (weasyprint's fonttools[woff]) afresh, finds a newer release than the lock's
# and refuses it as unpinned.
$(STAMP): requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip check --disable-pip-version-check
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

# The server, and beside it the worker that sends the queued mail. Ctrl-C reaches
# both; when the server ends, however it ends, the trap stops the rest of the group,
# so no worker outlives it.
run: setup
	@echo ""
	@echo "Offerdesk is starting on http://$(HOST):$(PORT)  (log in as demo / offerdesk-demo)"
	@echo "with a worker beside it that sends the mail (printed here). Ctrl-C stops both."
	@echo ""
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests (Playwright's own download cannot
# work without the internet). Installed here when missing and we are root.
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "Could not install chromium: the browser tests will be skipped."; \
	else \
		echo "No $(CHROMIUM), and installing it needs root and apt-get: the browser tests will be skipped."; \
	fi

# From the npm registry, pinned in package-lock.json, nothing of it served: axe-core
# checks every page of the browser flows for WCAG 2.2 AA problems, and vnu-jar (the
# W3C's Nu Html Checker, run with the machine's java) validates the crawled pages.
$(AXE): package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "No npm: the accessibility checks in the browser tests will be skipped."; \
	fi

test: $(STAMP) browser $(AXE)
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/bandit -q -c pyproject.toml -r offerdesk decisions messaging manage.py --severity-level medium
	$(BIN)/python -m pytest -n 2

# wrk, from Debian, is the load generator of make bench; installed here when missing.
wrk:
	@if command -v wrk >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's wrk for make bench..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "make bench needs wrk: install Debian's wrk package (it needs root)."; exit 1; \
	fi

# Load runs against gunicorn on SQLite and PostgreSQL; prints a table and writes
# bench/results.json. Minutes, not seconds: not part of make test.
bench: $(STAMP) wrk
	$(BIN)/python -m bench.run

check: $(STAMP)
	$(BIN)/bandit -q -c pyproject.toml -r offerdesk decisions messaging manage.py --severity-level medium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check --fail-level WARNING

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --quiet -o requirements-dev.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
