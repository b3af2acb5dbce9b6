"""Run one variant of a case through its real view and template, and measure what it cost.

The page is requested in-process with a RequestFactory request and the view resolved from the
URL, so the lab measures exactly the code a browser would hit, minus the middleware (whose
session and toolbar work would blur the comparison). The tests use `render_page` too, inside
`django_assert_num_queries`.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection, models, reset_queries, transaction
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.template.response import SimpleTemplateResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from core.case_output import recording
from core.cases import AnyCase, PageTarget, Surface, Variant, WriteSetup
from querycheck.sql import QueryShape, QueryTimer, group_queries


@dataclass(frozen=True)
class RenderedPage:
    response: HttpResponseBase
    rows: list[Any]  # what the page or endpoint showed (empty for an aggregate or an export)
    n: int  # the case's N: the rows shown, the lines exported, or what an aggregate covered
    body: bytes

    @property
    def content(self) -> str:
        return self.body.decode()


def render_page(url: str, *, user: Any = None, keep_body: bool = True) -> RenderedPage:
    """GET `url` through its view and render the template; return the response and its rows.

    A streamed response is consumed chunk by chunk; `keep_body=False` drops the chunks as they
    come, so measuring its memory does not build the whole body after all.
    """
    return _call(RequestFactory().get(url), url, user=user, keep_body=keep_body)


def run_write(case: AnyCase, variant: Variant, setup: WriteSetup) -> RenderedPage:
    """POST a write case's request as its setup's user (no CSRF: this runs server-side)."""
    url = case.url("api", variant, PageTarget(kwargs=setup.kwargs), limit=None)
    body = json.dumps(setup.body) if setup.body is not None else ""
    request = RequestFactory().post(url, data=body, content_type="application/json")
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
    return _call(request, url, user=setup.user)


def _call(request: HttpRequest, url: str, *, user: Any, keep_body: bool = True) -> RenderedPage:
    request.user = user or AnonymousUser()
    # Cookie-backed: the page may touch the session without a query of its own.
    request.session = SessionStore()
    match = resolve(urlsplit(url).path)
    request.resolver_match = match
    with recording() as output:
        response = match.func(request, *match.args, **match.kwargs)
        if asyncio.iscoroutine(response):
            # An async view: run it to completion here. Its ORM calls come back to this thread
            # (thread-sensitive), so they run on this connection and are counted like the rest.
            response = async_to_sync(_finish)(response)
    rows: list[Any] = []
    context: Any = {}
    if isinstance(response, SimpleTemplateResponse):
        context = response.context_data or {}
        response.render()
    if output.reported:  # a case view said what it showed (core.case_output)
        rows = output.rows
        n = output.n
    else:  # the admin's changelist: Django's own view, whose context holds the rows
        changelist = context.get("cl")
        rows = list(changelist.result_list) if changelist is not None else []
        n = len(rows)
    if isinstance(response, StreamingHttpResponse):
        kept, lines = [], 0
        for chunk in cast("Iterator[bytes]", response.streaming_content):  # a sync view's
            lines += chunk.count(b"\n")
            if keep_body:
                kept.append(chunk)
        body = b"".join(kept)
        n = lines
    else:
        body = response.content
        if not output.reported and response.get("Content-Type") == "application/x-ndjson":
            n = body.count(b"\n")
    return RenderedPage(response=response, rows=rows, n=n, body=body)


async def _finish(coroutine: Any) -> Any:
    return await coroutine


@dataclass(frozen=True)
class Measurement:
    variant: Variant
    url: str
    status_code: int
    queries: int
    expected_queries: int
    database_ms: float
    total_ms: float
    rows: int
    row_bytes: int
    peak_memory_bytes: int
    shapes: list[QueryShape]
    timings_ms: tuple[float, ...] = ()  # every timed run; total_ms is their median

    @property
    def repeated_shapes(self) -> list[QueryShape]:
        return [shape for shape in self.shapes if shape.count > 1]


def measure(
    case: AnyCase,
    variant: Variant,
    target: PageTarget,
    *,
    limit: int,
    surface: Surface = "page",
    user: Any = None,
    repeat: int = 3,
    time_budget_seconds: float | None = None,
) -> Measurement:
    """Count and capture the queries of one run, trace memory in another, then time `repeat`
    more with neither.

    Capturing and tracing add overhead, so each has its own pass; the median of the timed runs is
    reported. With `time_budget_seconds`, the timed runs stop once the whole measurement has
    taken that long (after one at least), so a slow variant costs one timed run, not `repeat`.
    """
    started = time.perf_counter()

    def more_time(timings: list[float]) -> bool:
        if time_budget_seconds is None or not timings:
            return True
        return time.perf_counter() - started < time_budget_seconds

    if case.write is not None:
        return _measure_write(case, variant, case.write, n=limit, repeat=repeat, more=more_time)
    url = case.url(surface, variant, target, limit=None if case.staff_only else limit)
    if case.warm_up:
        render_page(url, user=user)
    timer = QueryTimer()
    # Django keeps at most 9,000 logged queries; earlier passes must not crowd this one out.
    reset_queries()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        page = render_page(url, user=user)
    peak_bytes = peak_memory(lambda: render_page(url, user=user, keep_body=False))
    timings: list[float] = []
    while len(timings) < repeat and more_time(timings):
        timings.append(_timed(lambda: render_page(url, user=user)))
    shapes = group_queries(_with_precise_times(captured.captured_queries, timer))
    n = page.n
    return Measurement(
        variant=variant,
        url=url,
        status_code=page.response.status_code,
        # Past Django's 9,000-query log the capture is partial; the timer saw every query.
        queries=(
            sum(shape.count for shape in shapes)
            if len(captured.captured_queries) == timer.count
            else timer.count
        ),
        expected_queries=case.formula(variant).at(n),
        database_ms=sum(shape.milliseconds for shape in shapes),
        total_ms=statistics.median(timings),
        rows=n,
        row_bytes=row_bytes(page.rows),
        peak_memory_bytes=peak_bytes,
        shapes=shapes,
        timings_ms=tuple(timings),
    )


def _measure_write(
    case: AnyCase,
    variant: Variant,
    write: Callable[[int], WriteSetup],
    *,
    n: int,
    repeat: int,
    more: Callable[[list[float]], bool],
) -> Measurement:
    """The same passes as a read, each inside a transaction that is rolled back, on data the
    case's setup (`write`) makes afresh for a batch of `n`."""

    def in_rollback(run: Callable[[WriteSetup], Any]) -> Any:
        with transaction.atomic():
            setup = write(n)
            result = run(setup)
            transaction.set_rollback(True)
        return result

    def counted(setup: WriteSetup) -> tuple[RenderedPage, Any, QueryTimer]:
        timer = QueryTimer()
        reset_queries()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            page = run_write(case, variant, setup)
        return page, list(captured.captured_queries), timer

    page, queries, timer = in_rollback(counted)
    peak = in_rollback(lambda setup: peak_memory(lambda: run_write(case, variant, setup)))
    timings: list[float] = []
    while len(timings) < repeat and more(timings):
        timings.append(in_rollback(lambda setup: _timed(lambda: run_write(case, variant, setup))))
    shapes = group_queries(_with_precise_times(queries, timer))
    rows = page.n
    return Measurement(
        variant=variant,
        url="",  # a POST made inside a rolled-back transaction: nothing to link to
        status_code=page.response.status_code,
        queries=sum(shape.count for shape in shapes),
        expected_queries=case.formula(variant).at(rows),
        database_ms=sum(shape.milliseconds for shape in shapes),
        total_ms=statistics.median(timings),
        rows=rows,
        row_bytes=0,
        peak_memory_bytes=peak,
        shapes=shapes,
        timings_ms=tuple(timings),
    )


