"""Redis down or hung: the site keeps serving from the database, quickly, and says so in the log.

Against a closed port (refused at once) and a socket that accepts and never answers (each
operation waits for the socket timeout). Needs django-redis, so runs in `make test-services`.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus

import pytest
from django.core.cache import caches

from blog.models import Post
from config.env import cache_config
from core.throttling import WriteRateThrottle
from tests.api.conftest import send
from tests.api.test_posts_api import new_post
from tests.factories import PostFactory
from tests.subprocesses import free_port

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on loopback that accepts connections and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                held.append(connection)
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    server.close()


def use_redis_at(settings, port: int) -> None:
    settings.CACHES = {"default": cache_config(f"redis://127.0.0.1:{port}/0", key_prefix="fault")}
    caches.close_all()


@pytest.mark.parametrize("server", ["closed port", "silent server"])
def test_stats_and_pages_survive_a_broken_redis(
    client, settings, caplog, silent_server, server
) -> None:
    PostFactory.create()
    use_redis_at(settings, free_port() if server == "closed port" else silent_server)

    with caplog.at_level(logging.WARNING):
        started = time.monotonic()
        stats = client.get("/api/v1/stats/")
        home = client.get("/")
        elapsed = time.monotonic() - started

    assert stats.status_code == HTTPStatus.OK
    assert stats.json()["totals"]["posts"] == 1
    assert home.status_code == HTTPStatus.OK
    assert elapsed < 5  # a few 0.25 s socket timeouts at most, never a hang
    assert "cache is unavailable" in caplog.text


def test_writes_are_not_throttled_while_redis_is_down(
    author_client, news, settings, caplog, monkeypatch
) -> None:
    """The throttle fails open (see WriteRateThrottle): with Redis up the third write of this
    rate is refused (tests/api/test_posts_api.py); with Redis down all three are saved."""
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "2/minute"})
    use_redis_at(settings, free_port())

    with caplog.at_level(logging.WARNING):
        statuses = [
            send(author_client, "post", "/api/v1/posts/", new_post()).status_code for _ in range(3)
        ]

    assert statuses == [HTTPStatus.CREATED] * 3
    assert Post.objects.count() == 3
    assert (
        "Exception ignored" in caplog.text
    )  # django-redis logs each failure it turned into a miss
