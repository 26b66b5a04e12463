# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The apps with their own translation catalog (<app>/locale).
APPS := $(patsubst %/locale,%,$(wildcard */locale))
PORT ?= 8000
# pip-compile's options, the same for `make lock` and `make upgrade` (the lock's header repeats them).
LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --extra dev --output-file requirements.txt pyproject.toml

.PHONY: run test install catalogs messages lock upgrade migrate demo totp lint typecheck schema lint-schema prod clean browser-check

## Every package, direct and indirect, at the exact version and hashes of requirements.txt (the lock).
## --no-deps: the lock already lists everything; a package missing from it fails here, not in a test.
$(STAMP): requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.txt
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP) catalogs

## The translation catalogs compiled (.po -> .mo, with Babel: no GNU gettext needed), those that changed.
catalogs: $(STAMP)
	$(BIN)/python -c "from toolkit.i18n import compile_stale; compile_stale()"

## After marking strings: extract them into a catalog and merge with what is translated (Django's
## makemessages, which needs GNU gettext: apt-get install gettext). APP=<app> for one app's catalog
## (<app>/locale), APP=. for the project's templates (locale/), none for every catalog.
messages: $(STAMP)
ifdef APP
	cd $(APP) && DJANGO_SETTINGS_MODULE=taskforce.settings.dev PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin \
	  makemessages --locale es --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' \
	  --ignore 'benchmarks/*' --ignore 'var/*' $(if $(filter .,$(APP)),$(foreach app,$(APPS),--ignore '$(app)/*'))
else
	for app in . $(APPS); do $(MAKE) --no-print-directory messages APP=$$app; done
endif

## The independent checkers the tests run (vnu-jar, the Nu HTML Checker; ical.js, which reads the calendar
## feeds as Thunderbird does), pinned by package-lock.json.
## --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the tests use Debian's (.ci/run).
ifneq ($(wildcard package.json),)
install: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@
endif

## After changing pyproject.toml's dependencies: add what is new to the lock, keep every other pin.
lock: install
	$(LOCK)

## Take the newest versions pyproject.toml allows, then run `make test` before committing the lock.
upgrade: install
	$(LOCK) --upgrade

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## Serve the portal on the embedded default (SQLite, tasks in-process, mail in var/mail), with the
## beat schedule run in-process in place of Celery beat (manage.py beat_run, Procfile.dev).
run: demo
	$(BIN)/honcho -f Procfile.dev start --port $(PORT)

## The whole suite. With DATABASE_URL and REDIS_URL set, against PostgreSQL and Redis, integration tests included.
test: install browser-check
	$(BIN)/pytest $(PYTEST_ARGS)

## The browser tests drive Debian's Chromium, never a downloaded one: say how to get it if it is missing.
browser-check:
	@command -v chromium >/dev/null || [ -n "$$PLAYWRIGHT_CHROMIUM" ] || \
	  echo "make test: Chromium is missing, so the browser tests will be skipped; install it with: sudo apt-get install chromium"

## Current code of the demo authenticator (see README, "Demo logins").
totp: install
	@$(BIN)/python manage.py demo_totp

lint: install
	$(BIN)/ruff check .

## mypy with the django-stubs and DRF plugins over the project, not tests/ (its settings: pyproject.toml).
typecheck: install
	$(BIN)/mypy

schema: install
	$(BIN)/python manage.py spectacular --api-version v1 --file docs/openapi.yaml --validate

## The committed schema through Redocly's OpenAPI linter (pinned in package-lock.json; rules in redocly.yaml,
## single intended findings in .redocly.lint-ignore.yaml). No telemetry, no update check: CI stays offline.
lint-schema: install
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly lint docs/openapi.yaml

## The production stack on one machine (needs the environment described in the README).
## Migrations run as the tables' owner (MIGRATION_DATABASE_URL); the processes connect as the app role
## (DATABASE_URL), which audit_lock_down limits to SELECT and INSERT on the audit trail (README, "Database roles").
prod: install
	DJANGO_SETTINGS_MODULE=taskforce.settings.production DATABASE_URL="$${MIGRATION_DATABASE_URL:-$$DATABASE_URL}" \
	  $(BIN)/python manage.py migrate --noinput
	if [ -n "$$AUDIT_APP_ROLE" ]; then DJANGO_SETTINGS_MODULE=taskforce.settings.production \
	  DATABASE_URL="$${MIGRATION_DATABASE_URL:-$$DATABASE_URL}" $(BIN)/python manage.py audit_lock_down --app-role "$$AUDIT_APP_ROLE"; fi
	DJANGO_SETTINGS_MODULE=taskforce.settings.production $(BIN)/python manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=taskforce.settings.production $(BIN)/honcho start

clean:
	rm -rf var $(VENV)
