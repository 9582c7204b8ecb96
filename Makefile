# Two commands for a newcomer: `make run` and `make test`. Everything else is
# for developers. Each target creates or updates .venv as it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

export DEBUG ?= 1

.PHONY: run test test-postgres lint format bench bench-quick loadtest clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes. Editable, so that pip
# builds nothing in the project folder (the project runs from it anyway).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo --if-empty
	@echo ""
	@echo "  Dashboard: http://127.0.0.1:$(PORT)/"
	@echo "  Seller login: demo / demo     Staff (admin): admin / admin"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks against the Django admin and raw SQL (docs/benchmarks.md): on
# SQLite, or on the PostgreSQL server of DATABASE_URL (in a database "bench").
bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

# A bounded load run (about 90 s) with invariants checked in SQL afterwards
# (docs/hardening.md). PostgreSQL only: it works in a scratch database
# "<name>_loadtest" beside the one DATABASE_URL names, and drops it after.
LOADTEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
loadtest: $(STAMP)
	DATABASE_URL=$(LOADTEST_DATABASE_URL) $(BIN)/python -m loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
