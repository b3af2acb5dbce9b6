"""Fixtures the blog's tests share: the world every write path is run against (the stats' and
the cached feed's invalidation tests)."""

from tests.blog.test_stats_invalidation import world

__all__ = ["world"]
