"""Move the content version on whenever what the cached reads show changes (wired up in
BlogConfig.ready()): blog.content_version.

The stats show published posts (with their authors and tags), comments, users, and the names
of users and tags; the cached feed shows posts with their author, the author's location (the
profile), category, tags and newest comments. Every save and delete of a Post, Comment, User,
Tag, Profile or Category moves the version on, proxies included (the naive admin saves
NaiveAdminPost, whose signals name the proxy, not Post). tests/blog/test_stats_invalidation.py
and tests/blog/test_feed_cache.py enumerate every write path and hold each to this.

Bulk writes send no signals; the services that make them call invalidate_content() themselves.
No m2m_changed receiver on the post-tag relation: every path of the project that changes a post's
tags saves the post too (services, the admin), and a receiver there would cost every
`tags.add()` an extra SELECT (Django skips its one-INSERT fast path when a signal must be sent).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from users.models import Profile, User

from .content_version import invalidate_content
from .models import Category, Comment, Post, Tag

SHOWN = (Post, Comment, User, Tag, Profile, Category)


def content_changed(**_: Any) -> None:
    invalidate_content()


def connect() -> None:
    for model in apps.get_models():
        if model._meta.concrete_model in SHOWN:
            uid = f"content-{model._meta.label}"
            post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
