"""Measure every case, variant (and tier past the ORM) and size through the WSGI handler.

For each size the data of a scale is built once and every case of that scale is measured on it.
Each tier of a case is requested once to warm up, then once with the query capture on (the
count), then `repeat` times interleaved with the other tiers (the timings), so counting never
slows a timed request and drift on a noisy machine spreads over every tier alike.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from blog.demo_data import flush_demo_data
from core.case_output import recording
from core.params import MAX_LIMIT, limit_cap, raised_limit_cap
from users.models import User

from ..auto_tier import auto_prefetching
from ..clocks import Clock, Pass, ServerProcesses
from ..datasets import build_data
from ..measure import Instrument, Tier, measure_case, measure_tiers, render_page
from ..registry import CASES, AnyCase, PageTarget, Scale, Surface
from .wsgi import WsgiClient

# Tiers past the ORM, measured beside a case's two variants on its JSON endpoint.
EXTRA_TIERS: dict[str, dict[str, str]] = {
    "post-feed": {
        "values": "api:post-feed-values",
        "values-orjson": "api:post-feed-values-orjson",
        "db-json": "api:post-feed-db-json",
        "cached": "api:post-feed-cached",
        "ninja": "bench-ninja:feed",  # the peer framework (querylab.bench.ninja_feed)
        # A client that holds the optimized feed asks again with its ETag (blog.conditional).
        "304": "api:conditional-get-optimized",
    },
    "stats": {"cached": "api:stats-cache-optimized"},
}
POSTGRES_ONLY_TIERS = {"db-json"}
# Tiers requested as a client that holds the response: fetched once, then revalidated.
REVALIDATED_TIERS = {"304"}
STAFF_USERNAME = "bench-staff"  # who requests the staff-only pages (the admin)
# A tier past this many seconds of timed passes stops being timed, after MIN_ROUNDS at least:
# the naive variants at N = 1000 (seconds a request) would otherwise take most of the run.
TIME_BUDGET_SECONDS = 12.0
MIN_ROUNDS = 5


@dataclass(frozen=True)
class Sample:
    case: str
    tier: str  # "naive", "optimized", or a tier past the ORM
    surface: str  # "page", "api", or "in-process" for the write cases
    size: int
    url: str
    status: int
    queries: int
    rows: int
    median_ms: float  # of the wall times
    min_ms: float
    max_ms: float
    database_ms: float = 0.0  # the counted run's time inside the database driver
    # Round by round (round r of every tier of a measurement was taken in the same turn):
    wall_ms: tuple[float, ...] = ()
    cpu_ms: tuple[float, ...] = ()  # this process's CPU
    server_cpu_ms: tuple[float, ...] = ()  # the PostgreSQL and Redis servers' (when readable)

    @classmethod
    def of(cls, passes: Iterable[Pass], **fields: Any) -> Sample:
        """A sample of these timed passes."""
        measured = list(passes)
        wall = tuple(round(p.wall_ms, 4) for p in measured)
        servers = [p.server_ms for p in measured]
        return cls(
            **fields,
            median_ms=statistics.median(wall),
            min_ms=min(wall),
            max_ms=max(wall),
            wall_ms=wall,
            cpu_ms=tuple(round(p.cpu_ms, 4) for p in measured),
            server_cpu_ms=(
                tuple(round(ms, 4) for ms in servers if ms is not None)
                if all(ms is not None for ms in servers)
                else ()
            ),
        )


@dataclass
class BenchRun:
    environment: dict[str, Any]
    sizes: list[int]
    repeat: int
    samples: list[Sample] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> BenchRun:
        data = json.loads(text)
        data["samples"] = [Sample(**_tuples(sample)) for sample in data["samples"]]
        return cls(**data)


def _tuples(sample: dict[str, Any]) -> dict[str, Any]:
    """JSON's lists as the tuples a Sample holds, so a run read back equals the run written."""
    return {key: tuple(v) if isinstance(v, list) else v for key, v in sample.items()}


