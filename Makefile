# Regroup: `make run` starts the app, `make test` runs every test, `make server` the specialist server.
# Each target sets up what it needs on a fresh machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-unit test-e2e test-deep test-web web serve-web server bench mutants chromium i18n messages messages-todo clean help

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

# The unit tests on two workers (tests are handed out one at a time: `--dist loadfile` would run only one of
# schemathesis's cases, which share a test id), then the browser tests two at a time (each test file has its
# own Chromium, app processes and ports; they mostly wait on the browser, so two at once halve the wall time on
# two cores), the built offline web app's among them (`make web` first: about 20-35 s). An idle worker takes
# waiting tests from the other (worksteal), so neither finishes a long file alone at the end.
test: $(STAMP) chromium web
	$(PY) -m pytest -m 'not e2e and not web' -n 2
	$(PY) -m pytest tests/web tests/e2e -m 'e2e or web' -n 2 --dist worksteal

test-unit: $(STAMP)
	$(PY) -m pytest -m 'not e2e and not web' -n 2

test-e2e: $(STAMP) chromium
	$(PY) -m pytest tests/e2e -m e2e -n 2 --dist worksteal

# The sharing state machine with 2,000 examples (CI runs 200): HYPOTHESIS_SEED=n picks a seed.
test-deep: $(STAMP)
	HYPOTHESIS_PROFILE=deep $(PY) -m pytest tests/test_sync_model.py -q $(if $(HYPOTHESIS_SEED),--hypothesis-seed=$(HYPOTHESIS_SEED))

server: $(STAMP)
	$(PY) -m server serve

# The offline web app (PWA, Python in the browser): dist/web/, built with no internet but the package index
# (docs/web-app.md). `make serve-web` serves it on http://127.0.0.1:8650/ for a phone-sized browser.
web: $(STAMP)
	$(PY) web/build.py

serve-web: $(STAMP)
	$(PY) web/serve.py $(if $(PORT),--port $(PORT))

# The built PWA in Chromium (offline start, storage across reloads, WebCrypto vectors): builds it first.
test-web: web chromium
	$(PY) -m pytest tests/web -m web -p no:cacheprovider -s

# Issue 16's figures against baselines measured in the same run (about 10 minutes on 2 cores): a table, and
# .bench/results.json. Needs the local PostgreSQL and Redis for the two-process load. ONLY=data10y,pin,... narrows it.
bench: $(STAMP) chromium
	$(PY) -m tests.bench $(if $(ONLY),--only $(ONLY))

# Mutation testing (mutmut; outside CI, hours for every mutant on two cores). SCOPE=server (default: auth,
# sessions, sync, validation, rate limits) or SCOPE=app (crypto, store, sync client); ONLY narrows it:
# make mutants ONLY='server.auth.* server.accounts.*'   make mutants SCOPE=app ONLY='app.crypto.*'
SCOPE ?= server
mutants: $(STAMP)
	rm -rf mutants
	$(PY) -m tests.mutmut_scope $(SCOPE) run --max-children 2 $(ONLY) || true
	$(PY) -m tests.mutmut_scope $(SCOPE) results

# Translations (docs/translating.md): `make messages` extracts every _() and ngettext() string into
# locales/messages.pot and merges it into each locales/<lang>/LC_MESSAGES/messages.po (new strings arrive
# empty, never guessed: no fuzzy matching); `make messages-todo` lists what still needs words.
# Catalogs compile themselves at start-up (app/i18n.py), into the git-ignored locales/.mo/.
messages: i18n
	@for po in locales/*/LC_MESSAGES/messages.po; do \
		lang=$$(echo $$po | cut -d/ -f2); \
		$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -l $$lang --no-fuzzy-matching --ignore-obsolete; \
	done
	-$(PY) -m app.i18n_check

messages-todo: $(STAMP)
	-$(PY) -m app.i18n_check

i18n: $(STAMP)
	$(VENV)/bin/pybabel extract -F locales/babel.cfg -k _ -k ngettext:1,2 --no-location --sort-output \
		--project Regroup --version 0.1.0 -o locales/messages.pot .

clean:
	rm -rf $(VENV) .pytest_cache tests/e2e/screenshots mutants
	find . -name __pycache__ -prune -exec rm -rf {} +
