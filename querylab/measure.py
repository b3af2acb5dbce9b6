"""Run a case's variants through their real views and templates, and measure what they cost.

One engine (`measure_tiers`) for the lab, the bench and the tests: a count pass under
querycheck's `capture_queries()`, a memory pass, and timed passes taken in turns. The lab's
pages are requested in-process with a RequestFactory request and the view resolved from the
URL, so it measures exactly the code a browser would hit, minus the middleware (whose session
and toolbar work would blur the comparison); the bench sends the same requests through the WSGI
handler. The tests use `render_page` too, inside `django_assert_num_queries`.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any, Generic, Protocol, TypeVar, cast
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import models, transaction
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.template.response import SimpleTemplateResponse
from django.test import RequestFactory
from django.urls import resolve

from core.case_output import CaseOutput, recording
from core.cases import VARIANTS, AnyCase, PageTarget, Surface, Variant, WriteSetup
from core.compression import WireSizes, wire_sizes
from querycheck.capture import CapturedQuery, capture_queries, group_captured
from querycheck.sql import QueryShape
from querycheck.waste import WasteReport, record_waste, text_size

from .auto_tier import auto_prefetching
from .clocks import Clock, Pass


@dataclass(frozen=True)
class RenderedPage:
    response: HttpResponseBase
    rows: list[Any]  # what the page or endpoint showed (empty for an aggregate or an export)
    n: int  # the case's N: the rows shown, the lines exported, or what an aggregate covered
    body: bytes

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content(self) -> str:
        return self.body.decode()


def render_page(
    url: str, *, user: Any = None, keep_body: bool = True, headers: Mapping[str, str] | None = None
) -> RenderedPage:
    """GET `url` through its view and render the template; return the response and its rows.

    A streamed response is consumed chunk by chunk; `keep_body=False` drops the chunks as they
    come, so measuring its memory does not build the whole body after all.
    """
    request = RequestFactory().get(url, headers=dict(headers or {}))
    return _call(request, url, user=user, keep_body=keep_body)


def revalidating(url: str, *, user: Any = None) -> Callable[[bool], RenderedPage]:
    """The request of a client that already holds `url`: fetched once now, then asked again with
    the copy's ETag in `If-None-Match` (a case declared `revalidate`). A 304 shows no rows, so
    its N is the N of the copy the client holds."""
    held = render_page(url, user=user)
    etag = held.response.get("ETag")
    headers = {"If-None-Match": etag} if etag else {}

    def request(keep_body: bool) -> RenderedPage:
        page = render_page(url, user=user, keep_body=keep_body, headers=headers)
        return replace(page, n=held.n) if page.status_code == HTTPStatus.NOT_MODIFIED else page

    return request


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
    if isinstance(response, SimpleTemplateResponse):
        response.render()
    rows, n = shown_rows(response, output)
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


def shown_rows(response: HttpResponseBase, output: CaseOutput) -> tuple[list[Any], int]:
    """The rows a rendered response showed, and the case's N: what the case view reported
    (core.case_output), or for the admin's changelist, Django's own view, the rows its context
    holds."""
    if output.reported:
        return output.rows, output.n
    context = response.context_data if isinstance(response, SimpleTemplateResponse) else None
    changelist = (context or {}).get("cl")
    rows = list(changelist.result_list) if changelist is not None else []
    return rows, len(rows)


async def _finish(coroutine: Any) -> Any:
    return await coroutine


class Rendered(Protocol):
    """What one request yields, however it was made: in-process, or through the WSGI handler."""

    @property
    def status_code(self) -> int: ...

    @property
    def n(self) -> int: ...

    @property
    def rows(self) -> list[Any]: ...


RenderedT = TypeVar("RenderedT", bound=Rendered)
# One request of one tier; `keep_body=False` drops a streamed body as it comes.
Request = Callable[[bool], RenderedT]
# How a tier makes its request, given what to do around it: reads just call `instrument(request)`;
# a write makes its data inside a transaction, calls it, and rolls back, so that only the
# request is measured and nothing stays changed.
Instrument = Callable[[Request[RenderedT]], Any]
Tier = Callable[[Instrument[RenderedT]], Any]


@dataclass(frozen=True)
class TierResult(Generic[RenderedT]):
    page: RenderedT  # from the counted pass
    queries: list[CapturedQuery]
    peak_memory_bytes: int
    passes: tuple[Pass, ...]  # the timed passes, round by round
    waste: WasteReport | None = None  # from the waste pass, when one was asked for

    @property
    def timings_ms(self) -> tuple[float, ...]:
        return tuple(timed.wall_ms for timed in self.passes)

    @property
    def shapes(self) -> list[QueryShape]:
        return group_captured(self.queries)

    @property
    def database_ms(self) -> float:
        return sum(query.seconds for query in self.queries) * 1000


def counted(request: Request[RenderedT]) -> tuple[RenderedT, list[CapturedQuery]]:
    """The count pass: one request with every query this thread runs captured
    (querycheck.capture_queries, which also times each query with a monotonic clock). Other
    threads' queries (another request to a threaded development server) are left out; an async
    view's ORM calls come back to this thread, and are counted."""
    me = threading.current_thread().name
    with capture_queries() as captured:
        page = request(True)
    return page, [query for query in captured.queries if query.thread == me]


