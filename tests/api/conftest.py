from __future__ import annotations

import json
from typing import Any

from django.test import Client

from blog.models import Comment, Post, Tag

PROBLEM = "application/problem+json"


def send(client: Client, method: str, url: str, body: Any = None, **extra: Any) -> Any:
    """A JSON request: `body` is serialized unless it is already bytes or a str."""
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type="application/json", **extra)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def row_counts() -> dict[str, int]:
    return {
        "posts": Post.objects.count(),
        "tags": Tag.objects.count(),
        "comments": Comment.objects.count(),
        "post_tags": Post.tags.through.objects.count(),
    }
