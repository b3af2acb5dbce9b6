"""gunicorn as a deployment runs it, in a child process, for tests of the production stack: the
production settings, the project's gunicorn config, a free loopback port."""

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
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"{base}{ready_path}"
                request = urllib.request.Request(url, headers=PROXY_HEADERS)  # noqa: S310
                urllib.request.urlopen(request, timeout=5)  # noqa: S310 (http on loopback)
                break
            except urllib.error.HTTPError:
                break  # answering, whatever it says
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gunicorn did not answer within 30 s") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