def _timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def peak_memory(run: Callable[[], Any]) -> int:
    """Peak Python memory allocated while `run` runs (its own pass: tracing slows everything)."""
    if tracemalloc.is_tracing():
        return 0
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _with_precise_times(queries: list[dict[str, str]], timer: QueryTimer) -> list[dict[str, str]]:
    """Swap Django's millisecond-rounded durations for the timer's, query by query."""
    if len(queries) != timer.count:
        return queries
    return [
        {**query, "time": f"{seconds:.9f}"}
        for query, seconds in zip(queries, timer.durations, strict=True)
    ]


def row_bytes(rows: Iterable[Any]) -> int:
    """Roughly how much column data the rows hold: the text length of every loaded value.

    For a model instance only the fields it actually loaded count (`only()` and `defer()` leave
    the rest out of `__dict__`); for a `values()` dict, every value.
    """
    total = 0
    for row in rows:
        if isinstance(row, models.Model):
            attnames = [field.attname for field in row._meta.concrete_fields]
            values = [row.__dict__[name] for name in attnames if name in row.__dict__]
        elif isinstance(row, dict):
            values = list(row.values())
        else:
            continue
        total += sum(_text_length(value) for value in values)
    return total


def _text_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime | date):
        return len(value.isoformat())
    return len(str(value).encode())
