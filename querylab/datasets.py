"""Data of any size for any case: what N counts is the case's `scale`.

The tests build it at several sizes to prove a count flat or growing; `bench` builds it at the
sizes it measures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import F

from blog.demo_data import SeedSizes, seed_demo_data
from blog.models import Category, Comment, Post, Tag
from users.models import Profile, User

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


# Data that tells a right answer from a wrong one.
#
# The sized datasets above exist for the query formulas: every post published, four comments by
# distinct people, two tags. On them a wrong filter or a missing tie-breaker returns the same
# rows as a right one. A DatasetSpec describes rows with what the cases' filters and orders
# exist for: drafts beside published posts (with tags and comments of their own), posts and
# users with no related rows at all, equal timestamps, a category with more posts than its slice,
# an inactive author, a viewer who commented on some posts but not all. `build_dataset` writes
# one; DISCRIMINATING is a hand-made one, and the tests generate others with Hypothesis.

DATASET_EPOCH = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class PostSpec:
    author: int  # an index into the users
    category: int
    published: int | None  # minutes after DATASET_EPOCH; None for a draft
    tags: tuple[int, ...] = ()
    body_length: int = 2_000


@dataclass(frozen=True)
class CommentSpec:
    post: int
    author: int
    minute: int  # minutes after DATASET_EPOCH; equal minutes are ties


@dataclass(frozen=True)
class DatasetSpec:
    users: int
    categories: int
    tags: int
    posts: tuple[PostSpec, ...]
    comments: tuple[CommentSpec, ...] = ()
    inactive_users: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Dataset:
    spec: DatasetSpec
    users: list[User]
    categories: list[Category]
    tags: list[Tag]
    posts: list[Post]
    comments: list[Comment]


def build_dataset(spec: DatasetSpec) -> Dataset:
    """Write the rows `spec` describes, with bulk inserts (a dozen queries whatever its size).

    Names sort in index order (`user-00`, `category-00`, ...), so an oracle computed from the
    spec can order rows as the database does.
    """
    unusable = make_password(None)  # these never log in
    users = User.objects.bulk_create(
        [
            User(
                username=f"user-{index:02}",
                email=f"user-{index:02}@example.com",
                is_active=index not in spec.inactive_users,
                password=unusable,
            )
            for index in range(spec.users)
        ]
    )
    Profile.objects.bulk_create(
        [Profile(user=user, location=f"City {index}") for index, user in enumerate(users)]
    )
    categories = Category.objects.bulk_create(
        [Category(name=f"Category {i:02}", slug=f"category-{i:02}") for i in range(spec.categories)]
    )
    tags = Tag.objects.bulk_create(
        [Tag(name=f"tag-{i:02}", slug=f"tag-{i:02}") for i in range(spec.tags)]
    )
    posts = Post.objects.bulk_create(
        [
            Post(
                author=users[post.author],
                category=categories[post.category],
                title=f"Post {index:02}",
                slug=f"post-{index:02}",
                body="b" * post.body_length,
                status=Post.Status.DRAFT if post.published is None else Post.Status.PUBLISHED,
                published_at=(
                    None
                    if post.published is None
                    else DATASET_EPOCH + timedelta(minutes=post.published)
                ),
                created_at=DATASET_EPOCH - timedelta(days=1),
            )
            for index, post in enumerate(spec.posts)
        ]
    )
    through = Post.tags.through
    through.objects.bulk_create(
        [
            through(post_id=posts[index].pk, tag_id=tags[tag].pk)
            for index, post in enumerate(spec.posts)
            for tag in sorted(set(post.tags))
        ]
    )
    comments = Comment.objects.bulk_create(
        [
            Comment(
                post=posts[comment.post],
                author=users[comment.author],
                body=f"Comment {index:02}",
                created_at=DATASET_EPOCH + timedelta(minutes=comment.minute),
            )
            for index, comment in enumerate(spec.comments)
        ]
    )
    return Dataset(spec, users, categories, tags, posts, comments)


def _published(minute: int, author: int, category: int, *tags: int) -> PostSpec:
    return PostSpec(author=author, category=category, published=minute, tags=tags)


def _draft(author: int, category: int, *tags: int) -> PostSpec:
    return PostSpec(author=author, category=category, published=None, tags=tags)


# Users: 0 and 1 write and comment a lot; 2 is inactive; 3 has only drafts; 4 has written and
# commented nothing. Category 0 holds more published posts than a category shows (five); 2 holds
# only a draft; 3 is empty. Tag 2 is on drafts only; tag 4 on nothing. Minutes 30 and 60 are
# each shared by three posts, and 90 by a published post and nothing else.
DISCRIMINATING = DatasetSpec(
    users=5,
    categories=4,
    tags=5,
    inactive_users=frozenset({2}),
    posts=(
        _published(60, 0, 0, 0, 1),  # 0
        _published(60, 1, 0, 0),  # 1
        _published(60, 0, 0),  # 2: no tags, no comments
        _published(30, 1, 0, 1, 3),  # 3
        _published(30, 2, 0, 3),  # 4: by the inactive user
        _published(30, 0, 0),  # 5
        _published(10, 1, 0, 0),  # 6
        _published(90, 1, 1, 1),  # 7: the newest
        _published(5, 0, 1),  # 8: the oldest
        _draft(3, 2, 0, 2),  # 9: a draft with tags and comments
        _draft(0, 0, 2),  # 10: a draft in the busy category
        _draft(1, 1, 0),  # 11
    ),
    comments=(
        CommentSpec(post=0, author=0, minute=61),
        CommentSpec(post=0, author=1, minute=62),
        CommentSpec(post=0, author=1, minute=62),  # a tie
        CommentSpec(post=0, author=3, minute=63),
        CommentSpec(post=0, author=0, minute=64),  # post 0: five, more than the feed's three
        CommentSpec(post=1, author=1, minute=70),
        CommentSpec(post=3, author=0, minute=31),
        CommentSpec(post=3, author=2, minute=32),
        CommentSpec(post=3, author=1, minute=32),  # a tie for post 3's newest comment
        CommentSpec(post=7, author=3, minute=95),
        CommentSpec(post=8, author=1, minute=6),
        CommentSpec(post=9, author=0, minute=1),  # on a draft
        CommentSpec(post=9, author=1, minute=2),  # on a draft
        CommentSpec(post=11, author=0, minute=3),  # on a draft
    ),
)
