"""Thin HTML views: parse the request, call one selector, render.

The case views are mounted twice in urls.py, once per variant, with the selector injected.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.case_views import CasePageView, InvalidParameterError, int_parameter, parse_limit

from . import selectors

HOME_POST_COUNT = 20


def home(request: HttpRequest) -> HttpResponse:
    posts = selectors.post_list_recent(limit=HOME_POST_COUNT)
    return render(request, "blog/home.html", {"posts": posts})


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.post_detail_optimized(slug=slug, limit=None)
    return render(request, "blog/post_detail.html", {"post": post, "rows": post.comment_list})


class PostListView(CasePageView):
    template_name = "blog/cases/post_list.html"


class PostFeedView(CasePageView):
    template_name = "blog/cases/post_feed.html"


class PostDetailView(CasePageView):
    """N is the number of comments shown: `?limit=` caps them, like rows elsewhere."""

    template_name = "blog/cases/post_detail.html"

    def rows(self, result: Any) -> Any:
        return result.comment_list


class TagCloudView(CasePageView):
    template_name = "blog/cases/tag_cloud.html"


class CategoryLatestView(CasePageView):
    template_name = "blog/cases/category_latest.html"


class PostCommentedFlagsView(CasePageView):
    """Flags for `?viewer=<user id>`, or for the logged-in user when that is absent."""

    template_name = "blog/cases/post_commented_flags.html"

    def selector_kwargs(self, request: HttpRequest, **url_kwargs: Any) -> dict[str, Any]:
        if "viewer" in request.GET or not request.user.is_authenticated:
            maximum = 2**63 - 1  # the largest BigAutoField
            viewer_id = int_parameter(request.GET, "viewer", default=0, minimum=1, maximum=maximum)
            if not viewer_id:
                raise InvalidParameterError("viewer is required: pass ?viewer=<user id> or log in")
        else:
            viewer_id = request.user.pk
        return {"limit": parse_limit(request.GET), "viewer_id": viewer_id}


class PostTitlesView(CasePageView):
    """Titles and dates: the post-titles and deferred-trap cases share it."""

    template_name = "blog/cases/post_titles.html"


class PostRowsView(CasePageView):
    template_name = "blog/cases/post_rows.html"


class PostPageView(CasePageView):
    """`?page=N` positions the OFFSET variant, `?after=<cursor>` the keyset one."""

    template_name = "blog/cases/post_page.html"

    def selector_kwargs(self, request: HttpRequest, **url_kwargs: Any) -> dict[str, Any]:
        after = request.GET.get("after")
        try:
            cursor = selectors.PostCursor.parse(after) if after else None
        except ValueError:
            raise InvalidParameterError(
                "after must be a cursor from a next link: <ISO timestamp with zone>,<id>"
            ) from None
        page = int_parameter(request.GET, "page", default=1, minimum=1, maximum=1_000_000)
        limit = parse_limit(request.GET)
        return {"request": selectors.PageRequest(limit=limit, page=page, after=cursor)}

    def rows(self, result: Any) -> Any:
        return result.rows
