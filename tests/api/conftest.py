from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from blog.models import Comment, Post, Tag
from querylab.testing import no_n_plus_one

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


@pytest.fixture(autouse=True)
def _no_n_plus_one_in_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every API request these tests make runs under the N+1 guard, except the naive variants
    (which exist to show the problem) and the lab (which runs them)."""
    original = Client.request

    def guarded(self: Client, **request: Any) -> Any:
        path = request.get("PATH_INFO", "")
        if "/naive/" in path or path.startswith("/lab/"):
            return original(self, **request)
        with no_n_plus_one():
            return original(self, **request)

    monkeypatch.setattr(Client, "request", guarded)
