"""The production settings' psycopg pool, in one place: config/env.py builds `DATABASES` with it,
and the bench measures a request on it beside persistent connections."""

from __future__ import annotations

from typing import Any

# How long a request waits for a connection before it fails: past the pool's check, waiting
# means the server is unreachable, and the client should hear a 503 soon (core/error_views.py)
# rather than hang with the worker.
POOL_TIMEOUT_SECONDS = 5


def pool_options() -> dict[str, Any]:
    """`OPTIONS["pool"]` for psycopg's pool (Django passes these to `ConnectionPool`)."""
    return {
        # A sync worker uses one connection at a time. After a restart every connection the
        # pool holds is dead, and it tests them one by one, waiting 1 s, then 2 s, ... between
        # tests: one kept connection costs the first request a second, two would cost three.
        "min_size": 1,
        "max_size": 10,
        "timeout": POOL_TIMEOUT_SECONDS,
    }
