# NTM Số — `make run` and `make test` are all a newcomer needs.
PORT ?= 8000
# `make run` listens on this address only; HOST=0.0.0.0 opens it to the network.
HOST ?= 127.0.0.1
# Test workers (pytest-xdist); `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint fmt demo otp bench clean prod prod-check backup

# Development targets run with DEBUG on; DEBUG is off unless asked for, so the
# production targets below never need to turn it off.
run demo otp lint test: export DEBUG ?= true

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py demo_banner --url http://$(HOST):$(PORT)/
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) lint
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --maxprocesses 4

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run -v0

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The production stack on one machine (docs/deployment.md): settings from the
# environment or `.env`, then web (gunicorn) and worker (RQ) from Procfile.
prod: $(STAMP)
	$(VENV)/bin/honcho run $(PY) manage.py migrate --no-input -v0
	$(VENV)/bin/honcho run $(PY) manage.py collectstatic --no-input -v0
	$(VENV)/bin/honcho start

prod-check: $(STAMP)
	$(VENV)/bin/honcho run $(PY) manage.py check_production

backup: $(STAMP)
	$(VENV)/bin/honcho run $(PY) manage.py backup

otp: $(STAMP)
	$(PY) manage.py demo_otp

bench: $(STAMP)
	$(PY) bench/import_households.py
	$(PY) bench/evaluate_province.py
	$(PY) bench/plan_dashboard.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .pytest_cache .ruff_cache
