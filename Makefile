# Regroup: `make run` starts the app, `make test` runs every test, `make server` the specialist server.
# Each target sets up what it needs on a fresh machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-unit test-e2e test-deep server mutants chromium i18n clean help

help:
	@echo "make run     start Regroup on http://127.0.0.1:$${REGROUP_PORT:-8550} (a browser tab)"
	@echo "make test    run all tests (unit and browser end-to-end)"
	@echo "make server  start the specialist server"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Regroup needs Python 3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[web,server,dev]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(PY) main.py

chromium:
	@sh tests/e2e/ensure_chromium.sh

test: $(STAMP) chromium
	$(PY) -m pytest

test-unit: $(STAMP)
	$(PY) -m pytest -m 'not e2e'

test-e2e: $(STAMP) chromium
	$(PY) -m pytest -m e2e

# The sharing state machine with 2,000 examples (CI runs 200): HYPOTHESIS_SEED=n picks a seed.
test-deep: $(STAMP)
	HYPOTHESIS_PROFILE=deep $(PY) -m pytest tests/test_sync_model.py -q $(if $(HYPOTHESIS_SEED),--hypothesis-seed=$(HYPOTHESIS_SEED))

server: $(STAMP)
	$(PY) -m server serve

# Mutation testing (mutmut; outside CI, hours for every mutant on two cores). SCOPE=server (default: auth,
# sessions, sync, validation, rate limits) or SCOPE=app (crypto, store, sync client); ONLY narrows it:
# make mutants ONLY='server.auth.* server.accounts.*'   make mutants SCOPE=app ONLY='app.crypto.*'
SCOPE ?= server
mutants: $(STAMP)
	rm -rf mutants
	$(PY) -m tests.mutmut_scope $(SCOPE) run --max-children 2 $(ONLY) || true
	$(PY) -m tests.mutmut_scope $(SCOPE) results

# Refresh the translators' template after changing visible strings.
i18n: $(STAMP)
	$(VENV)/bin/pybabel extract -F locales/babel.cfg -k _ -k ngettext:1,2 --no-location --sort-output \
		--project Regroup --version 0.1.0 -o locales/messages.pot .

clean:
	rm -rf $(VENV) .pytest_cache tests/e2e/screenshots mutants
	find . -name __pycache__ -prune -exec rm -rf {} +
