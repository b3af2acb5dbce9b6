"""Keyset pagination over the published feed, in one place: the position (`PostCursor`), the
opaque token the API hands out for it, and the predicate that seeks past it.

The feed is ordered newest first by (published_at, id); the id breaks ties, so a position names
exactly one row, and rows added while a client pages through shift no page it has not seen.
Both the deep-pagination case's keyset variant and the API's feed page with these.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from core.client_values import parse_id, parse_instant

from .models import Post


@dataclass(frozen=True)
class PostCursor:
    """A position in the published feed: the (published_at, id) of the last row seen."""

    published_at: datetime
    id: int

    @classmethod
    def parse(cls, value: str) -> PostCursor:
        """Parse `<RFC 3339 timestamp>,<id>`; raise ValueError on anything else, and on a
        position the database could not compare with (see core.client_values)."""
        timestamp, _, pk = value.rpartition(",")
        return cls(published_at=parse_instant(timestamp), id=parse_id(pk))

    @classmethod
    def after(cls, post: Post) -> PostCursor:
        if post.published_at is None:
            raise ValueError("only a published post has a place in the feed")
        return cls(published_at=post.published_at, id=post.pk)

    def __str__(self) -> str:
        return f"{self.published_at.isoformat()},{self.id}"


def older_than(cursor: PostCursor) -> Q:
    """Rows after `cursor` in the feed's order: WHERE (published_at, id) < cursor, which the
    (status, published_at, id) index answers directly at any depth."""
    return Q(published_at__lt=cursor.published_at) | Q(
        published_at=cursor.published_at, id__lt=cursor.id
    )


def newer_than(cursor: PostCursor) -> Q:
    """Rows before `cursor` in the feed's order: WHERE (published_at, id) > cursor."""
    return Q(published_at__gt=cursor.published_at) | Q(
        published_at=cursor.published_at, id__gt=cursor.id
    )


@dataclass(frozen=True)
class FeedPosition:
    """Where a page starts: after a cursor (older rows), before one (newer rows), or the top."""

    cursor: PostCursor | None = None
    backwards: bool = False


def encode_cursor(cursor: PostCursor, *, backwards: bool) -> str:
    """The opaque `?cursor=` of a next (older) or previous (newer) link."""
    raw = f"{'b' if backwards else 'a'}|{cursor}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value: str) -> FeedPosition:
    """Read a `?cursor=` that `encode_cursor` made; raise ValueError on anything else."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("not a cursor") from None
    direction, _, position = raw.partition("|")
    if direction not in ("a", "b"):
        raise ValueError("not a cursor")
    return FeedPosition(cursor=PostCursor.parse(position), backwards=direction == "b")
