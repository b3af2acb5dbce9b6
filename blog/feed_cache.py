"""The feed's JSON bytes from the cache: the last rung of the feed's ladder (docs/benchmarks.md),
where a warm request runs no query, validates nothing and writes nothing.

The key carries the content version (blog.content_version), which every change to what a feed
card shows moves on after its commit, and the page size: `feed:<version>:<limit>`. A cold key is
computed by the optimized feed (three queries) and written as the endpoint writes it, so a hit
is the same bytes. Unlike the stats there is no lock against a stampede: a cold feed costs three
queries, which a few requests at once can afford.
"""

from __future__ import annotations

from typing import NamedTuple

from django.core.cache import cache

from core.case_api import adapter_for, results_model
from core.replicas import pinned_to_primary

from .content_version import content_version
from .schemas import PostFeedOut
from .selectors import post_feed_optimized

FEED_TTL = 300  # seconds: a safety net; the version is what keeps the feed fresh


class CachedFeed(NamedTuple):
    rows: int  # the rows the bytes hold: the case's N, without parsing them
    body: bytes


def post_feed_cached(*, limit: int) -> CachedFeed:
    """The newest `limit` feed rows as JSON bytes: from the cache when warm (two cache reads, the
    version and the entry, and no query), else computed and kept."""
    version = content_version()
    if version is None:  # the cache is down: serve from the database
        return _computed(limit)
    key = f"feed:{version}:{limit}"
    cached: CachedFeed | None = cache.get(key)
    if cached is None:
        cached = _computed(limit)
        cache.set(key, cached, timeout=FEED_TTL)
    return cached


def _computed(limit: int) -> CachedFeed:
    adapter = adapter_for(results_model(PostFeedOut))
    # From the primary: a replica behind the version just read would store the past under the
    # present's key, until the next change (core/replicas.py).
    with pinned_to_primary():
        rows = list(post_feed_optimized(limit=limit))
    page = adapter.validate_python({"results": rows}, from_attributes=True)
    return CachedFeed(rows=len(rows), body=adapter.dump_json(page, by_alias=True))
