"""Reads for users alone (what joins users to posts lives in blog.authors)."""

from __future__ import annotations

from .models import User


def user_me(*, pk: int) -> User:
    """Your own account with its profile. Queries: 1."""
    return User.objects.select_related("profile").get(pk=pk)
