"""Conditional GET (core.conditional, blog.conditional): a client that holds an up-to-date copy
gets a 304 with no query, and a stale validator never hides a change: every write path that
changes what an endpoint shows moves its ETag on after the commit, and not before (the paths
enumerated by the stats' test, tests/blog/test_stats_invalidation.py)."""

from __future__ import annotations

import time
from http import HTTPStatus
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from blog.conditional import content_etag
from blog.content_version import CHANGED_KEY, VERSION_KEY, content_version
from blog.schemas import PostFeedOut
from core.conditional import (
    Validation,
    revalidate_after_rendering,
    revalidate_before_rendering,
    weak_etag,
)
from core.replicas import is_pinned
from querylab.datasets import build_data
from tests.blog.test_stats_invalidation import WRITE_PATHS, World

pytestmark = pytest.mark.django_db

FEED = "/api/v1/optimized/conditional-get/?limit=10"
NAIVE_FEED = "/api/v1/naive/conditional-get/?limit=10"


def _get(client: Client, url: str, etag: str | None = None) -> Any:
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(url, headers=headers)


def test_a_held_copy_costs_no_query_and_a_changed_one_is_sent(
    client: Client, django_assert_num_queries: Any
) -> None:
    build_data("posts", 12)
    first = _get(client, FEED)
    etag = first["ETag"]

    with django_assert_num_queries(0):
        held = _get(client, FEED, etag)

    assert first.status_code == HTTPStatus.OK
    assert len(first.json()["results"]) == 10
    assert etag.startswith('W/"')
    assert held.status_code == HTTPStatus.NOT_MODIFIED
    assert held.content == b""
    # A 304 carries what the 200 would: the validator, who may keep it, what it varies on.
    assert held["ETag"] == etag
    assert held["Cache-Control"] == first["Cache-Control"] == "public, no-cache"
    assert held["Vary"] == first["Vary"] == "Authorization, Cookie, Accept-Encoding"

    with django_assert_num_queries(3):
        other = _get(client, FEED, 'W/"0-0-something-else"')
    assert other.status_code == HTTPStatus.OK
    assert other.content == first.content


def test_the_naive_variant_answers_the_same_304_after_its_three_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    """ConditionalGetMiddleware's way: a strong ETag, the body's hash, known only once the body
    is built."""
    build_data("posts", 12)
    first = _get(client, NAIVE_FEED)
    etag = first["ETag"]

    with django_assert_num_queries(3):
        held = _get(client, NAIVE_FEED, etag)

    assert etag.startswith('"')  # strong: it names these bytes
    assert held.status_code == HTTPStatus.NOT_MODIFIED
    assert held["ETag"] == etag
    assert first.content == _get(client, FEED).content


def test_a_weakened_tag_still_matches(client: Client) -> None:
    """A compressing proxy (or core.compression) turns a strong tag weak; If-None-Match compares
    weakly (RFC 9110), so the client's W/ copy still revalidates."""
    build_data("posts", 3)
    strong = _get(client, NAIVE_FEED)["ETag"]

    assert _get(client, NAIVE_FEED, "W/" + strong).status_code == HTTPStatus.NOT_MODIFIED


@pytest.mark.parametrize(
    "url",
    ["/api/v1/posts/?limit=5", "/api/v1/stats/", "/api/v1/users/", "/api/v1/posts/reading-list/"],
)
def test_the_public_reads_revalidate_before_any_query(
    url: str, client: Client, django_assert_num_queries: Any
) -> None:
    build_data("posts", 6)
    first = client.get(url)

    with django_assert_num_queries(0):
        held = _get(client, url, first["ETag"])

    assert first.status_code == HTTPStatus.OK
    assert held.status_code == HTTPStatus.NOT_MODIFIED


def test_a_post_and_its_comments_revalidate_too(
    client: Client, published_post: Any, django_assert_num_queries: Any
) -> None:
    for url in (
        reverse("api:post", kwargs={"slug": published_post.slug}),
        reverse("api:post-comments", kwargs={"slug": published_post.slug}),
        reverse("api:user", kwargs={"username": published_post.author.username}),
    ):
        first = client.get(url)
        with django_assert_num_queries(0):
            held = _get(client, url, first["ETag"])
        assert first.status_code == HTTPStatus.OK, url
        assert held.status_code == HTTPStatus.NOT_MODIFIED, url


def test_the_tag_names_who_asks(client: Client, draft_post: Any) -> None:
    """An author sees their draft; the copy is theirs. Sent by anyone else (the same browser
    after a log-out), their tag is not a match."""
    url = reverse("api:post", kwargs={"slug": draft_post.slug})
    client.force_login(draft_post.author)
    authors_copy = client.get(url)
    client.logout()

    anonymous = _get(client, url, authors_copy["ETag"])

    assert authors_copy.status_code == HTTPStatus.OK
    assert anonymous.status_code == HTTPStatus.NOT_FOUND
    assert "ETag" not in anonymous  # an error has no representation to validate


