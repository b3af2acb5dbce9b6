"""Thin HTML views: parse the request, call one selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors

HOME_POST_COUNT = 20


def home(request: HttpRequest) -> HttpResponse:
    posts = selectors.post_list_recent(limit=HOME_POST_COUNT)
    return render(request, "blog/home.html", {"posts": posts})


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.post_get_published(slug=slug)
    return render(request, "blog/post_detail.html", {"post": post})
