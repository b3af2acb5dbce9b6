"""Writes for the blog: keyword-only, typed, each in one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.errors import DomainValidationError
from users.models import User

from .models import Category, Comment, Post, Tag
from .schemas import CommentIn, PostIn, PostPatchIn

SLUG_ATTEMPTS = 5


def post_create(*, author: User, data: PostIn) -> Post:
    """Create a post by `author` with a unique slug derived from its title."""
    with transaction.atomic():
        category = _category(data.category)
        tags = _tags(data.tags)
        post = _insert_with_unique_slug(
            Post(
                author=author,
                category=category,
                title=data.title,
                body=data.body,
                status=data.status,
                published_at=timezone.now() if data.status == "published" else None,
            )
        )
        post.tags.set(tags)
    return post


def post_update(*, post: Post, data: PostPatchIn) -> Post:
    """Apply the fields the client sent; the slug stays, so links to the post keep working."""
    changes = data.model_dump(exclude_unset=True)
    with transaction.atomic():
        if "category" in changes:
            post.category = _category(changes.pop("category"))
        tags = changes.pop("tags", None)
        if "status" in changes:
            status = changes.pop("status")
            if status == Post.Status.PUBLISHED and post.published_at is None:
                post.published_at = timezone.now()
            if status == Post.Status.DRAFT:
                post.published_at = None
            post.status = status
        for name, value in changes.items():
            setattr(post, name, value)
        post.save()
        if tags is not None:
            post.tags.set(_tags(tags))
    return post


def post_delete(*, post: Post) -> None:
    post.delete()


def comment_create(*, post: Post, author: User, data: CommentIn) -> Comment:
    return Comment.objects.create(post=post, author=author, body=data.body)


def _category(slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise DomainValidationError(
            "No category has this slug.", loc=("category",), code="unknown_category"
        )
    return category


def _tags(names: Iterable[str]) -> list[Tag]:
    """The tags with these names, creating the missing ones; one name per slug."""
    wanted: dict[str, str] = {}
    for index, name in enumerate(names):
        slug = slugify(name)[:50]
        if not slug:
            raise DomainValidationError(
                "A tag name needs a letter or a digit.", loc=("tags", index), code="invalid_tag"
            )
        wanted.setdefault(slug, name)
    if not wanted:
        return []
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    missing = [Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
    if missing:
        # Another request may create the same tag meanwhile: skip conflicts, then read back.
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    if len(existing) < len(wanted):
        raise DomainValidationError(
            "A tag name is taken by a tag with another slug.", loc=("tags",), code="tag_conflict"
        )
    return [existing[slug] for slug in wanted]


def _insert_with_unique_slug(post: Post) -> Post:
    base = slugify(post.title)[:200] or "post"
    taken = set(Post.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidates = [
        base,
        *(f"{base}-{number}" for number in range(2, len(taken) + 2 + SLUG_ATTEMPTS)),
    ]
    free = [slug for slug in candidates if slug not in taken]
    for slug in free[:SLUG_ATTEMPTS]:
        post.slug = slug
        try:
            # A savepoint per attempt: a concurrent insert of the same slug loses only this try.
            with transaction.atomic():
                post.save(force_insert=True)
        except IntegrityError:
            post.pk = None
            continue
        return post
    raise DomainValidationError(
        "Could not find a free slug for this title; try again.",
        loc=("title",),
        code="slug_conflict",
    )
