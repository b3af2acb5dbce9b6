"""The blog domain: categories, tags, posts and comments.

No `Meta.ordering` anywhere: a default order silently adds ORDER BY (and sometimes a join) to
every query, including counts and prefetches. Querysets order explicitly where order matters.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .choices import PostStatus
from .querysets import CommentQuerySet, PostQuerySet


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    # Not columns: attributes some selectors set, by annotation, Prefetch(to_attr=...) or a loop.
    post_count: int
    latest_posts: list[Post]

    class Meta:
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    # Not a column: set by the selectors and admin that count a tag's posts.
    post_count: int

    def __str__(self) -> str:
        return self.name


CHARACTERS_PER_MINUTE = 1_000  # about 200 words a minute, at five letters and a space a word


def reading_minutes(characters: int) -> int:
    """Minutes to read a text of this many characters: at least one."""
    return max(1, -(-characters // CHARACTERS_PER_MINUTE))


class Post(models.Model):
    Status = PostStatus

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    # PROTECT: deleting a category must not silently delete its posts.
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    # Several kilobytes in the demo data: what `only()` / `defer()` avoid fetching in lists.
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    # Incremented with F() in one UPDATE (services.post_view_optimized), never read-modify-write.
    view_count = models.PositiveIntegerField(default=0, editable=False)

    objects = PostQuerySet.as_manager()

    # Not columns: attributes some selectors set, by annotation, Prefetch(to_attr=...) or a loop.
    # Reading one on a post from a selector that did not set it raises AttributeError.
    comment_count: int
    recent_comments: list[Comment]
    tag_list: list[Tag]
    comment_list: list[Comment]
    viewer_commented: bool
    author_name: str
    body_length: int
    latest_comment_body: str | None
    latest_comment_author: str | None
    latest_comment_at: datetime | None

    class Meta:
        indexes = [
            # The published feed: WHERE status = 'published' ORDER BY published_at DESC, id DESC.
            models.Index(
                fields=["status", "-published_at", "-id"], name="post_status_published_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="post_published_has_published_at",
                violation_error_message="A published post needs a publication date.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="post_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:post-detail", kwargs={"slug": self.slug})

    @property
    def reading_time_minutes(self) -> int:
        """Convenient on one post whose body is loaded; a trap on a list that deferred the body:
        each read loads it with a query of its own (see blog.schemas.PostReadingOut)."""
        return reading_minutes(len(self.body))

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class NaiveAdminPost(Post):
    """The same rows as Post, registered with the deliberately naive admin of the
    admin-changelist case, so both changelists can be opened side by side."""

    class Meta:
        proxy = True
        verbose_name = "post (naive admin)"
        verbose_name_plural = "posts (naive admin)"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        indexes = [
            # A post's comments in order, and the newest few per post for the feed.
            models.Index(fields=["post", "created_at"], name="comment_post_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on post {self.post_id}"