def test_an_error_gets_no_tag(client: Client) -> None:
    response = client.get("/api/v1/posts/no-such-post/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "ETag" not in response


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_without_a_cache_to_keep_the_version_every_request_is_served_in_full(
    client: Client, django_assert_num_queries: Any
) -> None:
    build_data("posts", 3)

    with django_assert_num_queries(3):
        response = _get(client, FEED, weak_etag("anything"))

    assert response.status_code == HTTPStatus.OK
    assert "ETag" not in response


def test_a_recent_change_is_rendered_from_the_primary() -> None:
    """Rows from a replica that has not replayed the change yet would be kept by the client
    under a tag that says they are current."""
    request = RequestFactory().get("/")
    seen: list[bool] = []

    def render() -> HttpResponse:
        seen.append(is_pinned())
        return HttpResponse("rows")

    recent = revalidate_before_rendering(
        request, render, validator=lambda: Validation(weak_etag(1), recent=True)
    )
    revalidate_before_rendering(
        request, render, validator=lambda: Validation(weak_etag(1), recent=False)
    )
    revalidate_after_rendering(request, render, validator=lambda: None)

    assert recent["ETag"] == weak_etag(1)
    assert seen == [True, False, False]


def test_a_change_is_recent_for_as_long_as_a_replica_may_lag(
    rf: RequestFactory, settings: Any
) -> None:
    """Recent: younger than DATABASE_REPLICA_PIN_SECONDS, the window core.replicas allows a
    replica to replay a write in. A time the cache lost is taken as just now."""
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    request = rf.get("/")
    request.user = AnonymousUser()

    def validation() -> Validation:
        found = content_etag(request, PostFeedOut)
        assert found is not None
        return found

    assert validation().recent  # no change on record: assume one just happened
    cache.set(CHANGED_KEY, time.time() - 4)
    assert validation().recent
    cache.set(CHANGED_KEY, time.time() - 6)
    assert not validation().recent
    cache.delete(CHANGED_KEY)
    assert validation().recent


def test_a_write_records_its_time_before_moving_the_version_on(
    django_capture_on_commit_callbacks: Any, published_post: Any
) -> None:
    cache.set(CHANGED_KEY, 0.0)
    version = content_version()

    with django_capture_on_commit_callbacks(execute=True):
        published_post.title = "Changed"
        published_post.save()

    assert content_version() != version
    assert time.time() - float(cache.get(CHANGED_KEY)) < 5


def test_a_version_lost_from_the_cache_never_matches_an_old_tag(client: Client) -> None:
    """An eviction or a flush starts a new series of versions (the clock's nanoseconds): a tag
    from the old series cannot come round again."""
    build_data("posts", 3)
    etag = _get(client, FEED)["ETag"]
    cache.delete(VERSION_KEY)

    assert _get(client, FEED, etag).status_code == HTTPStatus.OK


def _feed(client: Client, etag: str | None = None) -> Any:
    return _get(client, FEED, etag)


@pytest.mark.parametrize("name", sorted(WRITE_PATHS))
def test_a_write_moves_the_tag_on_after_its_commit_and_not_before(
    name: str, world: World, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """A write that changes the feed: before its commit, others cannot see it and the held copy
    is still current (304); after, the same validator gets the new feed (200)."""
    held = _feed(admin_client)
    etag = held["ETag"]
    assert held.status_code == HTTPStatus.OK

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        WRITE_PATHS[name].write(world, admin_client)

    assert _feed(admin_client, etag).status_code == HTTPStatus.NOT_MODIFIED
    for callback in callbacks:
        callback()
    after = _feed(admin_client, etag)
    if after.status_code == HTTPStatus.NOT_MODIFIED:
        # Only a write the feed cannot show may leave the copy current: prove this one is.
        assert _feed(admin_client).content == held.content, "a change hidden by a 304"
        return
    assert after.status_code == HTTPStatus.OK
    assert after["ETag"] != etag


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("*", HTTPStatus.NOT_MODIFIED),  # "any current copy": there is one
        ('"not-a-tag-we-gave", garbage,,, W/', HTTPStatus.OK),
        ("\x7f" * 2000, HTTPStatus.OK),
    ],
)
def test_any_if_none_match_gets_an_answer_not_an_error(
    client: Client, header: str, status: int
) -> None:
    build_data("posts", 2)

    assert _get(client, "/api/v1/posts/", header).status_code == status


@pytest.mark.parametrize("url", ["/api/v1/posts/", FEED, NAIVE_FEED])
def test_a_failed_if_match_is_412_and_kept_by_nobody(client: Client, url: str) -> None:
    build_data("posts", 2)

    response = client.get(url, headers={"If-Match": '"stale"'})

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == HTTPStatus.PRECONDITION_FAILED