def timed(request: Request[Any], clock: Clock | None = None) -> Pass:
    """A timed pass: one request with no instrument but the clocks (wall, CPU)."""
    return (clock or Clock()).time(lambda: request(False))


def measure_tiers(
    tiers: Mapping[str, Tier[RenderedT]],
    *,
    repeat: int,
    memory: bool = True,
    waste: bool = False,
    warm_up: bool = False,
    time_budget_seconds: float | None = None,
    min_rounds: int = 1,
    clock: Clock | None = None,
) -> dict[str, TierResult[RenderedT]]:
    """The one measuring engine, for the lab, the bench and the tests: per tier a count pass, a
    memory pass (when `memory`), then `repeat` rounds of timed passes, one pass of every tier a
    round, each round starting one tier further on (rotated), so that a machine's slow moment
    falls on every tier alike and no tier always runs first, after a slow one, or last. Round r
    of two tiers makes a pair: the report's per-round ratios divide them.

    With `waste`, a pass under querycheck's `record_waste()` records what each tier fetched and
    never read. Capturing, tracing and recording add overhead, so each has its own pass. With
    `time_budget_seconds`, a tier stops being timed once it has spent that long in all (after
    one timed pass at least), so a slow variant costs one timed pass, not `repeat`. `warm_up`
    requests each tier once first (the cache case measures a warm hit).
    """
    spent = dict.fromkeys(tiers, 0.0)

    def run_pass(tier: str, instrument: Instrument[RenderedT]) -> Any:
        """One pass of `tier`, its time added to what the tier has spent."""
        started = time.perf_counter()
        try:
            return tiers[tier](instrument)
        finally:
            spent[tier] += time.perf_counter() - started

    def plain(request: Request[RenderedT]) -> RenderedT:
        return request(True)

    def traced(request: Request[RenderedT]) -> int:
        return peak_memory(lambda: request(False))

    def recorded(request: Request[RenderedT]) -> WasteReport:
        with record_waste() as report:
            request(False)
        return report

    if warm_up:
        for tier in tiers:
            tiers[tier](plain)
    counts = {tier: run_pass(tier, counted) for tier in tiers}
    peaks = {tier: run_pass(tier, traced) if memory else 0 for tier in tiers}
    wasted = {tier: run_pass(tier, recorded) if waste else None for tier in tiers}
    passes: dict[str, list[Pass]] = {tier: [] for tier in tiers}
    names = list(tiers)
    for round_ in range(repeat):
        start = round_ % len(names)
        for tier in names[start:] + names[:start]:
            over = time_budget_seconds is not None and spent[tier] >= time_budget_seconds
            if len(passes[tier]) >= max(min_rounds, 1) and over:
                continue
            passes[tier].append(run_pass(tier, lambda request: timed(request, clock)))
    return {
        tier: TierResult(
            page=counts[tier][0],
            queries=counts[tier][1],
            peak_memory_bytes=peaks[tier],
            passes=tuple(passes[tier]),
            waste=wasted[tier],
        )
        for tier in tiers
    }


@dataclass(frozen=True)
class Measurement:
    variant: str  # "naive", "optimized", or "auto" (the naive code with batched lazy loads)
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
    passes: tuple[Pass, ...] = ()  # the same runs with their CPU times
    # Each relation loaded lazily in the counted pass: (relation, how often, the fix).
    lazy_loads: tuple[tuple[str, int, str], ...] = ()
    # What the waste pass saw fetched and never read, one line each, biggest columns first.
    waste: tuple[str, ...] = ()
    # The response body's size as it is, gzipped and as Brotli (core.compression).
    wire: WireSizes | None = None
    # A revalidating case's: the copy the client holds, which the 304 spares sending again.
    held: WireSizes | None = None

    @property
    def repeated_shapes(self) -> list[QueryShape]:
        return [shape for shape in self.shapes if shape.count > 1]


