"""Compression (core.compression): Brotli or gzip by what the client accepts, the same bytes once
decoded, and never for a response that depends on who asks (BREACH)."""

from __future__ import annotations

import gzip
import json
from http import HTTPStatus
from typing import Any

import brotli
import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory

from core.compression import CompressionMiddleware, accepted_encodings, negotiate
from querylab.datasets import build_data

pytestmark = pytest.mark.django_db

FEED = "/api/v1/posts/?limit=20"


def _get(client: Client, url: str, accept: str | None) -> Any:
    return client.get(url, headers={"Accept-Encoding": accept} if accept else {})


def _decoded(response: Any) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return bytes(brotli.decompress(body))
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None
    return bytes(body)


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),  # what a browser sends
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("identity", None),
        (None, None),
        ("br;q=0, gzip;q=0", None),
    ],
)
def test_the_coding_is_the_clients_choice_and_decodes_to_the_same_body(
    client: Client, accept: str | None, encoding: str | None
) -> None:
    build_data("posts", 20)
    plain = _get(client, FEED, None)

    response = _get(client, FEED, accept)

    assert response.status_code == HTTPStatus.OK
    assert response.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response["Vary"]
    assert _decoded(response) == plain.content
    if encoding:
        assert len(response.content) < len(plain.content) / 3
        assert int(response["Content-Length"]) == len(response.content)


def test_what_depends_on_who_asks_is_never_compressed(client: Client, author: Any) -> None:
    """The account (no-store) and a signed-in read (private) leave as they are: a body holding
    someone's data and something an attacker chose is what BREACH reads."""
    build_data("posts", 20)
    client.force_login(author)

    for url in ("/api/v1/users/me/", FEED):
        response = _get(client, url, "gzip, br")
        assert response.status_code == HTTPStatus.OK
        assert "Content-Encoding" not in response, url
        assert response["Cache-Control"].startswith(("no-store", "private"))
    assert len(_get(client, FEED, None).content) > 200  # long enough to be compressed


def test_a_streamed_export_is_compressed_as_it_streams(client: Client) -> None:
    build_data("posts", 30)
    plain: Any = client.get("/api/v1/posts/export.ndjson")
    lines = b"".join(plain.streaming_content).splitlines()

    for accept in ("br", "gzip"):
        response = _get(client, "/api/v1/posts/export.ndjson", accept)
        assert response.streaming
        assert response["Content-Encoding"] == accept
        assert "Content-Length" not in response
        decoded = _decoded(response).splitlines()
        assert len(decoded) == len(lines) == 30
        assert [json.loads(line) for line in decoded] == [json.loads(line) for line in lines]


def test_a_short_body_is_sent_as_it_is(client: Client) -> None:
    response = _get(client, "/api/v1/posts/no-such-post/", "br")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Content-Encoding" not in response


def test_a_strong_tag_turns_weak_when_the_bytes_are_compressed(client: Client) -> None:
    build_data("posts", 20)
    plain = client.get("/api/v1/naive/conditional-get/?limit=20")

    compressed = _get(client, "/api/v1/naive/conditional-get/?limit=20", "br")

    assert plain["ETag"].startswith('"')
    assert compressed["Content-Encoding"] == "br"
    assert compressed["ETag"] == "W/" + plain["ETag"]


def test_the_accept_encoding_parser() -> None:
    assert accepted_encodings("gzip;q=1.0, br; q=0.5, zstd;q=0") == {"gzip", "br"}
    assert accepted_encodings("gzip;q=nonsense") == {"gzip"}
    assert negotiate("x" * 10_000 + ", br") is None  # a long header is cut, not parsed
    assert negotiate("") is None


def test_compression_is_the_outermost_middleware() -> None:
    """Outside everything that writes the body, the debug toolbar included (under `make run`)."""
    assert settings.MIDDLEWARE[0] == "core.compression.CompressionMiddleware"


def test_what_is_compressed_already_is_sent_as_it_is() -> None:
    png = HttpResponse(b"\x89PNG" + bytes(range(256)) * 4, content_type="image/png")
    page = HttpResponse(b"<p>text</p>" * 100, content_type="text/html; charset=utf-8")
    request = RequestFactory().get("/", headers={"Accept-Encoding": "br"})
    middleware = CompressionMiddleware(lambda _: png)

    assert "Content-Encoding" not in middleware.process_response(request, png)
    assert middleware.process_response(request, page)["Content-Encoding"] == "br"
