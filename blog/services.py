"""Writes for the blog: keyword-only, typed, each in one transaction, all or nothing."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from core.errors import (
    DomainConflictError,
    DomainValidationError,
    is_foreign_key_violation,
    violated_constraint,
)
from users.models import User

from .content_version import invalidate_content
from .models import Category, Comment, Post, Tag
from .notifications import notify_author_of_comment
from .schemas import CommentIn, PostImportIn, PostIn, PostPatchIn, PostRetitleIn

SLUG_ATTEMPTS = 5
# A slug's random suffix once concurrent writers contend for the same one: 8 hex digits.
CONTENDED_SUFFIX_BYTES = 4
WriteT = TypeVar("WriteT")


def post_create(*, author: User, data: PostIn) -> Post:
    """Create a post by `author` with a unique slug derived from its title."""

    def create(contended: bool) -> Post:
        post = Post(
            author=author,
            category=_category(data.category),
            title=data.title,
            body=data.body,
            status=data.status,
            published_at=timezone.now() if data.status == "published" else None,
            slug=allocate_slugs([data.title], contended=contended)[0],
        )
        tags = _tags(data.tags)
        post.save(force_insert=True)
        post.tags.set(tags)
        return post

    return with_free_slugs(create)


def with_free_slugs(write: Callable[[bool], WriteT]) -> WriteT:
    """Run `write` in a transaction of its own, again when a concurrent request took a slug it
    chose between its read of the taken slugs and its INSERT.

    The first attempt numbers a taken slug (`title-2`); once a conflict has shown that others
    are writing the same titles right now, the next attempts pick a random suffix instead
    (`title-k3x9q2mw`): every contender choosing the next number would collide again, one winner
    a round. A row this write points at that was deleted meanwhile (its category) is a 409, as
    is the rare write still in conflict after SLUG_ATTEMPTS; never a 500.

    A transaction per attempt, not a savepoint per INSERT: a savepoint would add two queries to
    every write, and a failed statement on PostgreSQL spoils the whole transaction anyway.
    """
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                return write(attempt > 0)
        except IntegrityError as error:
            if is_foreign_key_violation(error):
                raise DomainConflictError(
                    "Something this request refers to was deleted meanwhile; try again.",
                    loc=("category",),
                    code="deleted_meanwhile",
                ) from None
            if not violated_constraint(error).startswith(("blog_post_slug", "blog_post.slug")):
                raise
    raise DomainConflictError(
        "Posts with this title are being written right now; try again.",
        loc=("title",),
        code="slug_conflict",
    )


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
    """Save the comment; mail the post's author once it has committed. Queries: 1.

    Raises Http404 when the post was deleted after it was looked up (the foreign key refuses
    the row), as if the comment had arrived a moment later.
    """
    try:
        comment = Comment.objects.create(post=post, author=author, body=data.body)
    except IntegrityError as error:
        if is_foreign_key_violation(error):
            raise Http404("No published post has this slug.") from None
        raise
    transaction.on_commit(partial(notify_author_of_comment, comment.pk))
    return comment


# post-import: many posts at once, all or nothing.


def post_import_naive(*, author: User, data: PostImportIn) -> list[Post]:
    """One post at a time: look up its category, find a free slug, save it, then get-or-create
    and add each tag. Queries: 7N with two existing tags a row (per row: category, slug check,
    INSERT, and a get_or_create and an add per tag)."""

    def write(contended: bool) -> list[Post]:
        posts = []
        for index, row in enumerate(data.posts):
            category = Category.objects.filter(slug=row.category).first()
            if category is None:
                raise _unknown_category(index)
            post = Post(author=author, category=category, title=row.title, body=row.body)
            post.slug = allocate_slugs([row.title], contended=contended)[0]
            post.save()
            for name in row.tags:
                slug = _tag_slug(name, index)
                try:
                    tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
                except IntegrityError:
                    raise _tag_conflict(index) from None
                post.tags.add(tag)
            posts.append(post)
        return posts

    return with_free_slugs(write)


def post_import_optimized(*, author: User, data: PostImportIn) -> list[Post]:
    """Everything in a few statements, whatever the batch size: the categories in one query,
    the tags in one (plus one INSERT for missing ones), the free slugs in one, the posts in one
    INSERT and their tags in another. Queries: 5 with existing tags (SQLite splits an INSERT
    every 999 parameters, about 99 posts)."""

    def write(contended: bool) -> list[Post]:
        wanted = {row.category for row in data.posts}
        categories = {c.slug: c for c in Category.objects.filter(slug__in=wanted)}
        for index, row in enumerate(data.posts):
            if row.category not in categories:
                raise _unknown_category(index)
            for name in row.tags:
                _tag_slug(name, index)
        tags = {tag.slug: tag for tag in _tags(name for row in data.posts for name in row.tags)}
        slugs = allocate_slugs([row.title for row in data.posts], contended=contended)
        posts = Post.objects.bulk_create(
            [
                Post(
                    author=author,
                    category=categories[row.category],
                    title=row.title,
                    body=row.body,
                    slug=slug,
                )
                for row, slug in zip(data.posts, slugs, strict=True)
            ]
        )
        through = Post.tags.through
        through.objects.bulk_create(
            [
                through(post_id=post.pk, tag_id=tags[slugify(name)[:50]].pk)
                for post, row in zip(posts, data.posts, strict=True)
                for name in dict.fromkeys(row.tags)
            ]
        )
        # No invalidate_content(): imported posts are drafts, which the stats do not count
        # (tests/blog/test_stats_invalidation.py holds the import to that).
        return posts

    return with_free_slugs(write)


# bulk-publish: one change to many rows.


def post_publish_drafts_naive(*, author: User) -> list[Post]:
    """Load every draft and save each one. Queries: 1 + N."""
    now = timezone.now()
    drafts = list(Post.objects.filter(author=author, status=Post.Status.DRAFT).order_by("id"))
    for post in drafts:
        post.status = Post.Status.PUBLISHED
        post.published_at = now
        post.save()
    return drafts


def post_publish_drafts_optimized(*, author: User) -> list[Post]:
    """One UPDATE for all of them (and one SELECT to say which). Queries: 2."""
    now = timezone.now()
    drafts = Post.objects.filter(author=author, status=Post.Status.DRAFT)
    published = list(drafts.order_by("id").only("id", "slug"))
    drafts.update(status=Post.Status.PUBLISHED, published_at=now)
    invalidate_content()  # update() sends no signals
    return published


# bulk-update: a different new value for each row.


def post_retitle_naive(*, author: User, data: PostRetitleIn) -> list[Post]:
    """Load the posts, then save each with its new title. Queries: 1 + N."""
    with transaction.atomic():
        posts = _own_posts(author, data)
        for post, row in zip(posts, data.posts, strict=True):
            post.title = row.title
            post.save()
    return posts


def post_retitle_optimized(*, author: User, data: PostRetitleIn) -> list[Post]:
    """Load the posts, then one bulk_update: a single UPDATE with a CASE per row.
    Queries: 2."""
    with transaction.atomic():
        posts = _own_posts(author, data)
        for post, row in zip(posts, data.posts, strict=True):
            post.title = row.title
        Post.objects.bulk_update(posts, ["title"])
        invalidate_content()  # bulk_update() sends no signals; the cached feed shows titles
    return posts


# The view counter: read-modify-write loses concurrent increments; F() cannot.


def post_view_naive(*, slug: str) -> int:
    """Read the count, add one in Python, write it back. Two requests that read the same value
    both write value + 1: one view is lost. Queries: 2. Raises Http404."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    post.view_count += 1
    post.save(update_fields=["view_count"])
    return post.view_count


