"""The stats cache: warm hits, invalidation on commit only, one request filling a cold key."""

from __future__ import annotations

import json
import logging
import threading
from http import HTTPStatus
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from blog import content_version, schemas, stats
from blog.models import Post
from tests.conftest import clear_test_cache
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

STATS = "/api/v1/stats/"


def test_naive_optimized_and_cached_agree(client) -> None:
    PostFactory.create_batch(3, tags=2)
    PostFactory.create(draft=True)
    CommentFactory.create_batch(2)

    naive = json.loads(schemas.STATS.dump_json(stats.stats_naive()))
    optimized = json.loads(schemas.STATS.dump_json(stats.stats_optimized()))
    served = client.get(STATS).json()

    assert naive["totals"]["posts"] == 5  # three, and the two the comments are on
    assert naive == optimized == served


def test_a_warm_hit_runs_no_query(client, django_assert_num_queries) -> None:
    PostFactory.create()
    client.get(STATS)

    with django_assert_num_queries(0):
        response = client.get(STATS)

    assert response.status_code == HTTPStatus.OK


def test_a_committed_change_moves_the_stats_on(client, django_capture_on_commit_callbacks) -> None:
    PostFactory.create()
    assert client.get(STATS).json()["totals"]["posts"] == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        PostFactory.create()

    assert callbacks
    assert client.get(STATS).json()["totals"]["posts"] == 2


def test_nothing_moves_until_the_transaction_commits(
    client, django_capture_on_commit_callbacks
) -> None:
    PostFactory.create()
    before = content_version.content_version()
    client.get(STATS)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PostFactory.create()

    assert callbacks  # queued for the commit that, here, never comes
    assert content_version.content_version() == before
    assert client.get(STATS).json()["totals"]["posts"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_invalidates_nothing(client) -> None:
    author = UserFactory.create()
    client.get(STATS)
    before = content_version.content_version()

    def write_then_fail() -> None:
        with transaction.atomic():
            PostFactory.create(author=author)
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        write_then_fail()

    assert content_version.content_version() == before
    assert not Post.objects.exists()


def test_bulk_writes_invalidate_too(
    author_client, author, django_capture_on_commit_callbacks
) -> None:
    PostFactory.create_batch(2, author=author, draft=True)
    assert author_client.get(STATS).json()["totals"]["posts"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        author_client.post("/api/v1/posts/publish-drafts/")

    assert author_client.get(STATS).json()["totals"]["posts"] == 2


def test_a_cold_key_is_filled_by_one_request_while_others_wait(django_assert_num_queries) -> None:
    key = f"stats:{content_version.content_version()}"
    assert cache.add(f"{key}:lock", 1)  # another request is computing
    filled = stats.CachedStats(posts=7, body=b'{"filled": true}')
    filler = threading.Timer(0.2, lambda: cache.set(key, filled))
    filler.start()

    with django_assert_num_queries(0):
        payload = stats.stats_cached_json()

    filler.join()
    assert payload == b'{"filled": true}'


def test_a_stuck_lock_holder_does_not_block_forever(monkeypatch, caplog) -> None:
    monkeypatch.setattr(stats, "WAIT_FOR_LOCK", 0.1)
    key = f"stats:{content_version.content_version()}"
    cache.add(f"{key}:lock", 1)

    with caplog.at_level(logging.WARNING, logger="blog.stats"):
        payload = stats.stats_cached_json()

    assert json.loads(payload)["totals"] == {"posts": 0, "comments": 0, "users": 0}
    assert "gave up waiting" in caplog.text


def test_the_home_page_is_cached_and_varies_on_the_cookie(
    client, django_assert_num_queries
) -> None:
    PostFactory.create()
    first = client.get("/")

    with django_assert_num_queries(0):
        second = client.get("/")

    assert second.content == first.content
    assert "Cookie" in first["Vary"]


class CacheReads:
    """The cache's own `get`, counted: which keys a call read (the reads still go to the cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.keys: list[str] = []
        real_get = cache.get

        def get(key: str, *args: Any, **kwargs: Any) -> Any:
            self.keys.append(key)
            return real_get(key, *args, **kwargs)

        monkeypatch.setattr(cache, "get", get)


def test_a_warm_hit_is_one_cache_read_the_version(monkeypatch) -> None:
    PostFactory.create()
    first = stats.stats_cached_json()
    reads = CacheReads(monkeypatch)

    again = stats.stats_cached_json()

    assert again == first
    assert reads.keys == [content_version.VERSION_KEY]


def test_a_new_version_reads_the_entry_again(monkeypatch) -> None:
    PostFactory.create()
    stats.stats_cached_json()
    content_version._bump_version()
    reads = CacheReads(monkeypatch)

    stats.stats_cached_json()

    assert reads.keys[0] == content_version.VERSION_KEY
    assert f"stats:{content_version.content_version()}" in reads.keys


def test_the_kept_copy_lives_no_longer_than_the_cache_entry(monkeypatch) -> None:
    PostFactory.create()
    monkeypatch.setattr(stats, "STATS_TTL", 0)
    stats.stats_cached_json()
    reads = CacheReads(monkeypatch)

    stats.stats_cached_json()

    assert len(reads.keys) >= 2  # the version, then the entry: the copy had expired


def test_after_the_cache_is_emptied_the_kept_copy_is_never_served() -> None:
    PostFactory.create()
    before = json.loads(stats.stats_cached_json())
    clear_test_cache()  # a flush or a restart: the version series starts again
    PostFactory.create()  # outside any signal's sight: only the new series can tell

    after = json.loads(stats.stats_cached_json())

    assert before["totals"]["posts"] == 1
    assert after["totals"]["posts"] == 2
