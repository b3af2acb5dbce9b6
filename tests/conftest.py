"""Fixtures shared by the whole suite, and the switch that turns service skips into failures.

Tests marked `postgres` or `redis` need the real server. `make test` (SQLite, local memory) skips
them with a visible reason; `make test-services` passes `--require-services`, which fails the run
if the services are not configured or if any test at all was skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from blog.models import Category, Post, Tag
from tests.browser.conftest import browser_available
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory
from users.models import User

# The query assertions (querycheck, installed from ./querycheck) load as a pytest plugin by
# themselves: markers, an option, ini settings (see pyproject.toml).

# Hypothesis (property tests, and schemathesis's fuzzing): the default profile keeps `make test`
# quick; `HYPOTHESIS_PROFILE=thorough` (make fuzz) tries many more examples. No deadline: a
# request's time on a shared CI machine is noise, not a property. Each test's fixtures build its
# rows once, and every example reads or writes against them: that reuse is deliberate.
hypothesis_settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough", hypothesis_settings.get_profile("default"), max_examples=500
)
# make mutation: the same examples on every run (a verdict that does not depend on luck), and no
# shrinking (the first failing example is all a verdict needs; shrinking one takes minutes).
hypothesis_settings.register_profile(
    "mutation",
    hypothesis_settings.get_profile("default"),
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-services",
        action="store_true",
        help="Require PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), and fail if any test "
        "is skipped.",
    )
    parser.addoption(
        "--require-browser",
        action="store_true",
        help="Require Chromium and Playwright, and fail if any test is skipped "
        "(make test-browser).",
    )


def _on_postgres() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]  # core.postgresql


def _with_replica() -> bool:
    return _on_postgres() and any(alias.startswith("replica_") for alias in settings.DATABASES)


def _with_pgbouncer() -> bool:
    return _on_postgres() and "pgbouncer" in settings.DATABASES


def _on_redis() -> bool:
    return "django_redis" in settings.CACHES["default"]["BACKEND"]


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--require-browser") and not browser_available():
        raise pytest.UsageError(
            "--require-browser: no Chromium (Debian: apt-get install chromium; or CHROMIUM=/path)"
        )
    if not config.getoption("--require-services"):
        return
    missing = [
        problem
        for problem, ok in [
            ("DATABASE_URL must point at PostgreSQL", _on_postgres()),
            ("REDIS_URL must be set", _on_redis()),
            (
                "DATABASE_REPLICA_URLS must name a streaming replica of DATABASE_URL "
                "(scripts/with-services.sh starts one with WITH_REPLICA=1)",
                _with_replica(),
            ),
            (
                "DATABASE_PGBOUNCER_URL must name a PgBouncer (transaction pooling) in front of "
                "DATABASE_URL (scripts/with-services.sh starts one with WITH_PGBOUNCER=1)",
                _with_pgbouncer(),
            ),
        ]
        if not ok
    ]
    if missing:
        raise pytest.UsageError(f"--require-services: {'; '.join(missing)}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    needs = {
        "postgres": (_on_postgres(), "needs PostgreSQL: run `make test-services`"),
        "redis": (_on_redis(), "needs Redis: run `make test-services`"),
        "pgbouncer": (
            _with_pgbouncer(),
            "needs PgBouncer (DATABASE_PGBOUNCER_URL): run `make test-services`",
        ),
        "replica": (
            _with_replica(),
            "needs a streaming replica (DATABASE_REPLICA_URLS): run `make test-services`",
        ),
        "browser": (
            browser_available(),
            "needs Chromium (Debian: apt-get install chromium; or CHROMIUM=/path) and Playwright",
        ),
    }
    for item in items:
        for marker, (available, reason) in needs.items():
            if marker in item.keywords and not available:
                item.add_marker(pytest.mark.skip(reason=reason))


def _skipped(config: pytest.Config) -> list[Any]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return list(reporter.stats.get("skipped", [])) if reporter else []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    forbid_skips = session.config.getoption("--require-services") or session.config.getoption(
        "--require-browser"
    )
    if forbid_skips and _skipped(session.config) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    skipped = _skipped(config)
    strict = config.getoption("--require-services") or config.getoption("--require-browser")
    if strict and skipped:
        terminalreporter.write_line(
            f"{len(skipped)} skipped, and this run (--require-services or --require-browser) "
            "allows no skips.",
            red=True,
        )


@pytest.fixture(autouse=True)
def _isolated_cache() -> Iterator[None]:
    """Start and end every test with an empty cache, deleting only this suite's own keys."""
    clear_test_cache()
    yield
    clear_test_cache()


def clear_test_cache() -> None:
    if hasattr(cache, "delete_pattern"):
        # django-redis: only keys under the test KEY_PREFIX, never a shared server's others.
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture
def connection_kept_across_requests() -> Iterator[None]:
    """For a test that calls the WSGI application itself (the bench's client, schemathesis), as
    Django's test client does: the handler's request signals must not close the test's connection
    (CONN_MAX_AGE is 0 under the test settings), or the test transaction is lost with it. SQLite's
    in-memory test database never closes, which hides the mistake until PostgreSQL."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def category(db: None) -> Category:
    return CategoryFactory.create()


@pytest.fixture
def tag(db: None) -> Tag:
    return TagFactory.create()


@pytest.fixture
def published_post(db: None) -> Post:
    return PostFactory.create(published=True)


@pytest.fixture
def draft_post(db: None) -> Post:
    return PostFactory.create(draft=True)


@pytest.fixture
def make_posts(db: None) -> Callable[..., list[Post]]:
    """Create `n` published posts, each with `comments` comments and `tags` tags."""

    def make(n: int, *, comments: int = 0, tags: int = 0, **fields: Any) -> list[Post]:
        shared_tags = TagFactory.create_batch(tags)
        return [PostFactory.create(comments=comments, tags=shared_tags, **fields) for _ in range(n)]

    return make


@pytest.fixture
def author(db: None) -> User:
    return UserFactory.create(username="author")


@pytest.fixture
def author_client(client: Client, author: User) -> Client:
    client.force_login(author)
    return client


@pytest.fixture
def news(db: None) -> Category:
    return CategoryFactory.create(name="News", slug="news")


@pytest.fixture(scope="session", autouse=True)
def _pgbouncer_released(request: pytest.FixtureRequest) -> Iterator[None]:
    """At the end of the session, before the test databases are dropped: PgBouncer keeps its
    server connections to them open, and PostgreSQL refuses to drop a database in use. KILL on
    PgBouncer's admin console closes them. Only where a PgBouncer is configured."""
    if "pgbouncer" not in settings.DATABASES:
        yield
        return
    request.getfixturevalue("django_db_setup")  # torn down after this: the drop comes last
    yield
    bouncer = settings.DATABASES["pgbouncer"]
    with psycopg.connect(
        host=bouncer["HOST"],
        port=bouncer["PORT"],
        user=bouncer["USER"],
        dbname="pgbouncer",  # the admin console: simple queries only (ClientCursor, no params)
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    ) as console:
        console.execute(f"KILL {bouncer['NAME']}")
        console.execute(f"RESUME {bouncer['NAME']}")  # KILL also pauses the database