def post_view_optimized(*, slug: str) -> int:
    """Let the database add one: UPDATE ... SET view_count = view_count + 1 is atomic per row,
    whatever else runs at the same time. Queries: 2. Raises Http404."""
    published = Post.objects.published().filter(slug=slug)
    if not published.update(view_count=F("view_count") + 1):
        raise Http404("No published post has this slug.")
    return published.values_list("view_count", flat=True).get()


def _own_posts(author: User, data: PostRetitleIn) -> list[Post]:
    """The requested posts in request order; every one must be the author's."""
    slugs = [row.slug for row in data.posts]
    found = {post.slug: post for post in Post.objects.filter(author=author, slug__in=slugs)}
    for index, slug in enumerate(slugs):
        if slug not in found:
            raise DomainValidationError(
                "No post of yours has this slug.", loc=("posts", index, "slug"), code="not_found"
            )
    if len(set(slugs)) != len(slugs):
        raise DomainValidationError("A post is listed twice.", loc=("posts",), code="duplicate")
    return [found[slug] for slug in slugs]


def _unknown_category(index: int) -> DomainValidationError:
    return DomainValidationError(
        "No category has this slug.", loc=("posts", index, "category"), code="unknown_category"
    )


def _tag_conflict(index: int) -> DomainValidationError:
    return DomainValidationError(
        "A tag name is taken by a tag with another slug.",
        loc=("posts", index, "tags"),
        code="tag_conflict",
    )


def _tag_slug(name: str, index: int) -> str:
    slug = slugify(name)[:50]
    if not slug:
        raise DomainValidationError(
            "A tag name needs a letter or a digit.",
            loc=("posts", index, "tags"),
            code="invalid_tag",
        )
    return slug


def allocate_slugs(titles: list[str], *, contended: bool = False) -> list[str]:
    """A free slug per title, in order, with one query for all of them: the title's slug, or
    the first of `-2`, `-3`, ... that no post and no earlier title in the list has taken.

    `contended`: others are taking these slugs right now (see `with_free_slugs`), so a taken
    one gets a random suffix rather than the next number, which they would all choose.
    """
    bases = [slugify(title)[:200] or "post" for title in titles]
    starts = Q()
    for base in set(bases):
        starts |= Q(slug__startswith=base)
    taken = set(Post.objects.filter(starts).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, number = base, 1
        while slug in taken:
            number += 1
            suffix = secrets.token_hex(CONTENDED_SUFFIX_BYTES) if contended else number
            slug = f"{base}-{suffix}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


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
