# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo totp lint schema prod clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## Serve the portal on the embedded default (SQLite, tasks in-process, mail in var/mail), with the
## digest planner every 5 minutes in place of Celery beat (Procfile.dev).
run: demo
	$(BIN)/honcho -f Procfile.dev start

## The whole suite. With DATABASE_URL and REDIS_URL set, against PostgreSQL and Redis, integration tests included.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

## Current code of the demo authenticator (see README, "Demo logins").
totp: install
	@$(BIN)/python manage.py demo_totp

lint: install
	$(BIN)/ruff check .

schema: install
	$(BIN)/python manage.py spectacular --api-version v1 --file docs/openapi.yaml --validate

## The production stack on one machine (needs the environment described in the README).
prod: install
	DJANGO_SETTINGS_MODULE=taskforce.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=taskforce.settings.production $(BIN)/python manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=taskforce.settings.production $(BIN)/honcho start

clean:
	rm -rf var $(VENV)
