"""Thin HTML views: parse the request, call one selector, render.

The case views are mounted twice in urls.py, once per variant, with the selector injected.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_cookie

from core.case_views import CasePageView, InvalidParameterError, parse_limit

from . import async_reads, selectors
from .case_params import CommentedFlagsParams, PostDetailParams, PostPageParams

HOME_POST_COUNT = 20


# Cached for everyone alike for a minute; Vary: Cookie keeps a logged-in visitor's page apart.
@cache_page(60)
@vary_on_cookie
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


class PostDetailView(PostDetailParams, CasePageView):
    template_name = "blog/cases/post_detail.html"


class TagCloudView(CasePageView):
    template_name = "blog/cases/tag_cloud.html"


class CategoryLatestView(CasePageView):
    template_name = "blog/cases/category_latest.html"


class PostCommentedFlagsView(CommentedFlagsParams, CasePageView):
    template_name = "blog/cases/post_commented_flags.html"


class PostTitlesView(CasePageView):
    """Titles and dates: the post-titles and deferred-trap cases share it."""

    template_name = "blog/cases/post_titles.html"


class PostRowsView(CasePageView):
    template_name = "blog/cases/post_rows.html"


class UserDirectoryView(CasePageView):
    template_name = "blog/cases/user_directory.html"


class PostPageView(PostPageParams, CasePageView):
    template_name = "blog/cases/post_page.html"


async def async_feed(request: HttpRequest) -> HttpResponse:
    """The feed rendered from an async view: every row is loaded before the template runs,
    because a lazy load from async code raises SynchronousOnlyOperation."""
    try:
        limit = parse_limit(request.GET)
    except InvalidParameterError as error:
        return render(request, "bad_request.html", {"message": str(error)}, status=400)
    posts = await async_reads.post_feed_async(limit=limit)
    return render(request, "blog/async_feed.html", {"rows": posts})
