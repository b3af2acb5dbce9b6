"""Deterministic demo data, written with bulk inserts only.

The same sizes and random seed always produce the same rows (timestamps hang off a fixed epoch,
every choice comes from one seeded `random.Random`), so a benchmark or a bug report can name its
data set by its arguments. Rows are generated and inserted a chunk of posts at a time: memory stays
flat however large the data set, and each chunk costs a handful of INSERTs whatever its size.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from faker import Faker

from users.models import Profile, User

from .content_version import invalidate_content
from .models import Category, Comment, Post, Tag

# Fixed, in the past: data must not depend on the day it was seeded.
SEED_EPOCH = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
PUBLISHED_SHARE = 0.85
POSTS_PER_CHUNK = 500
BATCH_SIZE = 1000

CATEGORY_NAMES = [
    "Databases", "Performance", "Testing", "Python", "Web", "DevOps", "Security", "Architecture",
    "APIs", "Frontend", "Career", "Data", "Tooling", "Async", "Caching", "Deployment",
]  # fmt: skip
TAG_NAMES = [
    "django", "orm", "postgresql", "sqlite", "redis", "pytest", "pydantic", "drf", "asyncio",
    "indexes", "caching", "n-plus-one", "profiling", "migrations", "transactions", "sql",
    "celery", "docker", "typing", "mypy", "ruff", "factories", "fixtures", "benchmarks",
    "pagination", "json", "security", "logging", "monitoring", "gunicorn", "uvicorn", "htmx",
    "templates", "admin", "signals", "queries", "joins", "aggregation", "subqueries", "streaming",
]  # fmt: skip


@dataclass(frozen=True)
class SeedSizes:
    users: int = 50
    posts_per_user: int = 10
    comments_per_post: int = 5
    tags: int = 30
    tags_per_post: int = 3
    categories: int = 8

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value < 0:
                raise ValueError(f"{name} must not be negative")
        if self.tags_per_post > self.tags:
            raise ValueError(f"tags_per_post ({self.tags_per_post}) exceeds tags ({self.tags})")
        if self.users * self.posts_per_user and not self.categories:
            raise ValueError("posts need at least one category")

    @property
    def posts(self) -> int:
        return self.users * self.posts_per_user

    @property
    def rows(self) -> int:
        """Rows to insert, roughly: what the progress bar counts."""
        per_post = 1 + self.comments_per_post + self.tags_per_post
        return 2 * self.users + self.tags + self.categories + self.posts * per_post


@dataclass(frozen=True)
class SeedResult:
    users: int
    posts: int
    published_posts: int
    comments: int
    tags: int
    categories: int


# Told how many rows were just written (tqdm.update fits).
Progress = Callable[[int], object]


def has_demo_data() -> bool:
    """Is there anything `flush_demo_data` would delete?"""
    return (
        Post.objects.exists()
        or Category.objects.exists()
        or Tag.objects.exists()
        or _removable_users().exists()
    )


def _removable_users() -> QuerySet[User]:
    return User.objects.filter(is_staff=False, is_superuser=False)


def flush_demo_data() -> None:
    """Delete all blog rows and every user who is neither staff nor superuser.

    Staff accounts survive so a developer's own admin login outlives a re-seed.
    """
    with transaction.atomic():
        # Children first: each of these is then one DELETE, with nothing left to cascade.
        Comment.objects.all().delete()
        Post.tags.through.objects.all().delete()
        Post.objects.all().delete()
        Tag.objects.all().delete()
        Category.objects.all().delete()
        _removable_users().delete()
        invalidate_content()  # the through rows go in one DELETE, without signals


def seed_demo_data(
    sizes: SeedSizes, *, random_seed: int = 42, progress: Progress | None = None
) -> SeedResult:
    """Insert a demo data set of `sizes`, all or nothing."""
    rng = random.Random(random_seed)  # noqa: S311 - reproducible demo data, not secrets
    fake = Faker("en_US")
    fake.seed_instance(random_seed)
    advance = progress or (lambda _rows: None)

    with transaction.atomic():
        users = _create_users(sizes.users, rng, fake)
        advance(2 * len(users))
        categories = _create_categories(sizes.categories)
        tags = _create_tags(sizes.tags)
        advance(len(categories) + len(tags))

        # Pools drawn from per row: far faster than asking Faker for every title and comment.
        titles = [fake.sentence(nb_words=rng.randint(3, 7)).rstrip(".") for _ in range(300)]
        sentences = [fake.sentence(nb_words=rng.randint(6, 18)) for _ in range(400)]
        paragraphs = [fake.paragraph(nb_sentences=rng.randint(4, 9)) for _ in range(200)]
        post_specs = _post_specs(
            sizes=sizes,
            users=users,
            categories=categories,
            rng=rng,
            titles=titles,
            paragraphs=paragraphs,
        )
        published = comments = 0
        for chunk in _chunks(post_specs, POSTS_PER_CHUNK):
            posts = Post.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            published += sum(post.is_published for post in posts)
            _tag_posts(posts, tags, sizes.tags_per_post, rng)
            comments += _comment_on_posts(posts, users, sizes.comments_per_post, rng, sentences)
            advance(len(posts) * (1 + sizes.comments_per_post + sizes.tags_per_post))
        invalidate_content()  # bulk inserts send no signals

    return SeedResult(
        users=len(users),
        posts=sizes.posts,
        published_posts=published,
        comments=comments,
        tags=len(tags),
        categories=len(categories),
    )


def ensure_demo_login(*, username: str, password: str) -> User:
    """Create or reset the local demo superuser. Never called outside local settings."""
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.com",
            "is_staff": True,
            "is_superuser": True,
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _create_users(count: int, rng: random.Random, fake: Faker) -> list[User]:
    # One hash for everyone: hashing is deliberately slow, and seeded users never log in.
    password = make_password(None)
    users = []
    for index in range(count):
        first, last = fake.first_name(), fake.last_name()
        username = f"{slugify(first)}.{slugify(last)}{index}"[:150]
        users.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.com",
                password=password,
                date_joined=SEED_EPOCH - timedelta(days=rng.randint(400, 1500)),
            )
        )
    users = User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                bio=fake.sentence(nb_words=12),
                website=f"https://{slugify(user.last_name)}.example.com/",
                location=fake.city(),
                avatar_url=f"https://avatars.example.com/{user.username}.png",
            )
            for user in users
        ],
        batch_size=BATCH_SIZE,
    )
    return users


def _create_categories(count: int) -> list[Category]:
    names = _names(CATEGORY_NAMES, count, fallback="Category")
    return Category.objects.bulk_create([Category(name=n, slug=slugify(n)) for n in names])


def _create_tags(count: int) -> list[Tag]:
    names = _names(TAG_NAMES, count, fallback="tag")
    return Tag.objects.bulk_create(
        [Tag(name=n, slug=slugify(n)) for n in names], batch_size=BATCH_SIZE
    )


def _names(vocabulary: Sequence[str], count: int, *, fallback: str) -> list[str]:
    extra = [f"{fallback} {number}" for number in range(len(vocabulary) + 1, count + 1)]
    return [*vocabulary[:count], *extra]


def _post_specs(
    *,
    sizes: SeedSizes,
    users: Sequence[User],
    categories: Sequence[Category],
    rng: random.Random,
    titles: Sequence[str],
    paragraphs: Sequence[str],
) -> Iterator[Post]:
    index = 0
    for author in users:
        for _ in range(sizes.posts_per_user):
            index += 1
            title = rng.choice(titles)
            created_at = SEED_EPOCH - timedelta(minutes=rng.randint(60, 365 * 24 * 60))
            is_published = rng.random() < PUBLISHED_SHARE
            yield Post(
                author=author,
                category=rng.choice(categories),
                title=title,
                slug=f"{slugify(title)[:200]}-{index}",  # the index keeps repeated titles unique
                # A few kilobytes, like a real article: what only()/defer() leave behind.
                body="\n\n".join(rng.choices(paragraphs, k=rng.randint(10, 24))),
                status=Post.Status.PUBLISHED if is_published else Post.Status.DRAFT,
                published_at=(
                    created_at + timedelta(minutes=rng.randint(5, 600)) if is_published else None
                ),
                created_at=created_at,
            )


def _tag_posts(
    posts: Sequence[Post], tags: Sequence[Tag], per_post: int, rng: random.Random
) -> None:
    through = Post.tags.through
    rows = [
        through(post_id=post.pk, tag_id=tag.pk)
        for post in posts
        for tag in rng.sample(tags, per_post)
    ]
    through.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _comment_on_posts(
    posts: Sequence[Post],
    users: Sequence[User],
    per_post: int,
    rng: random.Random,
    sentences: Sequence[str],
) -> int:
    if not users:
        return 0
    comments = []
    for post in posts:
        start = post.published_at or post.created_at
        for _ in range(per_post):
            comments.append(
                Comment(
                    post=post,
                    author=rng.choice(users),
                    body=" ".join(rng.choices(sentences, k=rng.randint(1, 4))),
                    created_at=start + timedelta(minutes=rng.randint(1, 60 * 24 * 30)),
                )
            )
    Comment.objects.bulk_create(comments, batch_size=BATCH_SIZE)
    return len(comments)


def _chunks(items: Iterator[Post], size: int) -> Iterator[list[Post]]:
    while chunk := list(islice(items, size)):
        yield chunk
