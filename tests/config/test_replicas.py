"""Read replicas: reads go to the replica, writes and transactions to the primary, a client who
wrote reads from the primary for the pin window, and a replica that is down costs a warning,
not an error.

The routing tests run against a real streaming replica, which `make test-services` starts
(scripts/with-services.sh, WITH_REPLICA=1). Stopping its replay (`pg_wal_replay_pause()`) makes
it as far behind as a test needs: that is how the stale read is shown, not simulated.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.feed_cache import post_feed_cached
from blog.models import Comment, Post
from blog.stats import stats_cached
from config.env import EnvironmentConfigError, load_environment, replica_databases
from core import replicas
from core.replicas import PIN_COOKIE, ReadYourWritesMiddleware, ReplicaRouter, is_pinned
from querylab.latency_proxy import latency_proxy
from tests.api.conftest import send
from tests.factories import PostFactory, UserFactory

REPLICA = "replica_1"
ROUTED = {
    "DATABASE_ROUTERS": ["core.replicas.ReplicaRouter"],
    "DATABASE_REPLICA_PIN_SECONDS": 30.0,
}

# Settings from the environment.


def test_replica_urls_become_aliases_that_mirror_the_primary_in_tests() -> None:
    env = load_environment(
        {
            "DATABASE_URL": "postgres://app@primary:5432/blog",
            "DATABASE_REPLICA_URLS": "postgres://app@r1:5432/blog, postgres://app@r2:5432/blog",
        }
    )

    found = replica_databases(env, pool=False, conn_max_age=60)

    assert list(found) == ["replica_1", "replica_2"]
    assert found["replica_2"]["HOST"] == "r2"
    assert found["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert found["replica_1"]["CONN_HEALTH_CHECKS"] is True
    assert found["replica_1"]["OPTIONS"]["connect_timeout"] == 2


def test_without_replicas_nothing_is_added() -> None:
    assert replica_databases(load_environment({}), pool=False, conn_max_age=60) == {}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"DATABASE_URL": "postgres://h/db", "DATABASE_REPLICA_URLS": "sqlite:///x.db"},
            "DATABASE_REPLICA_URLS: each replica must be a postgres:// URL",
        ),
        (
            {"DATABASE_URL": "postgres://h/db", "DATABASE_REPLICA_URLS": "mysql://h/db"},
            "DATABASE_REPLICA_URLS: expected a sqlite:// or postgres:// URL",
        ),
        (
            {"DATABASE_REPLICA_URLS": "postgres://r/db"},
            "replicas need DATABASE_URL to be their PostgreSQL primary",
        ),
        (
            {"DATABASE_REPLICA_PIN_SECONDS": "-1"},
            "DATABASE_REPLICA_PIN_SECONDS: Input should be greater than or equal to 0",
        ),
    ],
)
def test_bad_replica_settings_are_named(environ: dict[str, str], message: str) -> None:
    def configure() -> None:
        replica_databases(load_environment(environ), pool=False, conn_max_age=60)

    with pytest.raises(EnvironmentConfigError, match=message):
        configure()


# The pin: which requests read from the primary.


def _pinned_during(request: Any) -> tuple[bool, Any]:
    seen: list[bool] = []

    def view(request: Any) -> Any:
        seen.append(is_pinned())
        return HttpResponse(status=201 if request.method == "POST" else 200)

    response = ReadYourWritesMiddleware(view)(request)
    return seen[0], response


@override_settings(**ROUTED)
def test_a_write_pins_its_request_and_the_client_for_the_window() -> None:
    factory = RequestFactory()

    pinned, response = _pinned_during(factory.post("/api/v1/posts/p/comments/"))
    cookie = response.cookies[PIN_COOKIE]
    later = factory.get("/api/v1/posts/p/comments/")
    later.COOKIES[PIN_COOKIE] = cookie.value

    assert pinned is True
    assert cookie["httponly"] is True
    assert 30 <= int(cookie["max-age"]) <= 31
    assert _pinned_during(later)[0] is True
    assert _pinned_during(factory.get("/"))[0] is False


@override_settings(**ROUTED)
def test_a_forged_or_expired_pin_is_ignored() -> None:
    factory = RequestFactory()
    forged = factory.get("/")
    forged.COOKIES[PIN_COOKIE] = f"{time.time() + 3600}"
    response = _pinned_during(factory.post("/"))[1]
    expired = factory.get("/")
    expired.COOKIES[PIN_COOKIE] = response.cookies[PIN_COOKIE].value

    assert _pinned_during(forged)[0] is False
    with override_settings(DATABASE_REPLICA_PIN_SECONDS=0):
        assert _pinned_during(factory.post("/"))[1].cookies.get(PIN_COOKIE) is None
    time_travel = time.time() + 31
    original = time.time
    try:
        time.time = lambda: time_travel  # the pin's clock, moved past its window
        assert _pinned_during(expired)[0] is False
    finally:
        time.time = original


def test_a_failed_write_does_not_pin() -> None:
    def refused(request: Any) -> Any:
        return HttpResponse(status=400)

    with override_settings(**ROUTED):
        response = ReadYourWritesMiddleware(refused)(RequestFactory().post("/"))

    assert PIN_COOKIE not in response.cookies


def test_the_router_writes_and_migrates_on_the_primary_only() -> None:
    router = ReplicaRouter()

    assert router.db_for_write(Post) == "default"
    assert router.allow_migrate("default", "blog") is True
    assert router.allow_migrate(REPLICA, "blog") is False


# Against the real replica.


@pytest.fixture
def replica() -> Iterator[None]:
    """The router and its middleware on, the replica caught up, and this test alone pausing
    its replay: the replica is one server for every pytest-xdist worker, so these tests take
    turns under an advisory lock on the primary."""
    primary = connections["default"].settings_dict
    # A transaction-level lock, held by an open transaction: a session-level one would stay
    # with a server connection if DATABASE_URL is a PgBouncer (make test-pgbouncer).
    with psycopg.connect(
        host=primary["HOST"], port=primary["PORT"], user=primary["USER"], dbname=primary["NAME"]
    ) as lock:
        lock.execute("SELECT pg_advisory_xact_lock(202612)")
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(1, "core.replicas.ReadYourWritesMiddleware")
        replicas._down_until.clear()
        try:
            with override_settings(**ROUTED, MIDDLEWARE=middleware):
                _caught_up()
                yield
        finally:
            replicas._down_until.clear()
            connections[REPLICA].close()


def _caught_up(timeout_s: float = 10.0) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    with connections["default"].cursor() as cursor:
        # The insert position, not the write one: with-services.sh's primary commits
        # asynchronously (synchronous_commit=off), so a commit may not be written out yet.
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout_s
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError("the replica did not catch up with the primary")
            time.sleep(0.02)


@contextmanager
def replay_paused() -> Iterator[None]:
    """The replica stops replaying the primary's changes for the block, as a replica held back
    by load or a long query does; then it catches up."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
        while True:
            cursor.execute("SELECT pg_get_wal_replay_pause_state()")
            if cursor.fetchone()[0] == "paused":
                break
            time.sleep(0.01)
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        _caught_up()


