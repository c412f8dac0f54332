# Two commands do all the set-up on a fresh Debian-like machine:
#   make run   installs what is needed, loads the demo data and serves http://127.0.0.1:8000 on SQLite
#   make test  installs what is needed (Chromium for the browser tests too), checks the import contracts and
#              the code with ruff (make lint), then runs the whole suite
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint needs Pango; gettext compiles the Vietnamese catalogue; fonts cover Vietnamese letters.
RUN_PACKAGES := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext
# The tests also read PDFs back (poppler-utils) and drive Debian's Chromium.
TEST_PACKAGES := $(RUN_PACKAGES) poppler-utils chromium
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in emails and QR codes follows the one the demo is served on (make run PORT=8101), unless SITE_URL is
# given: in the environment, on the command line or in .env.
SITE_URL ?= $(shell grep -qs '^SITE_URL=' .env || echo http://$(HOST):$(PORT))
RUN_ENV := $(if $(SITE_URL),SITE_URL='$(SITE_URL)')

.PHONY: run test test-only lint system-run system-test venv messages migrate demo check-deploy clean

run: system-run venv messages
	@echo "==> Migrating the SQLite database"
	$(PY) manage.py migrate --noinput
	@echo "==> Loading the demo data"
	$(RUN_ENV) $(PY) manage.py seed_demo
	@echo "==> Serving http://$(HOST):$(PORT)/ (Ctrl+C stops); links in emails and QR codes: $(or $(SITE_URL),SITE_URL of .env)"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: system-test venv messages lint test-only

# The import contracts and ruff's rules, both in pyproject.toml (README: Architecture); a few seconds.
lint: venv
	@echo "==> Checking the import contracts (lint-imports) and the code (ruff)"
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/ruff check .

test-only:
	@echo "==> Running the test suite ($${DATABASE_URL:-SQLite})"
	$(PY) -m pytest $(PYTEST_ARGS)

system-run:
	@$(MAKE) --no-print-directory _system PACKAGES="$(RUN_PACKAGES)"

system-test:
	@$(MAKE) --no-print-directory _system PACKAGES="$(TEST_PACKAGES)"

_system:
	@missing=""; for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "==> Installing system packages:$$missing"; \
	  command -v apt-get >/dev/null || { echo "apt-get not found: install$$missing by hand" >&2; exit 1; }; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	else echo "==> System packages present"; fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@echo "==> Installing Python packages into $(VENV)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

messages: venv
	@echo "==> Compiling the translation catalogues"
	$(PY) manage.py compilemessages --ignore=.venv -v0

check-deploy: venv
	DJANGO_SETTINGS_MODULE=ocop.settings.production SECRET_KEY=$${SECRET_KEY:-check-deploy-only-$$(head -c 24 /dev/urandom | base64)} \
	  ALLOWED_HOSTS=ocop.example.vn $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
