"""Chainable, model-local QuerySet methods, composed by the selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from core.query_utils import count_subquery

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

    def with_comment_count(self) -> PostQuerySet:
        """Annotate `comment_count` with a correlated COUNT subquery.

        `annotate(comment_count=Count("comments"))` is the textbook form, but it GROUPs BY every
        selected column of every post before LIMIT applies, and any other join (a tag filter, a
        second Count) multiplies it unless it is distinct. The subquery counts only the rows of
        the page, through the (post, created_at) index, and no join can change it.
        """
        from .models import Comment  # noqa: PLC0415 - models imports this module

        return self.annotate(
            comment_count=count_subquery(Comment.objects.all(), pointing_at="post")
        )


class CommentQuerySet(models.QuerySet["Comment"]):
    def newest_first(self) -> CommentQuerySet:
        return self.order_by("-created_at", "-id")

    def oldest_first(self) -> CommentQuerySet:
        return self.order_by("created_at", "id")
