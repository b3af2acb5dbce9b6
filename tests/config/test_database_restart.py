"""PostgreSQL restarted under a running app: the next request is answered, not a 500.

gunicorn serves the app in a child process, one worker (so every request reuses that worker's
connections), against a PostgreSQL server of this test's own. A request opens connections; the
server is restarted, which ends them; the requests after it must all succeed. Two deployments:

- the production settings' psycopg pool: with `CONN_HEALTH_CHECKS` on, Django gives it
  `ConnectionPool.check_connection`, so it tests a connection before lending it and replaces a
  dead one;
- the base settings' persistent connections (`CONN_MAX_AGE`), whose health check
  (`CONN_HEALTH_CHECKS`) runs at the first query of each request and reconnects.

Without either check the first request after the restart is a 500 ("the connection is closed").
"""

from __future__ import annotations

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

from tests.postgres_cluster import Cluster, private_cluster
from tests.subprocesses import free_port, run_python

pytestmark = pytest.mark.postgres

PROJECT_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Reads posts, authors, categories and tags: every request queries the database.
URL_PATH = "/api/v1/optimized/feed/?limit=5"


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
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{URL_PATH}", headers={"X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http only)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


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
