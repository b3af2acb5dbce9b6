"""Async JSON endpoints: plain Django async views (DRF's views are sync), Pydantic out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from pydantic import TypeAdapter

from core.api import problem_response

from .async_reads import POST_COUNTS, PostCounts
from .link_checker import LinkChecker, LinkResult, links_in
from .models import Post


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


async def post_links(request: HttpRequest, slug: str) -> HttpResponse:
    """`GET /api/v1/posts/{slug}/links/` (staff only): check the links in one published post.

    Staff only: the URLs come from a post body, and checking them makes this server fetch them.
    """
    if request.method != "GET":
        return problem_response(405, "Only GET is allowed here.")
    user = await request.auser()
    if not user.is_authenticated:
        return problem_response(401, "Authentication credentials were not provided.")
    if not user.is_staff:
        return problem_response(403, "Only staff may check links.")
    try:
        post = await Post.objects.published().only("body").aget(slug=slug)
    except Post.DoesNotExist:
        return problem_response(404, "No published post has this slug.")
    results = await LinkChecker().check_all(links_in([post.body]))
    return HttpResponse(LINK_RESULTS.dump_json(results), content_type="application/json")


LINK_RESULTS = TypeAdapter(list[LinkResult])
