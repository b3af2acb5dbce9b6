"""The database a bench run measures on: made for the run and dropped after it, like a test
database, so a run never touches the data `make run` serves."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.test.utils import setup_databases, teardown_databases


@contextmanager
def throwaway_database(*, label: str = "bench") -> Iterator[None]:
    """Create `test_<name>` on PostgreSQL, or an SQLite file in a temporary folder (a file, as
    `make run` uses, not an in-memory database), migrate it, and drop it afterwards."""
    settings = connection.settings_dict
    with tempfile.TemporaryDirectory(prefix=f"{label}-") as folder:
        if connection.vendor == "sqlite":
            settings["TEST"]["NAME"] = str(Path(folder) / f"{label}.sqlite3")
        else:
            settings["TEST"]["NAME"] = f"{label}_{settings['NAME']}"
        # Persistent for the run: a WSGI server's worker keeps its connection between requests
        # (CONN_MAX_AGE or a pool in production); reconnecting per request would be measured too.
        settings["CONN_MAX_AGE"] = None
        settings["CONN_HEALTH_CHECKS"] = False
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default": {}})
        try:
            yield
        finally:
            teardown_databases(old_config, verbosity=0)