def environment() -> dict[str, Any]:
    """What the numbers were measured on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "database": connection.vendor,
        "database_version": str(version).split()[0],
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


@contextmanager
def production_like() -> Iterator[None]:
    """DEBUG off, without the development middleware (toolbar, query headers), caching under a
    prefix of the bench's own so clearing it between sizes touches no one else's keys."""
    middleware = [
        name
        for name in settings.MIDDLEWARE
        if not name.startswith(("debug_toolbar.", "querylab.middleware."))
    ]
    caches = {alias: {**config} for alias, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = "bench"
    with override_settings(
        DEBUG=False,
        ROOT_URLCONF="querylab.bench.urls",  # the project's, and django-ninja's feed beside it
        MIDDLEWARE=middleware,
        ALLOWED_HOSTS=["localhost"],
        CACHES=caches,
    ):
        yield


def clear_cache() -> None:
    if hasattr(cache, "delete_pattern"):  # django-redis: only this prefix's keys
        cache.delete_pattern("*")
    else:
        cache.clear()


def selected_cases(slugs: Iterable[str] | None) -> list[AnyCase]:
    """The cases named, in that order; every case when none is named."""
    wanted = list(slugs or ())
    if not wanted:
        return list(CASES)
    known = {case.slug: case for case in CASES}
    unknown = [slug for slug in wanted if slug not in known]
    if unknown:
        raise ValueError(f"unknown case: {', '.join(unknown)} (see /lab/cases.json)")
    return [known[slug] for slug in wanted]


Progress = Callable[[str], None]


def run_bench(
    cases: list[AnyCase],
    sizes: list[int],
    *,
    repeat: int,
    progress: Progress = lambda step: None,
) -> BenchRun:
    """Measure `cases` at each of `sizes`; call `progress` after each case and size."""
    run = BenchRun(environment=environment(), sizes=sizes, repeat=repeat)
    scales: dict[Scale, list[AnyCase]] = {}
    for case in cases:
        scales.setdefault(case.scale, []).append(case)
    # N is the rows rendered: the bench's own requests may ask for more than a client's 500.
    with raised_limit_cap(bench_limit_cap(sizes)):
        for scale, scale_cases in scales.items():
            for size in sizes:
                fresh_data(scale, size)
                for case in scale_cases:
                    if case.write is not None:
                        run.samples += _measure_write(case, size, repeat=repeat)
                    else:
                        run.samples += _measure_read(case, size, repeat=repeat, skipped=run.skipped)
                    progress(f"{case.slug} N={size}")
    return run


def bench_limit_cap(sizes: list[int]) -> int:
    """How many rows the bench's own requests may ask for: all of N, but on SQLite the API's
    cap. SQLite (3.40) refuses an IN list of about 1,000 values ("Expression tree is too large
    (maximum depth 1000)"), and prefetching the relations of 1,000 rows is such a list."""
    return MAX_LIMIT if connection.vendor == "sqlite" else max([MAX_LIMIT, *sizes])


def fresh_data(scale: Scale, size: int) -> None:
    """Empty the tables and the cache, then build `size` rows of `scale`."""
    # Row by row rather than `flush`: PostgreSQL refuses TRUNCATE inside a transaction with
    # pending constraint checks, which is where the tests run this.
    flush_demo_data()
    User.objects.filter(username=STAFF_USERNAME).delete()
    clear_cache()
    build_data(scale, size)


def _measure_read(case: AnyCase, size: int, *, repeat: int, skipped: list[str]) -> list[Sample]:
    limit = min(size, limit_cap())
    target = case.target(limit)
    if target is None:
        skipped.append(f"{case.slug} at N={size}: the data has no row to show")
        return []
    cookie = _staff_cookie() if case.staff_only else ""
    client = WsgiClient(cookie=cookie)
    # Every surface's tiers in one series, so the page and its JSON are timed in the same rounds.
    urls: dict[tuple[str, str], str] = {}
    for surface in case.surfaces:
        tiers = _tier_urls(case, surface, target, limit=None if case.staff_only else limit)
        if connection.vendor != "postgresql":
            for tier in POSTGRES_ONLY_TIERS & set(tiers):
                del tiers[tier]
                reason = f"{case.slug} {tier}: needs PostgreSQL"
                if reason not in skipped:
                    skipped.append(reason)
        urls.update({(surface, tier): url for tier, url in tiers.items()})
    return _measure_urls(case, size, urls, client, repeat=repeat)


def _tier_urls(
    case: AnyCase, surface: Surface, target: PageTarget, *, limit: int | None
) -> dict[str, str]:
    urls = {
        variant: case.url(surface, variant, target, limit=limit)
        for variant in ("naive", "optimized")
    }
    if case.auto_queries is not None:
        # The naive code with its lazy foreign keys batched (querylab.auto_tier).
        urls["auto"] = urls["naive"]
    if surface == "api":
        query = urls["optimized"].partition("?")[2]
        for tier, name in EXTRA_TIERS.get(case.slug, {}).items():
            urls[tier] = reverse(name) + (f"?{query}" if query else "")
    return urls


def _measure_urls(
    case: AnyCase,
    size: int,
    urls: dict[tuple[str, str], str],
    client: WsgiClient,
    *,
    repeat: int,
) -> list[Sample]:
    """Each (surface, tier)'s URL through the WSGI handler, measured by the lab's engine (warm
    first), all in one series of rounds."""
    names = {f"{surface} {tier}": (surface, tier) for surface, tier in urls}
    tiers = {
        name: _wsgi_tier(
            case,
            client,
            urls[key],
            auto=key[1] == "auto",
            revalidate=key[1] in REVALIDATED_TIERS or (case.revalidate and key[1] != "auto"),
        )
        for name, key in names.items()
    }
    results = measure_tiers(
        tiers,
        repeat=repeat,
        memory=False,
        warm_up=True,
        time_budget_seconds=TIME_BUDGET_SECONDS,
        min_rounds=min(MIN_ROUNDS, repeat),
        clock=Clock(ServerProcesses.find()),
    )
    return [
        Sample.of(
            results[name].passes,
            case=case.slug,
            tier=tier,
            surface=surface,
            size=size,
            url=urls[surface, tier],
            status=results[name].page.status_code,
            queries=len(results[name].queries),
            rows=results[name].page.n or _rendered_rows(case, urls[surface, tier]),
            database_ms=results[name].database_ms,
        )
        for name, (surface, tier) in names.items()
    ]


@dataclass(frozen=True)
class WsgiPage:
    """One response through the WSGI handler, with the N its case view reported."""

    status_code: int
    n: int
    rows: list[Any] = field(default_factory=list)


def _rendered_rows(case: AnyCase, url: str) -> int:
    """The rows of a page no case view served (the admin's changelist, Django's own view), from
    its context, in a request of its own outside the measured ones."""
    staff = User.objects.filter(is_staff=True).first() if case.staff_only else None
    return render_page(url, user=staff).n


def _wsgi_tier(
    case: AnyCase, client: WsgiClient, url: str, *, auto: bool, revalidate: bool = False
) -> Tier[WsgiPage]:
    held = 0
    if revalidate:
        # The client's copy, and its ETag sent back on every measured request.
        with recording() as output:
            client.get(url)
        held = output.n
        etag = client.header("ETag")
        client = WsgiClient(cookie=client.cookie, headers={"If-None-Match": etag} if etag else {})

    def request(keep_body: bool) -> WsgiPage:
        with recording() as output, auto_prefetching() if auto else nullcontext():
            status, body = client.get(url, keep_body=keep_body)
        if status == HTTPStatus.NOT_MODIFIED:
            return WsgiPage(status, held)  # no rows sent: N is the copy's
        if output.reported:
            return WsgiPage(status, output.n)
        # A streamed export reports nothing: its N is its lines.
        return WsgiPage(status, body.count(b"\n"))

    def tier(instrument: Instrument[WsgiPage]) -> Any:
        return instrument(request)

    return tier


def _staff_cookie() -> str:
    # A superuser: the admin's changelist needs the view permission as well as is_staff.
    staff, _ = User.objects.get_or_create(
        username=STAFF_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def _measure_write(case: AnyCase, size: int, *, repeat: int) -> list[Sample]:
    """Write cases in-process, each run inside a transaction rolled back (the lab's harness):
    a write through the handler would change the data the next run measures. A batch holds at
    most MAX_LIMIT rows, as the API allows."""
    measured_pair = measure_case(
        case,
        PageTarget(),
        limit=min(size, MAX_LIMIT),
        repeat=repeat,
        time_budget_seconds=TIME_BUDGET_SECONDS,
        clock=Clock(ServerProcesses.find()),
    )
    return [
        Sample.of(
            measured.passes,
            case=case.slug,
            tier=variant,
            surface="in-process",
            size=size,
            url="",
            status=measured.status_code,
            queries=measured.queries,
            rows=measured.rows,
            database_ms=measured.database_ms,
        )
        for variant, measured in measured_pair.items()
    ]
