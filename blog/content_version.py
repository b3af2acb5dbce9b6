"""One version number for what the cached reads show (the stats, the feed's bytes), kept in the
cache and moved on by every change to it, after the change commits.

A cache key that carries the version is never deleted: a change moves the version on
(`invalidate_content`, from the model signals in blog.signals and from the services whose bulk
writes send none), and the entries under the old version simply expire. Moving it on only once
the transaction commits (`transaction.on_commit`) means a reader can never cache what a
transaction that is later rolled back wrote.

A version series never restarts at a number used before: it starts at the clock's nanoseconds,
so an entry kept in a process from before a cache flush can never pass for a new one.

Beside the version, the time of the last change (`content_changed_at`): a reader that renders
what a version names from a read replica must know whether the replica has had time to replay
the change (blog.conditional). The time is written before the version moves on, so a reader
that sees the new version never sees an older time with it.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content:version"
CHANGED_KEY = "content:changed"


def content_version() -> int | None:
    """The current version, or None when the cache cannot keep one (it is down)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use or an eviction: start a new series of keys. A cache that is down (its
        # errors ignored) keeps nothing, and the second read comes back empty too.
        cache.add(VERSION_KEY, _new_series(), timeout=None)
        version = cache.get(VERSION_KEY)
    return None if version is None else int(version)


class ContentState(NamedTuple):
    version: int
    changed_at: float  # when the content last changed, in seconds since the epoch


def content_state() -> ContentState | None:
    """The version and the time of the last change, in one cache round trip; None when the
    cache cannot keep a version. A time the cache has no record of (first use, an eviction)
    is taken as now: assume the content just changed."""
    found = cache.get_many([VERSION_KEY, CHANGED_KEY])
    version = found.get(VERSION_KEY)
    if version is None:
        version = content_version()
        if version is None:
            return None
    changed = found.get(CHANGED_KEY)
    return ContentState(int(version), time.time() if changed is None else float(changed))


def _new_series() -> int:
    """A first version no earlier series has used: the clock's nanoseconds."""
    return time.time_ns()


def _bump_version() -> None:
    cache.set(CHANGED_KEY, time.time(), timeout=None)  # first: see the module's docstring
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key is gone (eviction, restart): any new version will do
        cache.add(VERSION_KEY, _new_series(), timeout=None)


def invalidate_content() -> None:
    """Move the version on once the current transaction commits."""
    transaction.on_commit(_bump_version)
