# NTM Số — `make run` and `make test` are all a newcomer needs.
PORT ?= 8000
# Test workers (pytest-xdist); `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint fmt demo otp bench clean

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
	$(PY) manage.py demo_banner --url http://127.0.0.1:$(PORT)/
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

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

otp: $(STAMP)
	$(PY) manage.py demo_otp

bench: $(STAMP)
	$(PY) bench/import_households.py
	$(PY) bench/evaluate_province.py
	$(PY) bench/plan_dashboard.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .pytest_cache .ruff_cache
