"""Settings for the pytest suite (`--ds=config.settings.test` in pyproject.toml)."""

from __future__ import annotations

import os

from config.env import database_config

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, DATABASES, INSTALLED_APPS, MIDDLEWARE

# The suite proves every case, so it needs the lab and both variants' routes.
QUERYLAB_ENABLED = True
# zeal, an independent N+1 detector, checks querycheck's verdicts on every case
# (tests/querylab/test_zeal_oracle.py); it detects nothing outside its zeal_context().
INSTALLED_APPS = [*INSTALLED_APPS, "querylab", "zeal"]
# As under `make run`: each case page shows its own query count (tests/querylab/test_page_cost.py).
MIDDLEWARE = [*MIDDLEWARE, "querylab.page_measurement.CasePageMeasurementMiddleware"]

# Hashing with the default PBKDF2 costs ~100 ms a user; the suite creates hundreds.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Connections are closed after each request so tests see what a fresh worker sees; persistent
# connections and pools are exercised by the production settings, not here.
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
# With replicas configured (make test-services starts one), the suite still reads and counts on
# the primary: a test's rows sit in a transaction no replica sees. tests/config/test_replicas.py
# turns the router and its middleware on where it proves them.
DATABASE_ROUTERS = []
# PgBouncer in transaction pooling mode in front of the same server (make test-services starts
# one), configured as the production switch configures it (DATABASE_PGBOUNCER):
# tests/config/test_pgbouncer.py shows what the switch prevents, on this alias.
if os.environ.get("DATABASE_PGBOUNCER_URL"):
    DATABASES["pgbouncer"] = {
        **database_config(
            os.environ["DATABASE_PGBOUNCER_URL"],
            default_sqlite_path=BASE_DIR / "unused.sqlite3",
            pool=False,
            conn_max_age=0,
            pgbouncer=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
MIDDLEWARE = [name for name in MIDDLEWARE if name != "core.replicas.ReadYourWritesMiddleware"]

# A prefix of its own, so the suite only ever deletes its own keys on a shared Redis; and one per
# pytest-xdist worker ("testgw0", "testgw1"), so parallel workers never clear each other's keys.
CACHES["default"]["KEY_PREFIX"] = "test" + os.environ.get("PYTEST_XDIST_WORKER", "")
