"""The lab: the catalogue of cases, `cases.json`, and one page per case running both variants."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.cases import Surface
from core.params import DEFAULT_LIMIT, MAX_LIMIT, InvalidParameterError, QueryParams, whole_number
from core.replicas import pinned_to_primary

from .charts import Bar, bar_chart
from .latency_proxy import database_latency, latency_refused
from .measure import Measurement, measure_case
from .registry import CASES, CASES_BY_SLUG, SURFACES, VARIANTS, AnyCase, PageTarget

# What one lab page may cost. A variant runs a few passes (count, memory, timing), each its
# formula's queries at N: N is capped so that no pass of either variant exceeds the query budget,
# and the timed passes stop once the time budget is spent. Together they keep a page to seconds
# (the naive feed at N = 500 would be 4,501 queries a pass).
LAB_QUERY_BUDGET = 1_000
LAB_TIME_BUDGET_SECONDS = 1.5
# Where the measured results go in a case's lab page, which is streamed around them.
RESULTS_SLOT = "<!--lab-results-->"


def lab_n_cap(case: AnyCase) -> int:
    """The largest N at which each variant's formula stays within LAB_QUERY_BUDGET."""
    caps = [
        (LAB_QUERY_BUDGET - formula.constant) // formula.per_n
        for formula in (case.formula(variant) for variant in VARIANTS)
        if formula.per_n
    ]
    return max(1, min([MAX_LIMIT, *caps]))


def case_urls(case: AnyCase, target: PageTarget | None) -> dict[str, dict[str, str | None]]:
    """Each variant's page (and, once it exists, API) URL for the current data."""
    return {
        variant: {
            surface: (
                case.url(surface, variant, target, limit=None)
                if surface in case.surfaces and target is not None
                else None
            )
            for surface in SURFACES
        }
        for variant in VARIANTS
    }


def cases_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "cases": [
                {
                    "slug": case.slug,
                    "title": case.title,
                    "app": case.app,
                    "kind": case.kind,
                    "techniques": list(case.techniques),
                    "queries": {
                        "naive": case.naive_queries.text,
                        "optimized": case.optimized_queries.text,
                    },
                    "grows_with_n": case.grows_with_n,
                    "urls": case_urls(case, case.target(DEFAULT_LIMIT)),
                }
                for case in CASES
            ]
        }
    )


def index(request: HttpRequest) -> HttpResponse:
    entries = [_entry(case) for case in CASES]
    return render(request, "querylab/index.html", {"entries": entries})


def _entry(case: AnyCase) -> dict[str, Any]:
    return {"case": case, "urls": case_urls(case, case.target(DEFAULT_LIMIT))}


# Round trips the lab can put between Django and PostgreSQL (querylab.latency_proxy): loopback,
# a database in the same zone, another zone, another region. 5 ms keeps a naive pass of the
# lab's query budget to seconds.
LAB_LATENCIES_MS: tuple[float, ...] = (0, 0.5, 1, 5)


class LabQuery(QueryParams):
    n: Annotated[int, whole_number(1, MAX_LIMIT)] = DEFAULT_LIMIT  # rows for both variants
    via: Surface | None = None
    latency: float = 0  # ms a round trip to the database, one of LAB_LATENCIES_MS


def _lab_latency(query: LabQuery) -> float:
    """The round trip asked for, when this database can be put across a network."""
    if query.latency not in LAB_LATENCIES_MS:
        choices = ", ".join(f"{ms:g}" for ms in LAB_LATENCIES_MS)
        raise InvalidParameterError(f"latency must be one of: {choices} (milliseconds)")
    refused = latency_refused() if query.latency else None
    if refused:
        raise InvalidParameterError(refused)
    return query.latency


