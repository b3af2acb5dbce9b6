"""core.postgresql: Django's PostgreSQL backend reading timestamps with psycopg's C loader when
the session is UTC. The values must be exactly Django's: the same instant, the same tzinfo
(`datetime.UTC`), through plain cursors and the server-side cursors `.iterator()` opens."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader  # type: ignore[import-untyped]
from psycopg.adapt import Loader
from psycopg.pq import Format

from blog.models import Comment
from core.postgresql.base import TIMESTAMPTZ_LOADER
from tests.factories import CommentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Microseconds, and a date far from today: what a loader gets wrong first.
WHEN = datetime.datetime(1999, 12, 31, 23, 59, 58, 123456, tzinfo=datetime.UTC)


def _loader_of(cursor: object) -> type[Loader]:
    adapters = cursor.adapters  # type: ignore[attr-defined]
    loader: type[Loader] = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
    return loader


def test_a_utc_session_reads_timestamps_with_psycopgs_own_loader() -> None:
    connection.ensure_connection()

    assert getattr(connection, "fast_timestamps", False)
    with connection.cursor() as cursor:
        loader = _loader_of(cursor.cursor)
    assert loader is TIMESTAMPTZ_LOADER
    assert not issubclass(loader, BaseTzLoader)  # Django's pure-Python loader


def test_timestamps_read_back_exactly_as_djangos_loader_reads_them() -> None:
    comment = CommentFactory.create(created_at=WHEN)

    read = Comment.objects.get(pk=comment.pk).created_at
    streamed = next(Comment.objects.filter(pk=comment.pk).iterator(chunk_size=10)).created_at

    assert read == streamed == WHEN
    assert read.tzinfo is datetime.UTC
    assert streamed.tzinfo is datetime.UTC
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [WHEN])
        assert cursor.fetchone()[0] == WHEN
