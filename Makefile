# Two commands for a fresh machine: `make run` and `make test` (see README.md).
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
PORT   ?= 5000
PYTHON ?= python3

.PHONY: run test install install-test translations messages serve-setup lint bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -f -d app/translations

# After changing UI strings: re-extract, merge into the catalogs, then translate app/translations/en.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k N_ --no-location -o app/translations/messages.pot app
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --ignore-obsolete

serve-setup: install
	LOG_LEVEL=WARNING $(FLASK) db upgrade
	LOG_LEVEL=WARNING $(FLASK) referential load
	LOG_LEVEL=WARNING $(FLASK) demo load
	@# Fictitious neighbours for the two demo regions, so that their ARS compare a real region
	LOG_LEVEL=WARNING $(FLASK) demo national --cptss 40 --members 90 --region 76 --region 27 --prefix "CPTS fictive –"

run: serve-setup
	@echo "Observatoire CPTS: http://127.0.0.1:$(PORT)/"
	BASE_URL=http://127.0.0.1:$(PORT) $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-test lint
	@bash scripts/test.sh

# ruff (lint and format) over the whole tree, mypy over app/.
lint: install-test
	$(VENV)/bin/ruff check app workers tests bench migrations wsgi.py
	$(VENV)/bin/ruff format --check app workers tests bench migrations wsgi.py
	$(VENV)/bin/mypy

bench: serve-setup
	$(PY) bench/referential_load.py
	$(PY) bench/pages.py
	$(PY) bench/member_import.py
	$(PY) bench/cpam_export.py
	$(PY) bench/indicators.py
	$(PY) bench/regional.py

clean:
	rm -rf $(VENV) instance .pytest_cache
