"""Each settings module starts (or refuses to) as documented, checked in a fresh interpreter.

Settings are read once per process, so these tests run `manage.py` or Python in a subprocess with
a controlled environment: never the caller's DATABASE_URL, so no outside database is touched.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests import subprocesses

PROJECT_DIR = Path(settings.BASE_DIR)

DUMP_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "toolbar": "debug_toolbar" in settings.INSTALLED_APPS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "hashers": settings.PASSWORD_HASHERS[:1],
    "atomic_requests": settings.DATABASES["default"].get("ATOMIC_REQUESTS", False),
    "cache": settings.CACHES["default"]["BACKEND"],
    "lab": settings.QUERYLAB_ENABLED,
    "querylab_installed": "querylab" in settings.INSTALLED_APPS,
    "databases": sorted(settings.DATABASES),
    "routers": settings.DATABASE_ROUTERS,
    "pin_middleware": "core.replicas.ReadYourWritesMiddleware" in settings.MIDDLEWARE,
}))
"""


def run_python(
    args: list[str], *, settings_module: str, tmp_path: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_")
        and key
        not in {
            "DATABASE_URL",
            "DATABASE_REPLICA_URLS",
            "DATABASE_PGBOUNCER_URL",
            "DATABASE_PGBOUNCER",
            "REDIS_URL",
        }
    }
    environ |= {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    return subprocesses.run_python(*args, cwd=PROJECT_DIR, env=environ)


def dump_settings(settings_module: str, tmp_path: Path, **env: str) -> dict[str, object]:
    result = run_python(
        ["-c", DUMP_SETTINGS], settings_module=settings_module, tmp_path=tmp_path, **env
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_bad_database_url_stops_manage_py_with_one_line_naming_it(tmp_path: Path) -> None:
    result = run_python(
        ["manage.py", "check"],
        settings_module="config.settings.local",
        tmp_path=tmp_path,
        DATABASE_URL="mysql://root:hunter2@localhost/blog",
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "error: DATABASE_URL: expected a sqlite:// or postgres:// URL, the scheme 'mysql' is "
        "not supported"
    ]
    assert "hunter2" not in result.stderr


def test_production_requires_secret_key_and_allowed_hosts(tmp_path: Path) -> None:
    result = run_python(
        ["manage.py", "check"], settings_module="config.settings.production", tmp_path=tmp_path
    )

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "error: DJANGO_SECRET_KEY: must be set (the production settings have no default)"
    )


def test_production_runs_without_debug_or_toolbar(tmp_path: Path) -> None:
    loaded = dump_settings(
        "config.settings.production",
        tmp_path,
        DJANGO_SECRET_KEY="a-long-random-production-secret-for-this-test-only",
        DJANGO_ALLOWED_HOSTS="blog.example.com",
    )

    assert loaded["DEBUG"] is False
    assert loaded["toolbar"] is False
    assert loaded["ALLOWED_HOSTS"] == ["blog.example.com"]
    assert loaded["atomic_requests"] is False


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-this-test-only-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "blog.example.com",
}


def test_production_passes_the_deployment_checks(tmp_path: Path) -> None:
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        settings_module="config.settings.production",
        tmp_path=tmp_path,
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_serves_https_only_with_security_headers(tmp_path: Path) -> None:
    """Under the production settings: plain HTTP is redirected, every response carries the
    security headers and the CSP, cookies are Secure and prefixed, static files are served."""
    script = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
