"""The feed's cached bytes (blog/feed_cache.py): the optimized endpoint's bytes, no query when
warm, and never stale: every write path that changes what the feed shows moves the content
version on after its commit, and not before (the paths enumerated by the stats' test)."""

from __future__ import annotations

import pytest
from django.test import Client

from blog.feed_cache import post_feed_cached
from querylab.datasets import build_data
from tests.blog.test_stats_invalidation import WRITE_PATHS, World

pytestmark = pytest.mark.django_db

LIMIT = 10


def fresh_feed(client: Client) -> bytes:
    response = client.get("/api/v1/optimized/post-feed/", {"limit": LIMIT})
    assert response.status_code == 200
    return response.content


def test_the_cached_feed_is_the_optimized_endpoints_bytes(client, django_assert_num_queries):
    build_data("posts", 12)
    optimized = fresh_feed(client)
    cold = client.get("/api/v1/cached/feed/", {"limit": LIMIT})

    with django_assert_num_queries(0):
        warm = client.get("/api/v1/cached/feed/", {"limit": LIMIT})

    assert b'"results":[{' in optimized
    assert cold.content == warm.content == optimized
    assert post_feed_cached(limit=LIMIT).rows == LIMIT


def test_each_page_size_is_its_own_entry(client) -> None:
    build_data("posts", 12)

    three = client.get("/api/v1/cached/feed/", {"limit": 3}).json()["results"]
    five = client.get("/api/v1/cached/feed/", {"limit": 5}).json()["results"]

    assert [len(three), len(five)] == [3, 5]
    assert five[:3] == three


@pytest.mark.parametrize("name", sorted(WRITE_PATHS))
def test_a_write_moves_the_cached_feed_on_after_its_commit_and_not_before(
    name, world: World, admin_client, django_capture_on_commit_callbacks
) -> None:
    before = post_feed_cached(limit=LIMIT).body  # warms the cache
    assert before == fresh_feed(admin_client)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        WRITE_PATHS[name].write(world, admin_client)

    after = fresh_feed(admin_client)
    if after == before:
        return  # the feed shows nothing this write changed
    assert post_feed_cached(limit=LIMIT).body == before  # uncommitted: nothing moved yet
    for callback in callbacks:
        callback()
    assert post_feed_cached(limit=LIMIT).body == after
