"""Data for the write cases, made fresh inside the transaction each measurement rolls back.

A setup creates what its write needs for a batch of N (a user, N drafts, a category and tags...),
says how to send the request, and how to read back what the write changed, so the tests can
compare the naive and optimized results.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from core.cases import WriteSetup
from users.models import User

from .models import Category, Post, Tag

LAB_CATEGORY = "lab-imports"
LAB_TAGS = ("django", "orm")


def _lab_user() -> User:
    return User.objects.create_user(username=f"lab-{secrets.token_hex(6)}")


def _category() -> Category:
    category, _ = Category.objects.get_or_create(slug=LAB_CATEGORY, defaults={"name": "Lab"})
    return category


def _posts(author: User, n: int, *, published: bool) -> list[Post]:
    now = timezone.now()
    category = _category()
    return Post.objects.bulk_create(
        Post(
            author=author,
            category=category,
            title=f"Lab post {index}",
            slug=f"{author.username}-{index}",
            body="A body.",
            status=Post.Status.PUBLISHED if published else Post.Status.DRAFT,
            published_at=now if published else None,
        )
        for index in range(n)
    )


def post_import(n: int) -> WriteSetup:
    """N new posts, each with the two (existing) lab tags."""
    user = _lab_user()
    _category()
    for name in LAB_TAGS:
        Tag.objects.get_or_create(slug=name, defaults={"name": name})
    rows = [
        {
            "title": f"Imported post {i}",
            "body": "Imported.",
            "tags": list(LAB_TAGS),
            "category": LAB_CATEGORY,
        }
        for i in range(n)
    ]

    def outcome() -> Any:
        posts = Post.objects.filter(author=user).order_by("slug")
        return [
            (post.title, post.slug, post.status, sorted(tag.slug for tag in post.tags.all()))
            for post in posts.prefetch_related("tags")
        ]

    return WriteSetup(user=user, body={"posts": rows}, outcome=outcome)


def bulk_publish(n: int) -> WriteSetup:
    """A user with N drafts to publish."""
    user = _lab_user()
    _posts(user, n, published=False)

    def outcome() -> Any:
        rows = Post.objects.filter(author=user).order_by("title")
        return [(p.title, p.status, p.published_at is not None) for p in rows]

    return WriteSetup(user=user, outcome=outcome)


def bulk_update(n: int) -> WriteSetup:
    """A user with N posts, each to get its own new title."""
    user = _lab_user()
    posts = _posts(user, n, published=True)
    body = {"posts": [{"slug": p.slug, "title": f"Retitled {i}"} for i, p in enumerate(posts)]}

    def outcome() -> Any:
        return sorted(Post.objects.filter(author=user).values_list("title", flat=True))

    return WriteSetup(user=user, body=body, outcome=outcome)


def view_counter(n: int) -> WriteSetup:
    """One published post to count a view of (N plays no part: the count is per request)."""
    user = _lab_user()
    (post,) = _posts(user, 1, published=True)

    def outcome() -> Any:
        return Post.objects.values_list("view_count", flat=True).get(pk=post.pk)

    return WriteSetup(user=user, kwargs={"slug": post.slug}, outcome=outcome)
