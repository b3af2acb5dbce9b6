# The project's commands. `make run` and `make test` work on a fresh clone with nothing but
# Python 3.11+; `make test-services` also needs PostgreSQL and Redis binaries (or their URLs).

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
REQUIREMENTS := $(wildcard requirements/*.txt)
PYTEST_ARGS ?=
# Parallel test processes (pytest-xdist); each has its own test database and cache prefix.
# PYTEST_WORKERS=0 runs in this process, for pdb or -s.
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help venv run test test-services test-pgbouncer test-browser coverage mutation lint docs format clean bench bench-report bench-smoke loadtest fuzz

help:
	@echo "make run            serve the site on http://127.0.0.1:$(PORT)/ (SQLite, demo data)"
	@echo "make test           the whole suite on SQLite and the local-memory cache"
	@echo "make test-services  the whole suite on real PostgreSQL and Redis, no skips allowed"
	@echo "make test-pgbouncer the same suite through PgBouncer in transaction pooling mode"
	@echo "make test-browser   the tour in Chromium (Playwright); saves its screenshots to docs/tour/"
	@echo "make lint           ruff, format, mypy, import layers, migrations, stale docs, OpenAPI, deploy check"
	@echo "make format         ruff's fixes and formatting, applied"
	@echo "make coverage       make test-services with a line and branch coverage report"
	@echo "make docs           regenerate docs/patterns.md from the case registry"
	@echo "make fuzz           the schemathesis and Hypothesis tests with 500 examples each (minutes)"
	@echo "make mutation       break the code one bug at a time in a copy; a named test must fail each"
	@echo "make bench          measure every case on SQLite and PostgreSQL; regenerate docs/benchmarks.md"
	@echo "make bench-report   regenerate docs/benchmarks.md and the README headline from the bench's JSON"
	@echo "make bench-smoke    the bench at tiny sizes on both databases, so it cannot rot (CI)"
	@echo "make loadtest       gunicorn + PostgreSQL + Redis under locust: naive and optimized feed"
	@echo "make venv           create .venv and install requirements/local.txt (the other targets do it)"
	@echo "make clean          remove .venv and the tools' caches"

# The environment is rebuilt only when a requirements file changes.
$(STAMP): $(REQUIREMENTS)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11+ is required, $(PYTHON) is " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/local.txt
	@touch $@

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The embedded defaults, whatever the calling shell exports.
test: $(STAMP)
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-services: $(STAMP)
	WITH_REPLICA=1 WITH_PGBOUNCER=1 scripts/with-services.sh $(BIN)/pytest -n $(PYTEST_WORKERS) --require-services $(PYTEST_ARGS)

# The same suite with DATABASE_URL on PgBouncer in transaction pooling mode (DATABASE_PGBOUNCER
# on): what passes on a direct connection must pass behind the pooler too (docs/scaling.md).
test-pgbouncer: $(STAMP)
	WITH_REPLICA=1 WITH_PGBOUNCER=1 scripts/with-services.sh sh -c 'DATABASE_URL="$$DATABASE_PGBOUNCER_URL" DATABASE_PGBOUNCER=true exec $(BIN)/pytest -n $(PYTEST_WORKERS) --require-services $(PYTEST_ARGS)'

# Chromium against runserver (the local settings, as `make run`) and gunicorn (production); fails
# rather than skips where Chromium is missing. The tour's screenshots go to docs/tour/.
test-browser: $(STAMP)
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL BROWSER_SCREENSHOTS=docs/tour $(BIN)/pytest -n 0 -m browser \
		--require-browser tests/browser $(PYTEST_ARGS)

coverage: $(STAMP)
	scripts/with-services.sh $(BIN)/coverage run -m pytest --require-services $(PYTEST_ARGS)
	$(BIN)/coverage report

# The fuzzing and property tests, searching far longer than `make test`'s 25 examples each.
fuzz: $(STAMP)
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL HYPOTHESIS_PROFILE=thorough $(BIN)/pytest -n $(PYTEST_WORKERS) \
		tests/api/test_schema_fuzz.py tests/api/test_schema_properties.py $(PYTEST_ARGS)

# On SQLite, as make test does, but for the mutations only PostgreSQL can show.
mutation: $(STAMP)
	WITH_REPLICA=1 WITH_PGBOUNCER=1 scripts/with-services.sh $(BIN)/python scripts/mutation.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.test \
		$(BIN)/python manage.py makemigrations --check --dry-run
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL $(BIN)/python manage.py patterns_doc --check
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.test \
		$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.production \
		DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		DJANGO_ALLOWED_HOSTS=blog.example.com \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.test \
		$(BIN)/python manage.py bench_report --check $(BENCH_DIR)/sqlite.json $(BENCH_DIR)/postgresql.json

docs: $(STAMP)
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL $(BIN)/python manage.py patterns_doc

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage htmlcov

# Benchmarks: one run per database, then the page, chart and README headline from their JSON.
BENCH_ARGS ?=
BENCH_DIR := docs/benchmarks

# The run before is kept in $(BENCH_DIR)/previous: the page says whether the two agree.
bench: $(STAMP)
	mkdir -p $(BENCH_DIR)/previous
	for run in sqlite postgresql; do [ ! -f $(BENCH_DIR)/$$run.json ] || cp $(BENCH_DIR)/$$run.json $(BENCH_DIR)/previous/; done
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL $(BIN)/python manage.py bench $(BENCH_ARGS) --json $(BENCH_DIR)/sqlite.json
	scripts/with-services.sh $(BIN)/python manage.py bench $(BENCH_ARGS) --json $(BENCH_DIR)/postgresql.json
	$(MAKE) bench-report

bench-report: $(STAMP)
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL $(BIN)/python manage.py bench_report $(BENCH_DIR)/sqlite.json $(BENCH_DIR)/postgresql.json

SMOKE := --sizes 2,4 --repeat 1 --serializer-rows 4 --export-rows 300 --latencies 0,1 --latency-rows 2 --compression-rows 4
bench-smoke: $(STAMP)
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS -u DATABASE_PGBOUNCER_URL -u REDIS_URL $(BIN)/python manage.py bench $(SMOKE) -v 0
	scripts/with-services.sh $(BIN)/python manage.py bench $(SMOKE) -v 0
	WITH_PGBOUNCER=1 scripts/with-services.sh $(BIN)/python scripts/loadtest.py --users=4 --seconds=3 --workers=2

# gunicorn (production settings) on throwaway PostgreSQL and Redis, driven by locust; the figures
# go on docs/benchmarks.md. LOADTEST_ARGS: --users, --seconds, --workers.
LOADTEST_ARGS ?=
loadtest: $(STAMP)
	WITH_PGBOUNCER=1 scripts/with-services.sh $(BIN)/python scripts/loadtest.py $(LOADTEST_ARGS) --json $(BENCH_DIR)/loadtest.json
	$(MAKE) bench-report
