"""Move the stats on whenever what they count changes (wired up in BlogConfig.ready()).

The stats show published posts (with their authors and tags), comments, users, and the names
of users and tags: every save and delete of a Post, Comment, User or Tag moves them on, proxies
included (the naive admin saves NaiveAdminPost, whose signals name the proxy, not Post).
tests/blog/test_stats_invalidation.py enumerates every write path and holds each to this.

Bulk writes send no signals; the services that make them call invalidate_stats() themselves.
No m2m_changed receiver on the post-tag relation: every path of the project that changes a post's
tags saves the post too (services, the admin), and a receiver there would cost every
`tags.add()` an extra SELECT (Django skips its one-INSERT fast path when a signal must be sent).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from users.models import User

from .models import Comment, Post, Tag
from .stats import invalidate_stats

COUNTED = (Post, Comment, User, Tag)


def stats_changed(**_: Any) -> None:
    invalidate_stats()


def connect() -> None:
    for model in apps.get_models():
        if model._meta.concrete_model in COUNTED:
            post_save.connect(stats_changed, sender=model, dispatch_uid=f"stats-save-{model}")
            post_delete.connect(stats_changed, sender=model, dispatch_uid=f"stats-delete-{model}")
