"""Servers in child processes, for tests of a whole stack: gunicorn as a deployment runs it (the
production settings, the project's gunicorn config), and runserver as `make run` does (the local
settings, the debug toolbar); each on a free loopback port."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.subprocesses import free_port

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# As the TLS proxy forwards a request: without it the production settings redirect to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def production_environment(**overrides: str) -> dict[str, str]:
    """This process's environment without its Django, database and cache settings, plus the
    production settings' required variables, plus `overrides`."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "REDIS_", "DATABASE_", "PYTEST_"))
    }
    return {
        **environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        **overrides,
    }


def local_environment(**overrides: str) -> dict[str, str]:
    """This process's environment under the local settings (`make run`'s), with no database or
    cache URL of the caller's, plus `overrides`."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "REDIS_", "DATABASE_", "PYTEST_"))
    }
    return {**environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **overrides}


@contextmanager
def runserver(env: Mapping[str, str]) -> Iterator[str]:
    """`manage.py runserver` as `make run` starts it (no reloader), until the block ends; yield
    its base URL once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT_DIR,
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield _answering(server, f"http://127.0.0.1:{port}", "/")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answering(server: subprocess.Popen[bytes], base: str, ready_path: str) -> str:
    """`base` once the server answers `ready_path` (whatever it says), or an AssertionError
    after 30 s or as soon as the server exits."""
    deadline = time.monotonic() + 30
    while True:
        try:
            request = urllib.request.Request(f"{base}{ready_path}", headers=PROXY_HEADERS)  # noqa: S310
            urllib.request.urlopen(request, timeout=5)  # noqa: S310 (http on loopback)
            return base
        except urllib.error.HTTPError:
            return base  # answering, whatever it says
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"the server did not answer {ready_path} within 30 s"
                ) from None
            time.sleep(0.2)


@contextmanager
def gunicorn(
    env: Mapping[str, str], *, workers: int = 2, ready_path: str = "/api/schema/"
) -> Iterator[str]:
    """Serve the app under `env` until the block ends; yield its base URL once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "--config=config/gunicorn.py",
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--access-logfile=/dev/null",
        ],
        cwd=PROJECT_DIR,
        env=dict(env),
    )
    try:
        base = _answering(server, f"http://127.0.0.1:{port}", ready_path)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
