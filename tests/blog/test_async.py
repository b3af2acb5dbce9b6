"""Async views and the async ORM.

Query counts come from sync tests through the test client: it runs an async view to completion
on this thread, so its queries use this test's connection and transaction. The `async def` tests
(pytest-asyncio) run async ORM calls on another thread with its own connection, outside the test
transaction, hence `transaction=True` on them.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import Any

import pytest
import pytest_asyncio
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, connections

from blog import async_reads
from querylab.datasets import build_data
from tests.factories import PostFactory


@pytest_asyncio.fixture
async def own_connection_closed() -> AsyncIterator[None]:
    """Close the connection the async ORM opened on its own thread, or the test database could
    not be dropped at the end of the run while it is still open."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5, 20])
def test_async_feed_costs_three_queries(client, django_assert_num_queries, n) -> None:
    build_data("posts", n)

    with django_assert_num_queries(3):
        response = client.get("/async/feed/", {"limit": n})

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["rows"]) == n


@pytest.mark.django_db
def test_async_feed_rejects_a_bad_limit(client) -> None:
    assert client.get("/async/feed/", {"limit": "many"}).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.django_db
def test_gathered_queries_run_one_after_another_on_one_thread() -> None:
    build_data("posts", 5)
    spans: list[tuple[int, float, float]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spans.append((threading.get_ident(), started, time.perf_counter()))

    with connection.execute_wrapper(record):
        gathered = async_to_sync(async_reads.post_counts_gathered)()

    assert len(spans) == 4
    assert len({thread for thread, _, _ in spans}) == 1
    ordered = sorted(spans, key=lambda span: span[1])
    for (_, _, first_end), (_, second_start, _) in itertools.pairwise(ordered):
        assert second_start >= first_end  # no two queries overlap
    assert gathered == async_to_sync(async_reads.post_counts_aggregated)()


@pytest.mark.django_db
def test_one_aggregate_query_gives_the_same_numbers(django_assert_num_queries) -> None:
    build_data("posts", 4)

    with django_assert_num_queries(1):
        counts = async_to_sync(async_reads.post_counts_aggregated)()

    assert counts.posts == counts.published == 4
    assert counts.comments == 16


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_async_counts_endpoint(async_client, own_connection_closed) -> None:
    await sync_to_async(PostFactory.create_batch)(2, comments=1)

    naive = await async_client.get("/api/v1/naive/async-gather/")
    optimized = await async_client.get("/api/v1/optimized/async-gather/")

    assert naive.status_code == optimized.status_code == HTTPStatus.OK
    assert naive.json() == optimized.json()
    assert optimized.json() == {"posts": 2, "published": 2, "comments": 2, "authors": 2}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_async_feed_page(async_client, own_connection_closed) -> None:
    post = await sync_to_async(PostFactory.create)(tags=2, comments=4)

    response = await async_client.get("/async/feed/")

    assert response.status_code == HTTPStatus.OK
    assert post.title in response.content.decode()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_posting_to_the_async_counts_is_refused(async_client, own_connection_closed) -> None:
    response = await async_client.post("/api/v1/optimized/async-gather/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
