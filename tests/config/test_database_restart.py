"""PostgreSQL restarted under a running app: the next request is answered, not a 500; and while
it is down, every request gets a 503 that says to come back, and nothing is half-written.

gunicorn serves the app in a child process, one worker (so every request reuses that worker's
connections), against a PostgreSQL server of this test's own. A request opens connections; the
server is restarted, which ends them; the requests after it must all succeed. Two deployments:

- the production settings' psycopg pool: with `CONN_HEALTH_CHECKS` on, Django gives it
  `ConnectionPool.check_connection`, so it tests a connection before lending it and replaces a
  dead one;
- the base settings' persistent connections (`CONN_MAX_AGE`), whose health check
  (`CONN_HEALTH_CHECKS`) runs at the first query of each request and reconnects.

Without either check the first request after the restart is a 500 ("the connection is closed").
While the server is stopped, an API request is a 503 problem document with `Retry-After`, a page
a plain 503 page (core/error_views.py), and once it is back the same requests succeed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.postgresql.pool import POOL_TIMEOUT_SECONDS
from tests.postgres_cluster import Cluster, private_cluster
from tests.subprocesses import free_port, run_python

pytestmark = pytest.mark.postgres

PROJECT_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Reads posts, authors, categories and tags: every request queries the database.
URL_PATH = "/api/v1/posts/?limit=5"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # Not pytest's tmp_path: its parent folders are private to this user, and as root the server
    # runs as `postgres`, which must reach its own data folder.
    folder = Path(tempfile.mkdtemp(prefix="orm-reference-restart-"))
    try:
        with private_cluster(folder) as running:
            yield running
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def database_url(cluster: Cluster) -> str:
    url = cluster.create_database("restart")
    migrated = run_python(
        "manage.py", "migrate", "--noinput", cwd=PROJECT_DIR, env=app_environment(url, "base")
    )
    assert migrated.returncode == 0, migrated.stderr
    return url


def app_environment(database_url: str, settings: str) -> dict[str, str]:
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "REDIS_", "DATABASE_", "PYTEST_"))
    }
    return {
        **environ,
        "DJANGO_SETTINGS_MODULE": f"config.settings.{settings}",
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }


def get(port: int) -> int:
    return call(port, URL_PATH)[0]


def call(
    port: int, path: str, *, method: str = "GET", body: object = None, token: str = ""
) -> tuple[int, dict[str, str], bytes]:
    """One request as the TLS proxy would forward it; the status, headers and body."""
    headers = {"X-Forwarded-Proto": "https"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http only)
            return int(response.status), dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def serve(database_url: str) -> Iterator[object]:
    started: list[subprocess.Popen[bytes]] = []

    def start(settings: str) -> int:
        port = free_port()
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "--config=config/gunicorn.py",
                "config.wsgi",
                "--workers=1",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
            ],
            cwd=PROJECT_DIR,
            env=app_environment(database_url, settings),
        )
        started.append(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                get(port)
                return port
            except OSError:  # not listening yet
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer within 30 s")

    yield start
    for server in started:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("settings", ["production", "base"], ids=["pooled", "persistent"])
def test_requests_after_a_restart_are_answered(cluster: Cluster, serve, settings: str) -> None:
    port = serve(settings)
    assert get(port) == 200  # the worker now holds open connections

    cluster.restart()

    assert [get(port) for _ in range(5)] == [200] * 5


RECOVERY_SECONDS = 60


def answered_within(port: int, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get(port) == 200:
            return True
        time.sleep(0.5)
    return False


MAKE_WRITER = """
import json
from rest_framework.authtoken.models import Token
from blog.models import Category
from users.models import User
user, _ = User.objects.get_or_create(username="outage-writer")
Category.objects.get_or_create(slug="outage", defaults={"name": "Outage"})
print(json.dumps({"token": Token.objects.get_or_create(user=user)[0].key}))
"""
COUNT_POSTS = """
from blog.models import Post
print(Post.objects.filter(author__username="outage-writer").count())
"""


def manage_shell(database_url: str, code: str) -> str:
    result = run_python(
        "manage.py", "shell", "-c", code, cwd=PROJECT_DIR, env=app_environment(database_url, "base")
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_while_the_database_is_down_requests_get_503_and_write_nothing(
    cluster: Cluster, serve, database_url: str
) -> None:
    token = json.loads(manage_shell(database_url, MAKE_WRITER))["token"]
    post = {"title": "Written during an outage", "body": "Body.", "category": "outage"}
    port = serve("production")
    assert get(port) == 200

    cluster.stop()
    try:
        started = time.monotonic()
        api = call(port, URL_PATH)
        waited = time.monotonic() - started
        page = call(port, "/posts/a-post/")
        write = call(port, "/api/v1/posts/", method="POST", body=post, token=token)
    finally:
        cluster.start()

    # The pool gives up after its timeout rather than holding the worker (and the client).
    assert waited < POOL_TIMEOUT_SECONDS + 5
    for status, headers, _body in (api, page, write):
        assert status == 503
        assert headers["Retry-After"] == "5"
    assert api[1]["Content-Type"] == "application/problem+json"
    assert json.loads(api[2])["status"] == 503
    assert write[1]["Content-Type"] == "application/problem+json"
    assert page[1]["Content-Type"].startswith("text/html")
    assert b"try again" in page[2]
    # Back up: the refused write left nothing behind, and the same requests are answered again
    # once the pool has reconnected. It retries with a growing pause (1 s, 2 s, 4 s, ...) while
    # the server is away, so after an outage the 503s may last a few seconds more.
    assert manage_shell(database_url, COUNT_POSTS) == "0"
    assert answered_within(port, seconds=RECOVERY_SECONDS)
    assert call(port, "/api/v1/posts/", method="POST", body=post, token=token)[0] == 201
    assert manage_shell(database_url, COUNT_POSTS) == "1"