@pytest.mark.postgres
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_reads_go_to_the_replica_and_writes_to_the_primary(replica: None) -> None:
    post = PostFactory.create()
    _caught_up()

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        found = Post.objects.get(pk=post.pk)

    assert Post.objects.all().db == REPLICA
    assert found.title == post.title
    assert len(on_replica) == 1
    found.title = "Written on the primary"
    with CaptureQueriesContext(connections["default"]) as on_primary:
        found.save(update_fields=["title"])
    assert any("UPDATE" in query["sql"] for query in on_primary)


@pytest.mark.postgres
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_transactions_and_locks_read_on_the_primary(replica: None) -> None:
    post = PostFactory.create()

    with transaction.atomic():
        inside = Post.objects.all()
        locked = Post.objects.select_for_update().filter(pk=post.pk)
        assert inside.db == "default"
        assert locked.db == "default"
        assert [p.pk for p in locked] == [post.pk]
    assert Post.objects.all().db == REPLICA


@pytest.mark.postgres
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_writer_sees_their_comment_while_the_replica_is_behind(replica: None) -> None:
    """With replay paused, a client that did not write reads the replica's past: the comment is
    missing. The client that wrote it is pinned to the primary and sees it. Once the replica
    catches up, everyone does."""
    post = PostFactory.create()
    writer, bystander = Client(), Client()
    writer.force_login(UserFactory.create())
    _caught_up()
    url = reverse("api:post-comments", kwargs={"slug": post.slug})

    # The post-detail case's endpoint: no ETag, so nothing keeps its reads on the primary.
    untagged = reverse("api:post-detail-optimized", kwargs={"slug": post.slug})

    with replay_paused():
        created = send(writer, "post", url, {"body": "First!"})
        seen_by_writer = writer.get(url)
        seen_by_bystander = bystander.get(untagged)
    seen_later = bystander.get(untagged)

    assert created.status_code == HTTPStatus.CREATED
    assert PIN_COOKIE in created.cookies
    assert [c["body"] for c in seen_by_writer.json()["results"]] == ["First!"]
    assert seen_by_bystander.json()["comments"] == []  # the stale read unpinned routing gives
    assert [c["body"] for c in seen_later.json()["comments"]] == ["First!"]
    assert Comment.objects.using("default").count() == 1


