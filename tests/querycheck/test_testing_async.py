"""The query assertions inside `async def` tests, where Django's own capture cannot run.

Entering Django's `CaptureQueriesContext` (what `django_assert_num_queries` uses) on the event
loop's thread raises SynchronousOnlyOperation; and the async ORM runs its queries on a worker
thread with its own connection, and `AsyncClient` serves each request on a thread of its own.
`querycheck.capture` records queries on every thread. These tests need `transaction=True`: the
worker thread's connection is not in the test's transaction (docs/testing.md, "Async code").
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from http import HTTPStatus

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.core.exceptions import SynchronousOnlyOperation
from django.db import connection, connections
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext

from blog import async_reads
from blog.models import Post
from querycheck.testing import NPlusOneError, QueryCountError, assert_num_queries, no_n_plus_one
from querylab.datasets import build_data
from users.models import User

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture
async def five_posts() -> AsyncIterator[None]:
    await sync_to_async(build_data)("posts", 5)
    yield
    await sync_to_async(connections.close_all)()  # the worker thread's connection


async def test_django_capture_cannot_run_here_and_ours_does(five_posts: None) -> None:
    # What django_assert_num_queries does on entering: refused on the event loop's thread.
    with pytest.raises(SynchronousOnlyOperation), CaptureQueriesContext(connection):
        pass

    with assert_num_queries(1) as captured:
        counts = await async_reads.post_counts_aggregated()

    assert counts.posts == 5
    assert captured.queries[0].thread != "MainThread"  # the async ORM's worker thread


async def test_assert_num_queries_fails_on_the_gathered_counts(five_posts: None) -> None:
    with (
        pytest.raises(QueryCountError, match=r"^Expected 1 queries, 4 ran\."),
        assert_num_queries(1),
    ):
        await async_reads.post_counts_gathered()


async def test_the_guard_catches_an_n_plus_one_in_async_code(five_posts: None) -> None:
    async def authors_one_by_one() -> list[User]:
        return [await User.objects.aget(pk=post.author_id) async for post in Post.objects.all()]

    with pytest.raises(NPlusOneError, match=r'x5 SELECT "users_user"'), no_n_plus_one():
        await authors_one_by_one()


async def test_the_guard_passes_the_optimized_async_feed(five_posts: None) -> None:
    with no_n_plus_one(limit=1) as captured:
        posts = await async_reads.post_feed_async(limit=5)

    assert len(posts) == 5
    assert captured.count == 3


async def test_capture_sees_the_queries_of_asgi_requests(
    five_posts: None, async_client: AsyncClient
) -> None:
    with assert_num_queries(3):
        feed = await async_client.get("/async/feed/", {"limit": 5})
    with assert_num_queries(4):
        counts = await async_client.get("/api/v1/naive/async-gather/")

    assert feed.status_code == counts.status_code == HTTPStatus.OK
    assert counts.json()["posts"] == 5
