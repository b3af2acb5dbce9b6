"""One version number for what the cached reads show (the stats, the feed's bytes), kept in the
cache and moved on by every change to it, after the change commits.

A cache key that carries the version is never deleted: a change moves the version on
(`invalidate_content`, from the model signals in blog.signals and from the services whose bulk
writes send none), and the entries under the old version simply expire. Moving it on only once
the transaction commits (`transaction.on_commit`) means a reader can never cache what a
transaction that is later rolled back wrote.

A version series never restarts at a number used before: it starts at the clock's nanoseconds,
so an entry kept in a process from before a cache flush can never pass for a new one.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content:version"


def content_version() -> int | None:
    """The current version, or None when the cache cannot keep one (it is down)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use or an eviction: start a new series of keys. A cache that is down (its
        # errors ignored) keeps nothing, and the second read comes back empty too.
        cache.add(VERSION_KEY, _new_series(), timeout=None)
        version = cache.get(VERSION_KEY)
    return None if version is None else int(version)


def _new_series() -> int:
    """A first version no earlier series has used: the clock's nanoseconds."""
    return time.time_ns()


def _bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key is gone (eviction, restart): any new version will do
        cache.add(VERSION_KEY, _new_series(), timeout=None)


def invalidate_content() -> None:
    """Move the version on once the current transaction commits."""
    transaction.on_commit(_bump_version)