# Swagger UI's bundles (the sidecar) are left out: compressing them is most of a full run, and
# the pages requested here do not use them.
call_command("collectstatic", "--noinput", "--ignore", "drf_spectacular_sidecar", verbosity=0)
client = Client(HTTP_HOST="blog.example.com")
plain = client.get("/")
home = client.get("/", secure=True)
login = client.get("/admin/login/", secure=True)
style = client.get("/static/admin/css/base.css", secure=True)
cookie = login.cookies.get("__Secure-csrftoken")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "home": home.status_code,
    "headers": {name: home.get(name) for name in [
        "Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
        "X-Content-Type-Options", "Referrer-Policy",
    ]},
    "cookie": [bool(cookie), bool(cookie and cookie["secure"])],
    "static": [style.status_code, style.get("Cache-Control")],
}))
"""
    result = run_python(
        ["-c", script],
        settings_module="config.settings.production",
        tmp_path=tmp_path,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["plain"] == [301, "https://blog.example.com/"]
    assert served["home"] == 200
    headers = served["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert served["cookie"] == [True, True]
    assert served["static"][0] == 200


def test_local_settings_debug_with_toolbar(tmp_path: Path) -> None:
    loaded = dump_settings("config.settings.local", tmp_path)

    assert loaded["DEBUG"] is True
    assert loaded["toolbar"] is True
    assert str(loaded["cache"]).endswith("LocMemCache")


def test_test_settings_use_a_fast_hasher_and_no_toolbar(tmp_path: Path) -> None:
    loaded = dump_settings("config.settings.test", tmp_path)

    assert loaded["toolbar"] is False
    assert loaded["hashers"] == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_make_run_serves_home_with_the_debug_toolbar(tmp_path: Path) -> None:
    """What `make run` does, minus the server: migrate, seed, then GET / as a loopback client."""
    script = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
call_command("seed", "--if-empty", "--users", "3", "--posts-per-user", "2")
import brotli
browser = Client(REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1:8000")
response = browser.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
print(response.status_code)
print(response["Content-Encoding"])
# The toolbar writes into the page before it is compressed (compression is outermost).
print("djDebug" in brotli.decompress(response.content).decode())
"""
    result = run_python(["-c", script], settings_module="config.settings.local", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "Demo login (local settings only): username 'demo', password 'demo'." in lines
    assert lines[-3:] == ["200", "br", "True"]


@pytest.mark.postgres
def test_production_settings_use_psycopg_pool_on_postgres(tmp_path: Path) -> None:
    script = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
print(connection.pool is not None, connection.settings_dict["CONN_MAX_AGE"])
"""
    result = run_python(
        ["-c", script],
        settings_module="config.settings.production",
        tmp_path=tmp_path,
        DATABASE_URL=os.environ["DATABASE_URL"],
        DJANGO_SECRET_KEY="a-long-random-production-secret-for-this-test-only",
        DJANGO_ALLOWED_HOSTS="blog.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "0"]


def test_wsgi_entry_point_stops_with_one_line_naming_the_variable(tmp_path: Path) -> None:
    result = run_python(
        ["-c", "import config.wsgi"],
        settings_module="config.settings.production",
        tmp_path=tmp_path,
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "error: DJANGO_SECRET_KEY: must be set (the production settings have no default)"
    )


@pytest.mark.parametrize("settings_module", ["config.settings.local", "config.settings.production"])
def test_replicas_install_their_router_and_pin_only_when_named(
    settings_module: str, tmp_path: Path
) -> None:
    """Without DATABASE_REPLICA_URLS nothing of core/replicas.py is installed; with it, the
    aliases, the router and the pin middleware are (no connection is made to read settings)."""
    production = {
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-this-test-only",
        "DJANGO_ALLOWED_HOSTS": "blog.example.com",
    }
    plain = dump_settings(settings_module, tmp_path, **production)
    replicated = dump_settings(
        settings_module,
        tmp_path,
        **production,
        DATABASE_URL="postgres://app@primary:5432/blog",
        DATABASE_REPLICA_URLS="postgres://app@replica:5432/blog",
    )

    assert plain["databases"] == ["default"]
    assert plain["routers"] == []
    assert plain["pin_middleware"] is False
    assert replicated["databases"] == ["default", "replica_1"]
    assert replicated["routers"] == ["core.replicas.ReplicaRouter"]
    assert replicated["pin_middleware"] is True
