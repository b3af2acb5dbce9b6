"""The comparison machinery is a development tool: under the production settings the lab, every
naive route, the optimized twins that exist only to be compared, and the naive admin are 404,
while the public site and API answer as usual.

The routes to try are read from the apps' `lab_urlpatterns` here, under the test settings, where
they are mounted; a fresh interpreter with the production settings then requests each one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.urls import URLPattern

from blog import api_urls as blog_api_urls
from blog import urls as blog_urls
from tests.config.test_settings_modules import PRODUCTION_ENV, dump_settings, run_python

SAMPLE_ARGUMENTS = {"slug": "a-post", "fmt": "csv"}
# The case routes, the feed's tiers and the redirects from the cases' former addresses.
LAB_ROUTES = [("/", blog_urls.lab_urlpatterns), ("/api/v1/", blog_api_urls.lab_urlpatterns)]
LAB_PATHS = ["/lab/", "/lab/cases.json", "/lab/post-feed/?n=500"]
PUBLIC_PATHS = ["/", "/api/v1/posts/", "/api/v1/stats/", "/api/v1/users/", "/api/schema/"]

REQUEST_EACH = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from users.models import User
call_command("migrate", verbosity=0)
call_command("collectstatic", "--noinput", "--ignore", "drf_spectacular_sidecar", verbosity=0)
paths = json.loads(sys.argv[1])
client = Client(HTTP_HOST="blog.example.com")
statuses = {"get": {}, "post": {}, "public": {}}
for path in paths["closed"]:
    statuses["get"][path] = client.get(path, secure=True).status_code
    statuses["post"][path] = client.post(path, secure=True).status_code
for path in paths["public"]:
    statuses["public"][path] = client.get(path, secure=True).status_code
home = client.get("/", secure=True).content.decode()
statuses["home links"] = [link for link in ("/lab/", "/naive/", "/optimized/") if link in home]
staff = User.objects.create_superuser("ops", "ops@example.com", "a-long-password-123")
client.force_login(staff)
statuses["admin"] = {
    "naive": client.get("/admin/blog/naiveadminpost/", secure=True).status_code,
    "posts": client.get("/admin/blog/post/", secure=True).status_code,
}
print(json.dumps(statuses))
"""


def case_paths() -> list[str]:
    """A path for every case route, with sample arguments (the route, not the data, matters)."""
    paths = []
    for prefix, patterns in LAB_ROUTES:
        for pattern in patterns:
            assert isinstance(pattern, URLPattern)
            route = re.sub(
                r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGUMENTS[m[1]], str(pattern.pattern)
            )
            paths.append(prefix + route)
    return paths


def test_the_test_settings_mount_every_case_route() -> None:
    paths = case_paths()

    assert len(paths) == len(set(paths)) > 40
    assert "/naive/post-feed/" in paths
    assert "/api/v1/naive/view-counter/a-post/" in paths
    assert "/api/v1/optimized/async-gather/" in paths
    assert "/naive/dated-titles/" in paths  # deferred-trap's former address, a redirect
    assert "/api/v1/naive/posts/export.csv" in paths


def test_production_has_no_lab_and_no_naive_route(tmp_path: Path) -> None:
    closed = [*case_paths(), *LAB_PATHS]
    result = run_python(
        ["-c", REQUEST_EACH, json.dumps({"closed": closed, "public": PUBLIC_PATHS})],
        settings_module="config.settings.production",
        tmp_path=tmp_path,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    statuses = json.loads(result.stdout.strip().splitlines()[-1])
    assert statuses["get"] == dict.fromkeys(closed, 404)
    assert statuses["post"] == dict.fromkeys(closed, 404)
    assert statuses["public"] == dict.fromkeys(PUBLIC_PATHS, 200)
    assert statuses["admin"] == {"naive": 404, "posts": 200}
    assert statuses["home links"] == []  # no link to a page that is not there


def test_only_local_and_test_settings_enable_the_lab(tmp_path: Path) -> None:
    production = dump_settings("config.settings.production", tmp_path, **PRODUCTION_ENV)
    local = dump_settings("config.settings.local", tmp_path)
    test = dump_settings("config.settings.test", tmp_path)

    assert (production["lab"], production["querylab_installed"]) == (False, False)
    assert (local["lab"], local["querylab_installed"]) == (True, True)
    assert (test["lab"], test["querylab_installed"]) == (True, True)
