"""DRF serializers, kept only as the naive side of the drf-nested-serializer case.

The project's endpoints use Pydantic (schemas.py). This is DRF's classic N+1: nested serializers
read each row's relations lazily, and nothing in the serializer says so.
"""

from __future__ import annotations

from rest_framework import serializers

from blog.models import Category, Post
from users.models import User


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