@pytest.mark.postgres
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_tagged_read_of_a_recent_change_is_rendered_on_the_primary(
    replica: None, settings: Any
) -> None:
    """A response with an ETag (blog.conditional) is kept by the client as current. Within
    DATABASE_REPLICA_PIN_SECONDS of a change (the window a replica may lag in) it is rendered
    on the primary, so even a client that never wrote gets the comment; past the window (0
    here) the replica serves it, and a replica still behind would show the past under the new
    tag: the window is the assumption both this and the pin cookie rest on."""
    post = PostFactory.create()
    writer, bystander = Client(), Client()
    writer.force_login(UserFactory.create())
    _caught_up()
    url = reverse("api:post-comments", kwargs={"slug": post.slug})

    with replay_paused():
        send(writer, "post", url, {"body": "First!"})
        within_the_window = bystander.get(url)
        settings.DATABASE_REPLICA_PIN_SECONDS = 0
        past_the_window = bystander.get(url)

    assert [c["body"] for c in within_the_window.json()["results"]] == ["First!"]
    assert within_the_window["ETag"].startswith('W/"')
    assert past_the_window.json()["results"] == []


@pytest.mark.postgres
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_replica_that_goes_down_sends_reads_to_the_primary(
    replica: None, caplog: pytest.LogCaptureFixture
) -> None:
    """The replica's connection goes through a proxy, which is then stopped: the next request
    is served from the primary, with a warning logged, and the replica is not tried again for a
    few seconds."""
    post = PostFactory.create()
    _caught_up()
    # Untagged (no ETag): a tagged read of a change this recent would go to the primary anyway.
    url = reverse("api:post-detail-optimized", kwargs={"slug": post.slug})
    replica_connection = connections[REPLICA]
    direct = replica_connection.settings_dict
    upstream = (direct["HOST"], int(direct["PORT"]))
    client = Client()
    try:
        with latency_proxy(upstream, round_trip_ms=0) as (host, port):
            replica_connection.close()
            replica_connection.settings_dict = {**direct, "HOST": host, "PORT": str(port)}
            with CaptureQueriesContext(replica_connection) as before:
                assert client.get(url).status_code == HTTPStatus.OK
        # The proxy is gone: the kept connection is dead, and no new one can be made. What a
        # worker does as each request starts (the test client skips it): the next use of a
        # kept connection checks it first.
        close_old_connections()
        with (
            caplog.at_level(logging.WARNING, logger="core.replicas"),
            CaptureQueriesContext(connections["default"]) as after,
        ):
            response = client.get(url)
    finally:
        replica_connection.close()
        replica_connection.settings_dict = direct

    assert len(before) >= 1
    assert response.status_code == HTTPStatus.OK
    assert response.json()["title"] == post.title
    assert any("blog_post" in query["sql"] for query in after)
    assert f"replica {REPLICA} is unreachable" in caplog.text
    assert replicas._down_until[REPLICA] > time.monotonic()
    assert Post.objects.all().db == "default"  # skipped until its retry time


@pytest.mark.postgres
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_cache_filled_while_the_replica_is_behind_holds_the_present(replica: None) -> None:
    """A change moves the content version on at its commit, on the primary. A cold key filled
    from a replica that has not replayed the change would keep the past under the new version
    until the next change: the cached reads compute from the primary."""
    PostFactory.create_batch(2)
    _caught_up()
    before = stats_cached().posts

    with replay_paused():
        PostFactory.create()
        assert Post.objects.count() == before  # the replica is behind: unpinned reads see 2
        during = stats_cached().posts
        feed = json.loads(post_feed_cached(limit=10).body)["results"]

    assert during == before + 1
    assert len(feed) == before + 1
