"""The user behind an API request, typed as this project's User."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.request import Request

from .models import User


def requesting_user(request: Request) -> User:
    """The logged-in user of a view that requires one (`IsAuthenticated`, or a write under
    `IsAuthenticatedOrReadOnly`), typed as the project's User rather than `User | AnonymousUser`."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated  # unreachable behind those permissions; never a 500
    return user
