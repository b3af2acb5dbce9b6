"""Async JSON endpoints: plain Django async views (DRF's views are sync), Pydantic out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .async_reads import POST_COUNTS, PostCounts


def counts_view(
    count: Callable[[], Awaitable[PostCounts]],
) -> Callable[..., Coroutine[Any, Any, HttpResponse]]:
    """`GET`: the post counts, computed by `count` (gathered or aggregated)."""

    @require_GET
    async def view(request: HttpRequest) -> HttpResponse:
        counts = await count()
        response = HttpResponse(POST_COUNTS.dump_json(counts), content_type="application/json")
        response.case_rows = [None] * counts.posts  # type: ignore[attr-defined]  # the lab's N
        return response

    return view
