"""Data of any size for any case: what N counts is the case's `scale`.

The tests build it at several sizes to prove a count flat or growing; `bench` builds it at the
sizes it measures.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F

from blog.demo_data import SeedSizes, seed_demo_data
from blog.models import Post

from .registry import Scale

# Every post gets four comments (the feed shows three) and two tags, by distinct people, so a
# lazy load per row is a query per row and the formulas hold exactly.
SIZES_FOR: dict[Scale, Callable[[int], SeedSizes]] = {
    "posts": lambda n: SeedSizes(
        users=n, posts_per_user=1, comments_per_post=4, tags=6, tags_per_post=2, categories=3
    ),
    "users": lambda n: SeedSizes(
        users=n, posts_per_user=2, comments_per_post=1, tags=3, tags_per_post=1, categories=2
    ),
    "tags": lambda n: SeedSizes(
        users=4, posts_per_user=3, comments_per_post=1, tags=n, tags_per_post=1, categories=2
    ),
    "categories": lambda n: SeedSizes(
        users=4, posts_per_user=5, comments_per_post=1, tags=3, tags_per_post=1, categories=n
    ),
    "comments": lambda n: SeedSizes(
        users=3, posts_per_user=1, comments_per_post=n, tags=3, tags_per_post=2, categories=2
    ),
}


def build_data(scale: Scale, n: int) -> None:
    """Seed data where N rows of `scale` exist, every post published."""
    seed_demo_data(SIZES_FOR[scale](n), random_seed=n)
    Post.objects.filter(status=Post.Status.DRAFT).update(
        status=Post.Status.PUBLISHED, published_at=F("created_at")
    )
