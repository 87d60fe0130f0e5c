# yuanqu — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test lint format migrate demo-data bench audit check-deploy deploy-check system-packages

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with its dev tools

migrate: install  ## apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo-data: migrate  ## load reference data and demo content (idempotent)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo_data

run: install  ## serve the site with demo data on http://127.0.0.1:$(PORT) (SQLite by default)
	@DEBUG=$${DEBUG:-1} PORT=$(PORT) scripts/run.sh

test: install  ## lint, then the whole suite on SQLite and on PostgreSQL (browser tests included)
	@scripts/test.sh

lint: install  ## ruff, ruff format check, mypy, migrations check, deploy check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	YUANQU_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory check-deploy

check-deploy: install  ## Django's deployment checklist under production-like settings
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=yuanqu.example.cn SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

format: install  ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

deploy-check: install  ## deploy/ on loopback ports (nginx, 2 gunicorn, worker, scheduler) and a smoke test through nginx
	@scripts/deploy-check.sh

bench: install  ## every page budget in one run on SQLite and PostgreSQL (bench/scenarios.py; slow, not tests)
	@scripts/bench.sh

audit: install  ## sqlmap, wapiti, XSS in Chromium, headers, pip-audit, Lighthouse, axe, PIPL (audit/run.py; slow)
	@scripts/audit.sh

system-packages:  ## install Debian packages the browser tests need (root)
	@scripts/system-packages.sh
