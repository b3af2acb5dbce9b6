"""No client input produces a 500: junk parameters on every GET endpoint and case page, and
junk bodies on every write. The test client re-raises server errors, so a 500 fails loudly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from querylab.registry import CASES, SURFACES, VARIANTS
from tests.factories import PostFactory
from tests.shared_data import shared_data

pytestmark = pytest.mark.django_db

JUNK_VALUES = [
    "",
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e9",
    "null",
    "' OR 1=1 --",
    "<script>",
    "%",
    "é" * 300,
    "x" * 5000,
]
JUNK_KEYS = ["limit", "page", "after", "cursor", "viewer", "tag", "author", "category", "n", "via"]


@pytest.fixture(scope="module")
def urls(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[str]]:
    """Seeded once for the module (these tests only read), rolled back after its last test."""
    with shared_data(django_db_blocker):
        call_command(
            "seed", "--users=3", "--posts-per-user=3", "--comments-per-post=2", verbosity=0
        )
        cases = Client().get("/lab/cases.json").json()["cases"]
        listed = [
            entry["urls"][variant][surface]
            for entry in cases
            for variant in VARIANTS
            for surface in SURFACES
            if "admin" not in entry["techniques"]
            and entry["kind"] == "read"
            and entry["urls"][variant][surface]
        ]
        lab_pages = [f"/lab/{case.slug}/" for case in CASES if not case.staff_only]
        public = ["/api/v1/posts/", "/api/v1/users/", "/", "/lab/"]
        # the feed's bench tiers
        public += [
            "/api/v1/values/feed/",
            "/api/v1/values-orjson/feed/",
            "/api/v1/db-json/feed/",
            "/api/v1/cached/feed/",
        ]
        post = PostFactory.create()
        public += [f"/api/v1/posts/{post.slug}/", f"/api/v1/posts/{post.slug}/comments/"]
        yield [url.split("?")[0] for url in listed] + lab_pages + public


def test_junk_query_parameters_never_cause_a_500(client, urls) -> None:
    # Every key at once: the first invalid one answers, so this mostly proves the 400 paths.
    assert urls
    for url in urls:
        for value in JUNK_VALUES:
            response = client.get(url, dict.fromkeys(JUNK_KEYS, value))
            assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, (url, value)


@pytest.mark.parametrize("url", ["/api/v1/posts/", "/api/v1/users/", "/naive/posts-i-commented/"])
def test_each_junk_parameter_alone_never_causes_a_500(client, urls, url) -> None:
    # One key at a time, so filters such as ?tag= reach the database with the junk.
    for key in JUNK_KEYS:
        for value in JUNK_VALUES:
            response = client.get(url, {key: value})
            assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, (url, key, value)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/users/%00/", "/api/v1/posts/%00/", "/api/v1/users/" + "x" * 3000 + "/"],
)
def test_junk_paths_never_cause_a_500(client, path) -> None:
    assert client.get(path).status_code in {HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND}


JUNK_BODIES = [
    b"",
    b"\x00",
    b"\xff\xfe",
    b"null",
    b"[]",
    b"1e999999",
    b'{"title": "\\u0000"}',
    b'{"title": "\\ud800"}',
    json.dumps({"title": 1, "body": 2, "tags": {}, "category": [], "status": 3}).encode(),
    json.dumps({"tags": ["a"] * 10_000}).encode(),
]


def test_junk_bodies_never_cause_a_500(author_client, author) -> None:
    post = PostFactory.create(author=author)
    targets = [
        ("post", "/api/v1/posts/"),
        ("patch", f"/api/v1/posts/{post.slug}/"),
        ("post", f"/api/v1/posts/{post.slug}/comments/"),
    ]
    for method, url in targets:
        for body in JUNK_BODIES:
            response = getattr(author_client, method)(
                url, data=body, content_type="application/json"
            )
            assert HTTPStatus.BAD_REQUEST <= response.status_code < 500, (method, url, body[:40])
