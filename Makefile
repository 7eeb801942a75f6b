# Readable targets for newcomers. `make run` and `make test` are all you need to start.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format check demo migrate clean messages translations bench

# Create the virtualenv and install everything (re-run only when requirements change).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || \
	  { echo "Python 3.11 is required: install it or run make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || \
	  { echo "Python's venv module is missing: sudo apt-get install python3.11-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled UI translations (.mo) are build output: made from the .po files, never committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
$(MO_FILES): %.mo: %.po $(VENV)/.installed
	$(PY) manage.py compile_translations
translations: $(MO_FILES)

# After changing templates or code: refresh the .po files (needs GNU gettext), then translate what it lists.
messages: install
	$(PY) manage.py update_translations

migrate: install translations
	$(PY) manage.py migrate --noinput

# Load the demo cluster once; re-running creates nothing new.
demo: migrate
	$(PY) manage.py load_demo

# Serve the demo portal on http://127.0.0.1:8000/ (sub-sites: http://jia.localhost:8000/, http://yi.localhost:8000/)
run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite (the same command CI runs, on SQLite; set DATABASE_URL for PostgreSQL).
test: install translations
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=portal.settings.test
	$(PY) manage.py check --settings=portal.settings.test
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# Search latency (SQLite, PostgreSQL), then page serving under gunicorn + wrk (cached and not): see scripts/bench.
bench: install translations
	bash scripts/bench

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .test-media
