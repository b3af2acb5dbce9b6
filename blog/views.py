"""Thin HTML views: parse the request, call one selector, render.

The cases' pages are not here: core.case_views.CasePageView serves every one of them, from its
declaration in cases.py.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_cookie

from core.params import LimitQuery

from . import async_reads, selectors

HOME_POST_COUNT = 20


# Cached for everyone alike for a minute (settings.HOME_PAGE_CACHE_SECONDS; 0 under `make run`,
# where the toolbar should show the page's queries); Vary: Cookie keeps a logged-in visitor's
# page apart.
@cache_page(settings.HOME_PAGE_CACHE_SECONDS)
@vary_on_cookie
def home(request: HttpRequest) -> HttpResponse:
    posts = selectors.post_list_recent(limit=HOME_POST_COUNT)
    return render(request, "blog/home.html", {"posts": posts})


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.post_detail_optimized(slug=slug, limit=None)
    return render(request, "blog/post_detail.html", {"post": post, "rows": post.comment_list})


async def async_feed(request: HttpRequest) -> HttpResponse:
    """The feed rendered from an async view: every row is loaded before the template runs,
    because a lazy load from async code raises SynchronousOnlyOperation."""
    limit = LimitQuery.from_query(request.GET).limit  # a bad one: 400 (core.middleware)
    posts = await async_reads.post_feed_async(limit=limit)
    return render(request, "blog/async_feed.html", {"rows": posts})
