"""The write throttle holds against a client that lies about its address and against a burst.

A client's address is the connection's, or behind `NUM_PROXIES` trusted proxies the entry they
appended to X-Forwarded-For: what the client itself puts in that header never makes it a new
client. And the count is atomic in the shared cache: however many requests arrive at once, a
limit of L admits at most L (threads here, each a request; Redis under `make test-services`).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.settings import api_settings

from blog.models import Post
from core.throttling import WriteRateThrottle, client_address
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "2/minute"})


@pytest.fixture
def proxies(settings: Any) -> Any:
    """Set how many trusted proxies append to X-Forwarded-For (DRF reloads its settings)."""

    def trust(count: int) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
        assert count == api_settings.NUM_PROXIES

    return trust


def count_view(client: Any, slug: str, forwarded_for: str, remote: str = "198.51.100.1") -> int:
    response = client.post(
        f"/api/v1/posts/{slug}/view/", HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR=remote
    )
    return int(response.status_code)


def test_a_new_forwarded_for_on_each_request_is_not_a_new_client(client, two_a_minute) -> None:
    post = PostFactory.create()

    statuses = [count_view(client, post.slug, f"203.0.113.{n}") for n in range(4)]

    assert statuses == [200, 200, 429, 429]
    post.refresh_from_db()
    assert post.view_count == 2


def test_behind_a_proxy_only_the_entry_it_appended_counts(client, two_a_minute, proxies) -> None:
    proxies(1)
    post = PostFactory.create()

    # The client writes anything it likes on the left; the proxy appends the real address.
    spoofed = [count_view(client, post.slug, f"10.0.0.{n}, 203.0.113.7") for n in range(3)]
    other_client = count_view(client, post.slug, "10.0.0.99, 203.0.113.8")

    assert spoofed == [200, 200, 429]
    assert other_client == 200


def test_sign_ups_are_throttled_per_real_address(client, two_a_minute) -> None:
    def sign_up(n: int) -> int:
        body = {
            "username": f"newcomer{n}",
            "email": f"newcomer{n}@example.com",
            "password": "a-long-password-123",
            "password_confirm": "a-long-password-123",
        }
        response = client.post(
            "/api/v1/users/",
            body,
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
        return int(response.status_code)

    assert [sign_up(n) for n in range(3)] == [201, 201, 429]


def address_of(remote: str, forwarded_for: str | None = None) -> str:
    request = RequestFactory().post("/", REMOTE_ADDR=remote)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(request)


def test_client_address_trusts_exactly_the_configured_proxies(proxies) -> None:
    assert address_of("198.51.100.1", "203.0.113.9") == "198.51.100.1"
    proxies(1)
    assert address_of("198.51.100.1", "evil, 10.9.9.9, 203.0.113.9") == "203.0.113.9"
    proxies(2)
    assert address_of("198.51.100.1", "evil, 10.9.9.9, 203.0.113.9") == "10.9.9.9"
    # Fewer entries than proxies: the leftmost there is; junk: the nearest proxy's address.
    assert address_of("198.51.100.1", "203.0.113.9") == "203.0.113.9"
    assert address_of("198.51.100.1", "unknown, 198.51.100.2") == "198.51.100.1"


def test_one_ipv6_client_is_its_slash_64() -> None:
    assert address_of("2001:db8:1:2:aaaa::1") == address_of("2001:db8:1:2:bbbb::2")
    assert address_of("2001:db8:1:2::1") != address_of("2001:db8:1:3::1")


@pytest.mark.django_db(transaction=True)
def test_a_burst_at_the_limit_admits_no_more_than_the_limit(monkeypatch) -> None:
    """80 requests from one client at once against a limit of 20: exactly 20 get through.
    A window of a day, so that no window can end while the burst runs. (Each thread holds a
    Redis connection; redis-py's pool allows 100 a process.)"""
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "20/day"})
    requests = 80
    start_together = threading.Barrier(requests, timeout=30)

    def one_request(_: int) -> bool:
        request = Request(RequestFactory().post("/", REMOTE_ADDR="203.0.113.50"))
        throttle = WriteRateThrottle()
        start_together.wait()
        return throttle.allow_request(request, view=None)

    with ThreadPoolExecutor(max_workers=requests) as pool:
        admitted = sum(pool.map(one_request, range(requests)))

    assert admitted == 20
    assert Post.objects.count() == 0  # nothing but the counter was touched
