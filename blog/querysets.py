"""Chainable, model-local QuerySet methods, composed by the selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from .choices import PostStatus

if TYPE_CHECKING:
    from .models import Comment, Post  # noqa: F401 - named in the string generics below


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        return self.filter(status=PostStatus.PUBLISHED)

    def newest_first(self) -> PostQuerySet:
        # The id breaks ties between equal timestamps, so the order (and any cursor built on
        # it) is total; the (status, published_at, id) index serves it.
        return self.order_by("-published_at", "-id")

    def with_author_and_category(self) -> PostQuerySet:
        return self.select_related("author", "category")


class CommentQuerySet(models.QuerySet["Comment"]):
    def newest_first(self) -> CommentQuerySet:
        return self.order_by("-created_at", "-id")

    def oldest_first(self) -> CommentQuerySet:
        return self.order_by("created_at", "id")
