"""Site statistics three ways: in Python over every row (naive), in SQL (optimized), and as
cached bytes under a versioned key that commits of posts and comments move on.

The cache key carries the content's version (blog.content_version), which every change to what
the stats or the cached feed show moves on after its transaction commits: nothing is deleted, a
reader can never cache numbers from a transaction that is later rolled back, and an old entry
simply expires.

A warm hit is one cache round trip: the version. Each process keeps the last entry it read
beside the version it was read under, and serves it while the cache's version still says so
(and no longer than the cache entry's own time to live); only a new version sends it to the
cache for the entry.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Q

from core.replicas import pinned_to_primary
from users.models import User

from .choices import PostStatus
from .content_version import content_version
from .models import Comment, Post, Tag
from .schemas import STATS, AuthorCount, StatsOut, TagCount, Totals

TOP = 5
STATS_TTL = 300  # seconds: a safety net; invalidation is what keeps the numbers fresh
LOCK_TTL = 30
WAIT_FOR_LOCK = 2.0  # seconds another request may take to fill the cache before we compute
logger = logging.getLogger(__name__)


def stats_naive() -> StatsOut:
    """Load every published post, comment and user, and count in Python; each post's tags load
    lazily. Queries: 3 + N (N = published posts)."""
    posts = list(Post.objects.published())
    comments = list(Comment.objects.all())
    users = {user.pk: user for user in User.objects.all()}
    by_author = Counter(post.author_id for post in posts)
    by_tag: Counter[tuple[str, str]] = Counter()
    for post in posts:
        for tag in post.tags.all():
            by_tag[tag.name, tag.slug] += 1
    authors = sorted(by_author.items(), key=lambda item: (-item[1], users[item[0]].username))
    tags = sorted(by_tag.items(), key=lambda item: (-item[1], item[0][0]))
    return StatsOut(
        totals=Totals(posts=len(posts), comments=len(comments), users=len(users)),
        top_authors=[
            AuthorCount(username=users[pk].username, published_posts=n) for pk, n in authors[:TOP]
        ],
        top_tags=[TagCount(name=name, slug=slug, posts=n) for (name, slug), n in tags[:TOP]],
    )


def stats_optimized() -> StatsOut:
    """Count in the database: the totals, and the top authors and tags, each one aggregate
    query. Queries: 5."""
    published = Q(posts__status=PostStatus.PUBLISHED)
    authors = (
        User.objects.annotate(published_posts=Count("posts", filter=published))
        .filter(published_posts__gt=0)
        .order_by("-published_posts", "username")
        .values("username", "published_posts")[:TOP]
    )
    tags = (
        Tag.objects.annotate(posts_count=Count("posts", filter=published))
        .filter(posts_count__gt=0)
        .order_by("-posts_count", "name")
        .values("name", "slug", "posts_count")[:TOP]
    )
    return StatsOut(
        totals=Totals(
            posts=Post.objects.published().count(),
            comments=Comment.objects.count(),
            users=User.objects.count(),
        ),
        top_authors=[AuthorCount(**row) for row in authors],
        top_tags=[
            TagCount(name=row["name"], slug=row["slug"], posts=row["posts_count"]) for row in tags
        ],
    )


class CachedStats(NamedTuple):
    """What the cache holds: the JSON bytes a request answers with, and the number of published
    posts they count (the case's N), so neither is computed on a hit."""

    posts: int
    body: bytes


def _computed() -> CachedStats:
    # From the primary: a replica behind the version just read would store the past under the
    # present's key, until the next change (core/replicas.py).
    with pinned_to_primary():
        numbers = stats_optimized()
    return CachedStats(posts=numbers.totals.posts, body=STATS.dump_json(numbers))


def stats_cached() -> CachedStats:
    """The stats: from the cache when warm (no query at all), else computed once.

    A cold key is filled by a single request at a time: the one that wins `cache.add()` on the
    lock computes, the others wait briefly for its result instead of all hitting the database
    (the stampede). If the cache is down every call just computes, slower but correct.
    """
    version = content_version()
    if version is None:
        logger.warning("stats: the cache is unavailable; computing from the database")
        return _computed()
    key = f"stats:{version}"
    kept = _kept(key)
    if kept is not None:
        return kept
    cached: CachedStats | None = cache.get(key)
    if cached is not None:
        return _keep(key, cached)
    lock = f"{key}:lock"
    if cache.add(lock, 1, timeout=LOCK_TTL):
        try:
            entry = _computed()
            cache.set(key, entry, timeout=STATS_TTL)
            return _keep(key, entry)
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + WAIT_FOR_LOCK
    while time.monotonic() < deadline:
        time.sleep(0.05)
        cached = cache.get(key)
        if cached is not None:
            return cached
    logger.warning("stats: gave up waiting for the cache to be filled; computing directly")
    return _computed()


class _Kept(NamedTuple):
    key: str
    entry: CachedStats
    until: float  # time.monotonic()


# This process's copy of the last entry it read: one key, a few hundred bytes. A worker's
# threads may replace it at once; each writes a whole tuple, so a reader sees one or the other.
_kept_entry: _Kept | None = None


def _kept(key: str) -> CachedStats | None:
    kept = _kept_entry
    if kept is None or kept.key != key or time.monotonic() >= kept.until:
        return None
    return kept.entry


def _keep(key: str, entry: CachedStats) -> CachedStats:
    global _kept_entry  # noqa: PLW0603 - the process's one copy, replaced whole
    _kept_entry = _Kept(key, entry, time.monotonic() + STATS_TTL)
    return entry


def stats_cached_json() -> bytes:
    """The stats as JSON bytes, through the cache (`stats_cached`)."""
    return stats_cached().body
