"""DRF serializers, kept only as the naive side of the drf-nested-serializer case.

The project's endpoints use Pydantic (schemas.py). This is DRF's classic N+1: nested serializers
read each row's relations lazily, and nothing in the serializer says so.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from blog.models import Category, Post
from users.models import User

from .schemas import POST_LIST_ITEMS
from .selectors import post_list_naive, post_list_optimized


class AuthorSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["username"]


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["name", "slug"]


class NestedPostSerializer(serializers.ModelSerializer[Post]):
    author = AuthorSerializer()
    category = CategorySerializer()

    class Meta:
        model = Post
        fields = ["id", "title", "slug", "published_at", "author", "category"]


def post_list_drf_nested(*, limit: int) -> list[dict[str, Any]]:
    """The naive side: nested serializers over a queryset that joins nothing, so `.data` reads
    each row's author and category lazily. Queries: 1 + 2N."""
    rows = NestedPostSerializer(post_list_naive(limit=limit), many=True).data
    return [dict(row) for row in rows]


def post_list_pydantic(*, limit: int) -> list[dict[str, Any]]:
    """The optimized side: the Pydantic schema over the joined queryset. Queries: 1."""
    items = POST_LIST_ITEMS.validate_python(post_list_optimized(limit=limit), from_attributes=True)
    rows: list[dict[str, Any]] = POST_LIST_ITEMS.dump_python(items, mode="json", by_alias=True)
    return rows
