"""Data of any size for any case (`querylab.datasets`), and the lab's streamed pages, as
fixtures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.signals import template_rendered

from querylab.datasets import build_data
from querylab.registry import Scale


@pytest.fixture
def data_of(db: None) -> Callable[[Scale, int], None]:
    return build_data


@dataclass
class LabPage:
    """A lab page read to its end: its status, its HTML, and the context of every template it
    rendered, merged (the measurements are rendered while the body streams)."""

    status_code: int
    html: str
    context: dict[str, Any] = field(default_factory=dict)
    streamed: bool = False


@pytest.fixture
def lab_page(client: Client) -> Callable[..., LabPage]:
    """GET a lab page through the real URLs and middleware and read its streamed body.

    The test client keeps the contexts of templates rendered during the request only; the lab
    renders its results while the body is sent, so this listens until the body is read."""

    def get(path: str, params: dict[str, Any] | None = None) -> LabPage:
        contexts: dict[str, Any] = {}

        def on_render(sender: Any, template: Any, context: Any, **kwargs: Any) -> None:
            contexts.update(context.flatten())

        template_rendered.connect(on_render, dispatch_uid="lab-page-fixture")
        try:
            # Typed as the client's plain response; the lab's is a StreamingHttpResponse.
            response: Any = client.get(path, params or {})
            streamed = isinstance(response, StreamingHttpResponse)
            body = b"".join(response.streaming_content) if streamed else response.content
        finally:
            template_rendered.disconnect(dispatch_uid="lab-page-fixture")
        return LabPage(response.status_code, body.decode(), contexts, streamed)

    return get
