"""Query capture on every thread and every connection, for tests, including `async def` ones.

Django's own capture (`CaptureQueriesContext`, `assertNumQueries`, pytest-django's
`django_assert_num_queries`) hooks one connection object, and connections are per thread. The async
ORM runs its queries on a worker thread with a connection of its own, and `AsyncClient` handles each
request on yet another thread, so those tools see none of it from an `async def` test.

`capture_queries()` wraps query execution itself, for the whole process while the block is open:
whichever thread or database alias runs a query, the capture records it. That is what makes the
N+1 guard and the exact-count assertion in `querycheck.testing` work in async tests too.

Each query records its origin, the innermost frame of *your* code on the stack when it ran
(`shop/views.py:42 in book_list`, see querycheck.origin), and, when it was a lazy load, which
relation it loaded (`Post.author`, see querycheck.relations).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db.backends.utils import CursorWrapper

from .origin import NO_APP_ORIGIN, app_origin, app_packages, configure
from .relations import LazyLoad, current_load
from .sql import QueryShape, fingerprint, is_savepoint

__all__ = [
    "NO_APP_ORIGIN",
    "CapturedQueries",
    "CapturedQuery",
    "app_origin",
    "app_packages",
    "capture_queries",
    "configure",
    "format_report",
]


@dataclass(frozen=True)
class CapturedQuery:
    sql: str  # as sent to the driver, with placeholders
    params: Any
    many: bool
    alias: str
    thread: str
    origin: str  # "shop/views.py:42 in book_list": the app code that issued it
    seconds: float
    load: LazyLoad | None = None  # the relation it loaded lazily, if it was a lazy load

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sql)


@dataclass
class CapturedQueries:
    """What ran while a capture was open, in execution order, savepoints left out."""

    queries: list[CapturedQuery] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __len__(self) -> int:
        return len(self.queries)

    @property
    def count(self) -> int:
        return len(self.queries)

    def fingerprints(self) -> list[str]:
        return [query.fingerprint for query in self.queries]

    def counts(self) -> Counter[str]:
        """How often each query shape ran, first seen first."""
        return Counter(self.fingerprints())

    def report(self) -> str:
        return format_report(self.queries)

    def _record(self, query: CapturedQuery) -> None:
        with self._lock:
            self.queries.append(query)


# The open captures. Execution is wrapped while at least one is open, and only then.
_active: list[CapturedQueries] = []
_active_lock = threading.Lock()
# The one method every execute() and executemany() of every connection goes through; Django's
# per-connection execute_wrapper hooks are called from it. Private, hence read with getattr: a
# Django upgrade that renames it fails here, at import, rather than capturing nothing.
_WRAPPED_METHOD = "_execute_with_wrappers"
_original_execute: Callable[..., Any] = getattr(CursorWrapper, _WRAPPED_METHOD)


def _execute_with_capture(
    cursor: CursorWrapper, sql: str, params: Any, many: bool, executor: Callable[..., Any]
) -> Any:
    if is_savepoint(sql):
        return _original_execute(cursor, sql, params, many, executor)
    origin = app_origin(sys._getframe(1))
    started = time.perf_counter()
    try:
        return _original_execute(cursor, sql, params, many, executor)
    finally:
        query = CapturedQuery(
            sql=sql,
            params=params,
            many=many,
            alias=cursor.db.alias,
            thread=threading.current_thread().name,
            origin=origin,
            seconds=time.perf_counter() - started,
            load=current_load(),
        )
        for capture in list(_active):
            capture._record(query)


@contextmanager
def capture_queries() -> Iterator[CapturedQueries]:
    """Record every query any thread runs inside the block; nothing is asserted.

    Execution is wrapped at the class, for every connection object of every thread, while at
    least one capture is open, and restored when the last one closes.
    """
    captured = CapturedQueries()
    with _active_lock:
        if not _active:
            setattr(CursorWrapper, _WRAPPED_METHOD, _execute_with_capture)
        _active.append(captured)
    try:
        yield captured
    finally:
        with _active_lock:
            _active.remove(captured)
            if not _active:
                setattr(CursorWrapper, _WRAPPED_METHOD, _original_execute)


def group_captured(queries: Iterable[CapturedQuery]) -> list[QueryShape]:
    """Group captured queries by shape, first seen first, with their measured time."""
    groups: dict[str, list[CapturedQuery]] = {}
    for query in queries:
        groups.setdefault(query.fingerprint, []).append(query)
    return [
        QueryShape(
            fingerprint=shape,
            count=len(members),
            example=members[0].sql,
            milliseconds=sum(member.seconds for member in members) * 1000,
        )
        for shape, members in groups.items()
    ]


def format_report(queries: list[CapturedQuery], *, width: int = 160) -> str:
    """Queries grouped by shape, most frequent first: count, time, where from, the shape."""
    if not queries:
        return "No queries."
    groups: dict[str, list[CapturedQuery]] = {}
    for query in queries:
        groups.setdefault(query.fingerprint, []).append(query)
    total_ms = sum(query.seconds for query in queries) * 1000
    lines = [f"{len(queries)} queries in {len(groups)} shapes, {total_ms:.1f} ms:"]
    for shape, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        ms = sum(member.seconds for member in members) * 1000
        origins = Counter(member.origin for member in members).most_common(2)
        where = ", ".join(f"{origin}" + (f" (x{n})" if n > 1 else "") for origin, n in origins)
        threads = {member.thread for member in members}
        on = f" [{', '.join(sorted(threads))}]" if len(threads) > 1 else ""
        lines.append(f"  x{len(members):<4} {ms:8.2f} ms  {clip(shape, width)}")
        lines.append(f"        from {where}{on}")
        relations = Counter(member.load.relation for member in members if member.load)
        if relations:
            loads = ", ".join(f"{name} (x{n})" for name, n in relations.most_common())
            lines.append(f"        lazy loads of {loads}")
    return "\n".join(lines)


def clip(text: str, width: int) -> str:
    """`text`, cut to `width` characters with an ellipsis when longer."""
    return text if len(text) <= width else text[: width - 3] + "..."
