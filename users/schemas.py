"""Pydantic v2 schemas for the users API: what a directory row and a profile page show."""

from __future__ import annotations

from datetime import datetime

from pydantic import TypeAdapter

from blog.schemas import Out


class LocationOut(Out):
    location: str


class UserDirectoryOut(Out):
    """user-directory and `GET /api/v1/users/`."""

    username: str
    profile: LocationOut
    published_post_count: int
    latest_post_title: str | None


class ProfileOut(Out):
    bio: str
    website: str
    location: str
    avatar_url: str


class UserDetailOut(Out):
    """`GET /api/v1/users/{username}/`."""

    username: str
    first_name: str
    last_name: str
    date_joined: datetime
    profile: ProfileOut
    published_post_count: int
    comment_count: int


USER_DETAIL = TypeAdapter(UserDetailOut)