def case_lab(request: HttpRequest, slug: str) -> HttpResponseBase:
    case = CASES_BY_SLUG.get(slug)
    if case is None:
        raise Http404(f"No case {slug!r}.")
    query = LabQuery.from_query(request.GET)  # a bad one: 400 (core.middleware)
    asked = query.n
    cap = lab_n_cap(case)
    n = min(asked, cap)

    latency = _lab_latency(query)
    surfaces = case.surfaces
    via = query.via or surfaces[0]
    if via not in surfaces:
        raise InvalidParameterError(f"via must be one of: {', '.join(surfaces)}")
    context: dict[str, Any] = {
        "case": case,
        "n": n,
        "n_asked": asked,
        "n_cap": cap,
        "n_capped": case.sized_by_limit and asked > cap,
        "asked_queries": max(case.formula(variant).at(asked) for variant in VARIANTS),
        "query_budget": LAB_QUERY_BUDGET,
        "time_budget": LAB_TIME_BUDGET_SECONDS,
        "via": via,
        "surfaces": surfaces,
        "latency": latency,
        "latencies": () if latency_refused() else LAB_LATENCIES_MS,
        "sources": _sources(case),
        "results_slot": RESULTS_SLOT,
    }
    if case.staff_only and not (request.user.is_authenticated and request.user.is_staff):
        return render(request, "querylab/case.html", {**context, "needs_staff": True}, status=403)
    target = case.target(n)
    if target is None:
        return render(request, "querylab/case.html", {**context, "no_data": True})
    user = request.user if case.staff_only else None
    return StreamingHttpResponse(
        _streamed_case_page(request, case, target, context, n=n, via=via, user=user),
        content_type="text/html; charset=utf-8",
    )


def _streamed_case_page(
    request: HttpRequest,
    case: AnyCase,
    target: PageTarget,
    context: dict[str, Any],
    *,
    n: int,
    via: Surface,
    user: Any,
) -> Iterator[str]:
    """The page up to its results, sent at once with a note that the measurement runs; then the
    results, once measured; then the rest. A browser draws the first part while the passes run
    (seconds for a large N), and the note is hidden by CSS once the results arrive."""
    page = render_to_string("querylab/case.html", {**context, "measuring": True}, request)
    before, after = page.split(RESULTS_SLOT, 1)
    yield before
    with _across_network(context["latency"]) as round_trip:
        measured = measure_case(
            case,
            target,
            limit=n,
            surface=via,
            user=user,
            time_budget_seconds=LAB_TIME_BUDGET_SECONDS,
            auto=True,
        )
    naive, optimized = measured["naive"], measured["optimized"]
    # The auto tier, where the case has one, between the two: the naive code, batched.
    columns = tuple(measured[tier] for tier in ("naive", "auto", "optimized") if tier in measured)
    results = {
        **context,
        "measurements": (naive, optimized),
        "columns": columns,
        "auto": measured.get("auto"),
        "ratios": _ratios(naive, optimized),
        "chart": mark_safe(_chart(case, columns)),  # noqa: S308 - built with escape()
        "round_trip_ms": round_trip,
    }
    yield render_to_string("querylab/_case_results.html", results, request)
    yield after


@contextmanager
def _across_network(latency: float) -> Iterator[float | None]:
    """The database through the latency proxy for the block, with its measured round trip; or
    as it is (None)."""
    if not latency:
        yield None
        return
    # Pinned: with read replicas configured, the reads would otherwise leave the slowed
    # connection for a replica's (core/replicas.py).
    with database_latency(latency) as round_trip, pinned_to_primary():
        yield round_trip


def _sources(case: AnyCase) -> list[tuple[str, str]]:
    return [
        (variant, "\n\n".join(inspect.getsource(code) for code in case.code_for(variant)))
        for variant in VARIANTS
    ]


def _ratio(naive: float, optimized: float) -> str:
    return f"{naive / optimized:.1f}x" if optimized else "n/a"


def _ratios(naive: Measurement, optimized: Measurement) -> dict[str, str]:
    return {
        "queries": _ratio(naive.queries, optimized.queries),
        "total_ms": _ratio(naive.total_ms, optimized.total_ms),
        "row_bytes": _ratio(naive.row_bytes, optimized.row_bytes),
        "peak_memory_bytes": _ratio(naive.peak_memory_bytes, optimized.peak_memory_bytes),
    }


def _chart(case: AnyCase, pair: tuple[Measurement, ...]) -> str:
    return bar_chart(
        [
            (
                "Queries",
                [Bar(m.variant, m.variant, m.queries, f"{m.queries}") for m in pair],
            ),
            (
                "Total time (median)",
                [Bar(m.variant, m.variant, m.total_ms, f"{m.total_ms:.1f} ms") for m in pair],
            ),
            (
                "Database time",
                [Bar(m.variant, m.variant, m.database_ms, f"{m.database_ms:.1f} ms") for m in pair],
            ),
            (
                "Peak Python memory",
                [
                    Bar(m.variant, m.variant, m.peak_memory_bytes, f"{m.peak_memory_bytes:,} bytes")
                    for m in pair
                ],
            ),
            (
                "Column data in the rows",
                [Bar(m.variant, m.variant, m.row_bytes, f"{m.row_bytes:,} bytes") for m in pair],
            ),
        ],
        title=f"{case.title}: naive against optimized",
    )
