"""Timestamps a client sends (the deep-pagination case's `after=`, the API feed's opaque cursor)
are checked against what the database can store: a position it could not compare with is a 400,
on SQLite and PostgreSQL alike, never a database error. Under `make test-services` the same
requests reach PostgreSQL, which refuses offsets of 16 hours or more and offsets with seconds,
and ids past a bigint.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest

from core.client_values import LARGEST_ID, parse_id, parse_instant
from tests.api.conftest import assert_problem
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

UNSTORABLE = [
    "2026-01-01T00:00:00+05:00:30,1",  # an offset with seconds: not RFC 3339
    "2026-01-01T00:00:00+05:00:00.5,1",  # a fraction of a second in the offset
    "9999-12-31T23:59:59-23:59,1",  # past the calendar's end in UTC
    "0001-01-01T00:00:00+01:00,1",  # before its start in UTC
    f"2026-01-01T00:00:00+00:00,{LARGEST_ID + 1}",  # past a bigint
    "2026-01-01T00:00:00+00:00,١٢",  # digits, but not 0-9
    "2026-01-01T00:00:00,1",  # no offset: which instant?
]
STORABLE = [
    "2026-01-01T00:00:00+16:00,1",  # RFC 3339 allows any offset under a day
    "2026-01-01T00:00:00-23:59,1",
    "2026-01-01T00:00:00Z,1",
]
PAGE_URLS = ["/optimized/deep-pagination/", "/api/v1/optimized/deep-pagination/"]


def feed_cursor(position: str) -> str:
    """The API feed's cursor as it would carry `position` (see blog.api.encode_cursor)."""
    return base64.urlsafe_b64encode(f"a|{position}".encode()).decode().rstrip("=")


@pytest.mark.parametrize("url", PAGE_URLS)
@pytest.mark.parametrize("after", UNSTORABLE)
def test_an_unstorable_after_is_a_400(client, url, after) -> None:
    PostFactory.create()

    response = client.get(url, {"after": after})

    if url.startswith("/api/"):
        body = assert_problem(response, HTTPStatus.BAD_REQUEST)
        assert "after" in body["detail"]
    else:
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert b"after must be" in response.content


@pytest.mark.parametrize("position", UNSTORABLE)
def test_an_unstorable_feed_cursor_is_a_400(client, position) -> None:
    PostFactory.create()

    response = client.get("/api/v1/posts/", {"cursor": feed_cursor(position)})

    assert_problem(response, HTTPStatus.BAD_REQUEST)


@pytest.mark.parametrize("url", PAGE_URLS)
@pytest.mark.parametrize("after", STORABLE)
def test_any_rfc_3339_offset_reads_as_its_instant(client, url, after) -> None:
    older = PostFactory.create(published_at=datetime(2025, 6, 1, tzinfo=UTC))
    PostFactory.create(published_at=datetime(2026, 6, 1, tzinfo=UTC))

    response = client.get(url, {"after": after})

    assert response.status_code == HTTPStatus.OK
    listed = response.json()["results"] if url.startswith("/api/") else None
    if listed is not None:
        assert [row["slug"] for row in listed] == [older.slug]
    else:
        assert older.title in response.content.decode()


@pytest.mark.parametrize("position", STORABLE)
def test_any_rfc_3339_offset_in_a_feed_cursor_is_read(client, position) -> None:
    older = PostFactory.create(published_at=datetime(2025, 6, 1, tzinfo=UTC))
    PostFactory.create(published_at=datetime(2026, 6, 1, tzinfo=UTC))

    response = client.get("/api/v1/posts/", {"cursor": feed_cursor(position)})

    assert response.status_code == HTTPStatus.OK
    assert [row["slug"] for row in response.json()["results"]] == [older.slug]


def test_parse_instant_moves_every_offset_to_utc() -> None:
    parsed = parse_instant("2026-01-01T00:00:00+16:00")

    assert parsed == datetime(2025, 12, 31, 8, 0, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(0)


def test_parse_id_bounds() -> None:
    assert parse_id("1") == 1
    assert parse_id(str(LARGEST_ID)) == LARGEST_ID
    for junk in ["0", "-1", "1_000", " 1", str(LARGEST_ID + 1)]:
        with pytest.raises(ValueError, match="id"):
            parse_id(junk)
