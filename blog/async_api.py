"""Async JSON endpoints: adrf's APIView runs an `async def` handler behind DRF's own
authentication, permissions, throttles and error handling, so these answer exactly like every
other endpoint (problem documents, token or session login, 405 with `Allow`) and appear in the
OpenAPI document. Pydantic reads and writes the bodies, as everywhere."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus

from django.http import HttpResponse
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request

from core.api import AsyncAPIView, ProblemError, json_response
from core.case_output import report_count
from core.case_views import CaseVariantMixin

from .link_checker import LinkChecker, links_in
from .models import Post
from .schemas import LINK_RESULTS, POST_COUNTS, LinkResultListOut, PostCounts


class PostCountsAPI(CaseVariantMixin, AsyncAPIView):
    """`GET`: the post counts, gathered (naive) or aggregated (optimized): the async-gather
    case mounts it once per variant."""

    response_models = {"GET": {200: PostCounts}}

    async def get(self, request: Request) -> HttpResponse:
        count: Callable[[], Awaitable[PostCounts]] = self.variant_code()
        counts = await count()
        report_count(counts.posts)  # the case's N: the posts counted
        return json_response(POST_COUNTS, counts)


class PostLinksAPI(AsyncAPIView):
    """`GET /api/v1/posts/{slug}/links/` (staff only): check the links in one published post.

    Staff only: the URLs come from a post body, and checking them makes this server fetch them.
    """

    permission_classes = [IsAdminUser]
    response_models = {"GET": {200: LinkResultListOut}}

    async def get(self, request: Request, slug: str) -> HttpResponse:
        try:
            post = await Post.objects.published().only("body").aget(slug=slug)
        except Post.DoesNotExist:
            raise ProblemError(HTTPStatus.NOT_FOUND, "No published post has this slug.") from None
        results = await LinkChecker().check_all(links_in([post.body]))
        return json_response(LINK_RESULTS, results)
