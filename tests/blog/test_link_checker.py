"""The link checker, against a local HTTP server (never the internet): results, the concurrency
bound, timeouts, and background checks drained on shutdown."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from blog.link_checker import LinkChecker, links_in
from tests.factories import PostFactory, UserFactory


class TrackingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0
        self.delay = 0.2


class Handler(BaseHTTPRequestHandler):
    server: TrackingServer

    def do_HEAD(self) -> None:
        if self.path.startswith("/no-head"):
            self._answer(HTTPStatus.METHOD_NOT_ALLOWED)
        else:
            self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        with self.server.lock:
            self.server.active += 1
            self.server.most_active = max(self.server.most_active, self.server.active)
        try:
            if self.path.startswith("/slow"):
                time.sleep(self.server.delay)
            self._answer(
                HTTPStatus.NOT_FOUND if self.path.startswith("/missing") else HTTPStatus.OK
            )
        finally:
            with self.server.lock:
                self.server.active -= 1

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[TrackingServer]:
    httpd = TrackingServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def base(server: TrackingServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_links_are_found_once_each_without_trailing_punctuation() -> None:
    texts = ["See https://example.com/a. And (http://example.com/b), https://example.com/a!"]

    assert links_in(texts) == ["https://example.com/a", "http://example.com/b"]


@pytest.mark.asyncio
async def test_results(server) -> None:
    closed = "http://127.0.0.1:9/"  # the discard port: nothing listens there
    urls = [f"{base(server)}/ok", f"{base(server)}/missing", f"{base(server)}/no-head", closed]

    results = await LinkChecker(timeout=2).check_all(urls)

    assert [(r.url, r.status, r.ok) for r in results[:3]] == [
        (urls[0], 200, True),
        (urls[1], 404, False),
        (urls[2], 200, True),  # HEAD refused, GET answered
    ]
    assert (results[3].status, results[3].error) == (None, "ConnectError")


@pytest.mark.asyncio
async def test_the_bound_holds_and_concurrency_pays(server) -> None:
    urls = [f"{base(server)}/slow/{i}" for i in range(12)]
    checker = LinkChecker(concurrency=3, timeout=5)

    started = time.perf_counter()
    results = await checker.check_all(urls)
    elapsed = time.perf_counter() - started

    assert all(result.ok for result in results)
    assert checker.most_in_flight == 3
    assert server.most_active == 3
    assert elapsed < 12 * server.delay  # four rounds of three, not twelve one by one


@pytest.mark.asyncio
async def test_a_slow_host_times_out_without_stopping_the_rest(server) -> None:
    server.delay = 1.0
    urls = [f"{base(server)}/slow", f"{base(server)}/ok"]

    results = await LinkChecker(timeout=0.2).check_all(urls)

    assert results[0].error == "ReadTimeout"
    assert results[1].ok


@pytest.mark.asyncio
async def test_background_checks_are_drained_on_shutdown(server) -> None:
    server.delay = 2.0
    checker = LinkChecker(concurrency=2, timeout=5)
    task = checker.start([f"{base(server)}/slow/{i}" for i in range(4)])
    await asyncio.sleep(0.1)
    assert checker.running == 1

    await checker.drain(timeout=0.1)

    assert task.cancelled()
    assert checker.running == 0


@pytest.mark.django_db
def test_check_links_command(server) -> None:
    PostFactory.create(body=f"Read {base(server)}/ok and {base(server)}/missing today.")
    PostFactory.create(draft=True, body=f"Private {base(server)}/draft-only")
    out = StringIO()

    call_command("check_links", "--concurrency=2", "--timeout=2", stdout=out)

    assert "2 links checked, 1 broken" in out.getvalue()
    assert "/draft-only" not in out.getvalue()


@pytest.mark.django_db
def test_links_endpoint_is_for_staff(client, server) -> None:
    post = PostFactory.create(body=f"One link: {base(server)}/ok")
    url = f"/api/v1/posts/{post.slug}/links/"

    assert client.get(url).status_code == HTTPStatus.UNAUTHORIZED
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(UserFactory.create(is_staff=True))
    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert [(r["url"], r["status"]) for r in response.json()] == [(f"{base(server)}/ok", 200)]
    assert client.get("/api/v1/posts/nope/links/").status_code == HTTPStatus.NOT_FOUND
    assert client.post(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.django_db
def test_links_endpoint_takes_a_staff_token_like_every_endpoint(client, server) -> None:
    post = PostFactory.create(body=f"One link: {base(server)}/ok")
    url = f"/api/v1/posts/{post.slug}/links/"
    staff = Token.objects.create(user=UserFactory.create(is_staff=True))
    other = Token.objects.create(user=UserFactory.create())

    answered = client.get(url, HTTP_AUTHORIZATION=f"Token {staff.key}")
    refused = client.get(url, HTTP_AUTHORIZATION=f"Token {other.key}")
    posted = client.post(url, HTTP_AUTHORIZATION=f"Token {staff.key}")

    assert answered.status_code == HTTPStatus.OK
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused["Content-Type"] == "application/problem+json"
    assert posted.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert posted["Content-Type"] == "application/problem+json"
    assert "GET" in posted["Allow"]
