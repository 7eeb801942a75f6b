# Readable targets for newcomers. `make run` and `make test` are all you need to start.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test faults lint format check demo migrate clean messages translations bench bench-peer install lock backup restore

# Create the virtualenv and install the locked development set, every file checked against its
# hash (re-run only when the lock changes). Production installs requirements.lock the same way.
$(VENV)/.installed: requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || \
	  { echo "Python 3.11 is required: install it or run make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || \
	  { echo "Python's venv module is missing: sudo apt-get install python3.11-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# After editing requirements.txt or requirements-dev.txt: rewrite both lock files with pip-tools
# (in a virtualenv of its own, .venv/tools). Packages not pinned in the .txt files keep their
# locked versions; `make lock LOCK_ARGS=--upgrade` moves them to the newest allowed. Then `make test`.
TOOLS := $(VENV)/tools
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
$(TOOLS)/.installed: requirements-tools.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet -r requirements-tools.txt
	touch $@

lock: $(TOOLS)/.installed
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

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
	$(VENV)/bin/lint-imports --no-logo  # the layers and private-name contracts in pyproject.toml
	$(PY) manage.py makemigrations --check --dry-run --settings=portal.settings.test
	$(PY) manage.py check --settings=portal.settings.test
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# Fault tests of the real stack (README "Faults and two machines"): gunicorn with production settings
# on a scratch PostgreSQL database, our own redis-server and SMTP server, stopped and broken while
# requests run; then two gunicorns as two machines. About 4 minutes on 2 cores. Needs PostgreSQL
# (FAULTS_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432) and redis-server: skipped
# without them, unless REQUIRE_FAULTS=1 (CI).
faults: install translations
	$(PY) -m pytest -m faults -n 0 $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# Search latency (SQLite, PostgreSQL), then page serving under gunicorn + wrk (cached and not),
# three runs beside wagtail/bakerydemo's home page when BAKERYDEMO_DIR names a clone: see scripts/bench.
# BENCH_REPORTS=1 adds the annual reports at 10,000 applications (BENCH_REPORTS_ONLY=1: only that).
bench: install translations
	bash scripts/bench

# Once, before `make bench` measures against the peer: bakerydemo's own virtualenv and requirements
# (from PyPI), its data. BAKERYDEMO_DIR=/path/to/bakerydemo make bench-peer
bench-peer:
	bash scripts/bench-peer install

# The database and every stored file (MEDIA_ROOT, the private files) into $(BACKUP_DIR)/portal-<time>/,
# with a manifest of sha256 checksums (README, "Backup and restore").
BACKUP_DIR ?= backups
backup: install
	$(PY) manage.py backup $(BACKUP_DIR)

# Into an empty database and empty storage: make restore BACKUP=backups/portal-20261124-031500
# (RESTORE_ARGS=--force replaces a database that has tables and overwrites files of the same name).
restore: install
	@test -n "$(BACKUP)" || { echo "Name the backup: make restore BACKUP=$(BACKUP_DIR)/portal-<time>"; exit 1; }
	$(PY) manage.py restore $(BACKUP) $(RESTORE_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .test-media
