"""Each case page shows, on the page itself, what this request cost.

The debug toolbar shows a page's queries once it is opened; this puts the figures a comparison
needs where they are read first, at the top of the page: the queries this request ran against
the case's formula at this N, total and database time, and what the other variant's formula
gives at the same N. So the naive and the optimized page differ visibly without opening anything.

The innermost middleware (local and test settings): it wraps exactly the view and the rendering
of its template, the work the case's formula counts, and none of the session or toolbar work
around them. The case's template (or the admin's changelist) holds MARKER where the figures go.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from core.case_output import recording
from core.cases import VARIANTS, AnyCase, Variant
from core.formulas import Formula
from querycheck.capture import capture_queries, group_captured

from .measure import shown_rows
from .registry import CASES

# Where a case page's figures go: an HTML comment, so a page served without this middleware
# shows nothing in its place.
MARKER = "<!--case-measurement-->"


@dataclass(frozen=True)
class PageCost:
    """What one request of a case page cost, beside what the case's formulas say."""

    case: AnyCase
    variant: Variant
    n: int
    queries: int
    shapes: int
    repeated_shapes: int
    total_ms: float
    database_ms: float

    @property
    def formula(self) -> Formula:
        return self.case.formula(self.variant)

    @property
    def expected(self) -> int:
        return self.formula.at(self.n)

    @property
    def other_formula(self) -> Formula:
        return self.case.formula(self.other_variant)

    @property
    def other_variant(self) -> Variant:
        return "optimized" if self.variant == "naive" else "naive"

    @property
    def other_expected(self) -> int:
        return self.other_formula.at(self.n)


@cache
def case_pages() -> dict[str, tuple[AnyCase, Variant]]:
    """Every case page's URL name (its view name once resolved), with its case and variant."""
    return {
        case.url_name("page", variant): (case, variant)
        for case in CASES
        if case.has_page
        for variant in VARIANTS
    }


class CasePageMeasurementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        found = _case_page(request) if request.method == "GET" else None
        if found is None:
            return self.get_response(request)
        case, variant = found
        user = getattr(request, "user", None)
        if user is not None:
            # The session and the user load first, outside the count: a case's formulas count
            # what its view and template run, as the lab does, whoever is logged in.
            user.is_authenticated  # noqa: B018 - evaluated for its side effect
        me = threading.current_thread().name
        started = time.perf_counter()
        with recording() as output, capture_queries() as captured:
            response = self.get_response(request)
        total_ms = (time.perf_counter() - started) * 1000
        if not isinstance(response, HttpResponse):  # streamed: nothing to write into
            return response
        charset = response.charset or "utf-8"
        content = response.content.decode(charset)
        if MARKER not in content:
            return response
        # Only this request's thread: a threaded development server runs others meanwhile.
        mine = [query for query in captured.queries if query.thread == me]
        shapes = group_captured(mine)
        cost = PageCost(
            case=case,
            variant=variant,
            n=shown_rows(response, output)[1],
            queries=len(mine),
            shapes=len(shapes),
            repeated_shapes=sum(1 for shape in shapes if shape.count > 1),
            total_ms=total_ms,
            database_ms=sum(query.seconds for query in mine) * 1000,
        )
        figures = render_to_string(
            "querylab/_page_cost.html",
            {"cost": cost, "lab_url": _lab_url(case, cost.n)},
            request=request,
        )
        response.content = content.replace(MARKER, figures, 1).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


def _case_page(request: HttpRequest) -> tuple[AnyCase, Variant] | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return case_pages().get(match.view_name)


def _lab_url(case: AnyCase, n: int) -> str | None:
    try:
        return reverse("querylab:case", kwargs={"slug": case.slug}) + f"?n={max(n, 1)}"
    except NoReverseMatch:
        return None
