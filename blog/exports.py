"""Exports of the published posts, as NDJSON or CSV: built in memory (naive) or streamed.

CSV cells that a spreadsheet would run as a formula (they start with `=`, `+`, `-`, `@`, a tab or
a carriage return) get a leading apostrophe, so they show as the text they are; NDJSON carries
every value exactly.

Both variants validate each row with the same Pydantic model; they differ in whether every row
is in memory at once. The streamed one reads the rows through `iterator()` (a server-side cursor
on PostgreSQL; keyset chunks behind PgBouncer in transaction mode) and hands Django a generator,
so memory stays flat however many rows there are.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.db import connections
from django.db.models import QuerySet

from .models import Post
from .schemas import EXPORT_ROW, PostExportRow

EXPORT_FIELDS = ("id", "title", "slug", "author__username", "category__slug", "published_at")
CHUNK_SIZE = 500
Format = Literal["ndjson", "csv"]


CSV_HEADER = list(PostExportRow.model_fields)


def _rows() -> QuerySet[Post, tuple[Any, ...]]:
    return Post.objects.published().order_by("id").values_list(*EXPORT_FIELDS)


def post_export_naive() -> list[tuple[Any, ...]]:
    """Every published post's row, all in a list in memory. Queries: 1."""
    return list(_rows())


def post_export_optimized() -> Iterator[tuple[Any, ...]]:
    """The same rows, fetched CHUNK_SIZE at a time as they are consumed. Queries: 1.

    Behind PgBouncer in transaction mode server-side cursors are off (DATABASE_PGBOUNCER), and
    `iterator()` would then fetch every row at once: the rows come in keyset chunks instead,
    one query per CHUNK_SIZE rows, so memory stays flat there too."""
    rows = _rows()
    if connections[rows.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        return _keyset_chunks(rows)
    return rows.iterator(chunk_size=CHUNK_SIZE)


def _keyset_chunks(rows: QuerySet[Post, tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """`rows` (ordered by id, id first) CHUNK_SIZE at a time, each chunk the rows after the
    last id seen: every query is its own transaction, and nothing is held between them. Unlike
    one cursor, the chunks are not one snapshot: a row written meanwhile past the last id seen
    is included, one before it is not."""
    last_id: int | None = None
    while True:
        page = rows if last_id is None else rows.filter(id__gt=last_id)
        chunk = list(page[:CHUNK_SIZE])
        yield from chunk
        if len(chunk) < CHUNK_SIZE:
            return
        last_id = chunk[-1][0]


def encode(rows: Iterable[tuple[Any, ...]], fmt: Format) -> Iterator[bytes]:
    """Validate each row with PostExportRow and encode it, one chunk per row."""
    if fmt == "csv":
        yield _csv_line(CSV_HEADER)
    for values in rows:
        row = PostExportRow(**dict(zip(CSV_HEADER, values, strict=True)))
        if fmt == "ndjson":
            yield EXPORT_ROW.dump_json(row) + b"\n"
        else:
            yield _csv_line([*row.model_dump(mode="json").values()])


class _Line:
    """A file-like object for csv.writer that hands back what it is given."""

    def write(self, value: str) -> str:
        return value


_WRITER = csv.writer(_Line())


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)` in a
# title would link, or worse); OWASP's advice is to make it text with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet shows rather than evaluates."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _csv_line(values: list[Any]) -> bytes:
    return str(_WRITER.writerow([csv_cell(value) for value in values])).encode()


@dataclass(frozen=True)
class Export:
    """How the export is served: where its rows come from, and whether the response streams
    them or builds the whole body first. The post-export case's variants are two of these."""

    rows: Callable[[], Iterable[tuple[Any, ...]]]
    streaming: bool


IN_MEMORY = Export(rows=post_export_naive, streaming=False)
STREAMED = Export(rows=post_export_optimized, streaming=True)
