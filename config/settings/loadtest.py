"""Settings for `make loadtest` only: the production settings plus the comparison routes, so the
load test can drive the naive feed beside the optimized one through the production stack.

Never deploy with these: the naive routes are exactly what production leaves out.
"""

from __future__ import annotations

import os

from config.env import database_config

from .production import *  # noqa: F403
from .production import BASE_DIR, DATABASES, ENV, INSTALLED_APPS

QUERYLAB_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "querylab"]

# The load test's connection budget (scripts/loadtest.py) compares the production pool with
# persistent connections, one per worker, under the same load.
if os.environ.get("LOADTEST_CONNECTIONS") == "persistent" and not ENV.DATABASE_PGBOUNCER:
    DATABASES["default"] = database_config(
        ENV.DATABASE_URL, default_sqlite_path=BASE_DIR / "db.sqlite3", pool=False, conn_max_age=60
    )
