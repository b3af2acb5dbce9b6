"""Writes racing on PostgreSQL: every valid request succeeds, a real conflict is a 409, never a
500. Each thread is a request through the whole stack, with its own database connection.

Two requests for the same title both read which slugs are taken, then both insert the same one;
the unique index refuses the second. A one-shot barrier holds every thread between its read and
its write the first time, so that the collision is certain rather than likely, and the retry
(`blog.services.with_free_slugs`) is what the test watches succeed.

PostgreSQL only (`make test-services` runs it, and allows no skip): SQLite's shared in-memory
test database refuses a second concurrent writer outright ("database table is locked") instead
of making it wait, so the race between two INSERTs cannot be staged there. The lost-update race
can, and tests/blog/test_view_counter_concurrency.py runs on both.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http import HTTPStatus
from typing import Any

import pytest
from django.db.models.signals import ModelSignal, post_init, pre_save
from django.test import Client

from blog.models import Comment, Post
from core.throttling import WriteRateThrottle
from tests.concurrency import everyone_reads_before_anyone_writes, in_parallel
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory
from users.models import User

# allow_n_plus_one: the guard counts queries on every thread, and fifty requests at once repeat
# the same few queries fifty times without any of them being an N+1.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.allow_n_plus_one,
]


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "1000000/minute"})


def post_as(user: User, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    client = Client()
    client.force_login(user)
    response = client.post(path, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_fifty_posts_with_one_title_all_succeed() -> None:
    category = CategoryFactory.create()
    users = UserFactory.create_batch(50)
    body = {"title": "Same title", "body": "Body.", "category": category.slug}

    with everyone_reads_before_anyone_writes(pre_save, len(users), model=Post):
        results = in_parallel([partial(post_as, u, "/api/v1/posts/", body) for u in users])

    assert [status for status, _ in results] == [HTTPStatus.CREATED] * 50
    slugs = {answer["slug"] for _, answer in results}
    assert len(slugs) == 50
    assert "same-title" in slugs
    assert Post.objects.filter(title="Same title").count() == 50


@pytest.mark.parametrize(
    ("path", "signal"),
    [("/api/v1/posts/import/", post_init), ("/api/v1/naive/post-import/", pre_save)],
    ids=["optimized", "naive"],
)
def test_parallel_imports_of_the_same_titles_all_succeed(path: str, signal: ModelSignal) -> None:
    category = CategoryFactory.create()
    users = UserFactory.create_batch(6)
    rows = [{"title": "Imported", "body": "Body.", "category": category.slug}]

    with everyone_reads_before_anyone_writes(signal, len(users), model=Post):
        results = in_parallel([partial(post_as, u, path, {"posts": rows}) for u in users])

    assert [status for status, _ in results] == [HTTPStatus.CREATED] * 6
    assert len({slug for _, answer in results for slug in answer["slugs"]}) == 6


def test_ten_imports_of_twenty_rows_at_once_all_succeed() -> None:
    category = CategoryFactory.create()
    # An existing tag: a new one would make each import wait at its INSERT for the first one to
    # commit, which the barrier holds back (a real request would just wait its turn).
    TagFactory.create(name="news", slug="news")
    users = UserFactory.create_batch(10)
    rows = [
        {"title": f"Row {n}", "body": "Body.", "category": category.slug, "tags": ["news"]}
        for n in range(20)
    ]

    with everyone_reads_before_anyone_writes(post_init, len(users), model=Post):
        results = in_parallel(
            [partial(post_as, u, "/api/v1/posts/import/", {"posts": rows}) for u in users]
        )

    assert [status for status, _ in results] == [HTTPStatus.CREATED] * 10
    assert Post.objects.count() == len({slug for _, answer in results for slug in answer["slugs"]})
    assert Post.objects.count() == 200
    assert Post.tags.through.objects.count() == 200


@pytest.mark.parametrize("field", ["email", "username"])
def test_a_sign_up_race_is_a_409_at_the_field_that_conflicts(field: str) -> None:
    def body(n: int) -> dict[str, str]:
        return {
            "username": "same" if field == "username" else f"racer{n}",
            "email": "same@example.com" if field == "email" else f"racer{n}@example.com",
            "password": "a-long-password-123",
            "password_confirm": "a-long-password-123",
        }

    def sign_up(n: int) -> tuple[int, dict[str, Any]]:
        response = Client().post("/api/v1/users/", body(n), content_type="application/json")
        return response.status_code, response.json()

    # Both pass the pre-check (nobody has the name yet), then both insert.
    with everyone_reads_before_anyone_writes(pre_save, 2, model=User):
        results = sorted(in_parallel([lambda: sign_up(1), lambda: sign_up(2)]))

    (created, _), (conflict, problem) = results
    assert (created, conflict) == (HTTPStatus.CREATED, HTTPStatus.CONFLICT)
    assert problem["errors"][0]["loc"] == [field]
    assert User.objects.count() == 1


def deleted_mid_write(model: type, request: Callable[[], Any], delete: Callable[[], Any]) -> Any:
    """Run `request` in a thread of its own until it is about to save a `model`, run `delete`
    (committed at once, on this thread's connection), then let the request finish; its result."""
    reached, deleted = threading.Event(), threading.Event()

    def hold_until_deleted(sender: Any, **kwargs: Any) -> None:
        reached.set()
        deleted.wait(timeout=20)

    pre_save.connect(hold_until_deleted, sender=model, weak=False)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(in_parallel, [request])
            assert reached.wait(timeout=20)
            delete()
            deleted.set()
            [result] = running.result(timeout=30)
    finally:
        pre_save.disconnect(hold_until_deleted, sender=model)
    return result


def test_a_category_deleted_while_the_post_is_written_is_a_409() -> None:
    category = CategoryFactory.create()
    user = UserFactory.create()
    body = {"title": "Orphan", "body": "Body.", "category": category.slug}

    status, problem = deleted_mid_write(
        Post, partial(post_as, user, "/api/v1/posts/", body), category.delete
    )

    assert status == HTTPStatus.CONFLICT
    assert problem["errors"][0]["loc"] == ["category"]
    assert Post.objects.count() == 0


def test_a_comment_on_a_post_deleted_meanwhile_is_a_404() -> None:
    post = PostFactory.create()
    user = UserFactory.create()
    path = f"/api/v1/posts/{post.slug}/comments/"

    status, _problem = deleted_mid_write(
        Comment, partial(post_as, user, path, {"body": "Hi."}), post.delete
    )

    assert status == HTTPStatus.NOT_FOUND
    assert Comment.objects.count() == 0