def measure_case(
    case: AnyCase,
    target: PageTarget,
    *,
    limit: int,
    variants: tuple[Variant, ...] = VARIANTS,
    surface: Surface = "page",
    user: Any = None,
    repeat: int = 3,
    time_budget_seconds: float | None = None,
    auto: bool = False,
    clock: Clock | None = None,
) -> dict[str, Measurement]:
    """Both variants of a case (or those named) through their real views, on the current data:
    reads as GETs of `target` at `limit`, writes as POSTs of a batch of `limit` made afresh
    inside a transaction that is rolled back. With `auto`, a case that declares an auto tier
    gets a third measurement, "auto": the naive page under `auto_prefetching()`."""
    urls: dict[str, str] = {}
    tiers: dict[str, Tier[RenderedPage]] = {}
    for variant in variants:
        if case.write is not None:
            urls[variant] = ""  # a POST inside a rolled-back transaction: nothing to link to
            tiers[variant] = _write_tier(case, variant, case.write, n=limit)
        else:
            url = case.url(surface, variant, target, limit=None if case.staff_only else limit)
            urls[variant] = url
            tiers[variant] = _read_tier(url, user, revalidate=case.revalidate)
    if auto and case.auto_queries is not None and "naive" in urls and case.write is None:
        urls["auto"] = urls["naive"]
        tiers["auto"] = _read_tier(urls["naive"], user, around=auto_prefetching)
    results = measure_tiers(
        tiers,
        repeat=repeat,
        waste=True,
        warm_up=case.warm_up,
        time_budget_seconds=time_budget_seconds,
        clock=clock,
    )
    measured = {tier: _measurement(case, tier, urls[tier], results[tier]) for tier in tiers}
    if case.revalidate:
        measured = {
            tier: replace(m, held=wire_sizes(render_page(m.url, user=user).body))
            for tier, m in measured.items()
        }
    return measured


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
    """One variant of a case (measure_case for one)."""
    measured = measure_case(
        case,
        target,
        limit=limit,
        variants=(variant,),
        surface=surface,
        user=user,
        repeat=repeat,
        time_budget_seconds=time_budget_seconds,
    )
    return measured[variant]


def _read_tier(
    url: str,
    user: Any,
    *,
    around: Callable[[], AbstractContextManager[Any]] = nullcontext,
    revalidate: bool = False,
) -> Tier[RenderedPage]:
    request: Request[RenderedPage] = (
        revalidating(url, user=user)
        if revalidate
        else lambda keep_body: render_page(url, user=user, keep_body=keep_body)
    )

    def tier(instrument: Instrument[RenderedPage]) -> Any:
        with around():
            return instrument(request)

    return tier


def _write_tier(
    case: AnyCase, variant: Variant, write: Callable[[int], WriteSetup], *, n: int
) -> Tier[RenderedPage]:
    def tier(instrument: Instrument[RenderedPage]) -> Any:
        with transaction.atomic():
            setup = write(n)
            result = instrument(lambda keep_body: run_write(case, variant, setup))
            transaction.set_rollback(True)
        return result

    return tier


def _measurement(
    case: AnyCase, variant: str, url: str, result: TierResult[RenderedPage]
) -> Measurement:
    page = result.page
    return Measurement(
        variant=variant,
        url=url,
        status_code=page.status_code,
        queries=len(result.queries),
        expected_queries=case.tier_formula(variant).at(page.n),
        database_ms=result.database_ms,
        total_ms=statistics.median(result.timings_ms),
        rows=page.n,
        row_bytes=row_bytes(page.rows),
        peak_memory_bytes=result.peak_memory_bytes,
        shapes=result.shapes,
        timings_ms=result.timings_ms,
        passes=result.passes,
        lazy_loads=lazy_loads(result.queries),
        waste=tuple(result.waste.lines()) if result.waste is not None else (),
        wire=wire_sizes(page.body),
    )


def lazy_loads(queries: Iterable[CapturedQuery]) -> tuple[tuple[str, int, str], ...]:
    """Each relation the queries loaded lazily, how often, and querycheck's fix for it."""
    counts = Counter(
        (query.load.relation, query.load.fix().text) for query in queries if query.load
    )
    return tuple((relation, n, fix) for (relation, fix), n in counts.most_common())


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
        total += sum(text_size(value) for value in values)
    return total
