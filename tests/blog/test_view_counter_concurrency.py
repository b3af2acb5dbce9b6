"""Concurrent increments on PostgreSQL: read-modify-write loses views, F() loses none.

Each thread is a request with its own database connection. For the naive counter a pre_save
receiver holds every thread between its read and its write until all have read, the interleaving
that loses updates under load, made certain instead of likely.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import pre_save

from blog import services
from blog.models import Post
from tests.factories import PostFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 4


def run_concurrently(work: Any) -> None:
    def request() -> None:
        try:
            work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for future in [pool.submit(request) for _ in range(THREADS)]:
            future.result(timeout=30)


def test_read_modify_write_loses_concurrent_views() -> None:
    post = PostFactory.create()
    everyone_has_read = threading.Barrier(THREADS, timeout=10)

    def hold_until_all_have_read(sender: Any, instance: Post, **kwargs: Any) -> None:
        everyone_has_read.wait()

    pre_save.connect(hold_until_all_have_read, sender=Post)
    try:
        run_concurrently(lambda: services.post_view_naive(slug=post.slug))
    finally:
        pre_save.disconnect(hold_until_all_have_read, sender=Post)

    post.refresh_from_db()
    assert post.view_count == 1  # four views, three lost


def test_f_expression_counts_every_concurrent_view() -> None:
    post = PostFactory.create()
    start_together = threading.Barrier(THREADS, timeout=10)

    def view() -> None:
        start_together.wait()
        for _ in range(25):
            services.post_view_optimized(slug=post.slug)

    run_concurrently(view)

    post.refresh_from_db()
    assert post.view_count == THREADS * 25
