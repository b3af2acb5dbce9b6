"""Django's PostgreSQL backend, reading timestamps with psycopg's C loader when it safely can.

Django registers a `timestamptz` loader of its own on every psycopg 3 connection: a Python
subclass of psycopg's pure-Python loader, which sets the time zone Django expects on each value.
That subclass is what a page of rows spends much of its decoding time in (three timestamps a
feed row, one per comment), and it replaces psycopg's C loader, which `psycopg[binary]` (or
`psycopg[c]`) would otherwise use.

When the session's time zone is UTC, which is what Django sets with `USE_TZ = True` and the
database's `TIME_ZONE` unset, both loaders give the same value: an aware datetime in
`datetime.timezone.utc`. This backend then registers the C loader on each cursor it opens, in
place of Django's (on the cursor, not the connection: Django's own cursor set-up reads a
`timezone` attribute off the connection's loader, which the C class has not got). Any other
session time zone keeps Django's loader, untouched.

Use it by naming this package as the ENGINE (config/env.py does, for PostgreSQL URLs).
Caveat: code that changes the session's time zone (`SET TIME ZONE ...` on a kept connection)
gets values in that zone from the C loader, where Django's loader would still say UTC.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import adapters
from psycopg.pq import Format

# psycopg's own text loader: the C one when psycopg's C implementation is installed.
TIMESTAMPTZ_LOADER = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)


class DatabaseWrapper(base.DatabaseWrapper):
    fast_timestamps = False  # set per connection, once its session time zone is known

    def init_connection_state(self) -> None:
        super().init_connection_state()  # sets the session time zone Django wants
        self.fast_timestamps = TIMESTAMPTZ_LOADER is not None and self._session_is_utc()

    def _session_is_utc(self) -> bool:
        return bool(
            settings.USE_TZ
            and self.timezone == datetime.UTC
            and self.connection.info.parameter_status("TimeZone") == "UTC"
        )

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = super().create_cursor(name)
        if self.fast_timestamps:
            cursor.adapters.register_loader("timestamptz", TIMESTAMPTZ_LOADER)
        return cursor
