"""The blog's public reads answer a client that holds an up-to-date copy with a 304, before any
query: the ETag is the content version (blog.content_version), which every write to what these
endpoints show moves on after its commit (blog.signals, and the services whose bulk writes send
no signal; tests/blog/test_conditional.py holds every write path to it).

The tag also names who asks (an author sees their drafts, so their copy is theirs) and the
response's schema (a deploy that changes the shape invalidates every copy). It is coarse: any
write anywhere moves every tag on, so a busy site revalidates more often than it strictly must;
in exchange, no write can be missed, and the check costs one cache read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from pydantic import BaseModel
from rest_framework.request import Request

from core.conditional import (
    Validation,
    answers_if_none_match,
    revalidate_before_rendering,
    schema_fingerprint,
    weak_etag,
)

from .content_version import content_state

GetT = TypeVar("GetT", bound=Callable[..., HttpResponseBase])


def content_etag(request: HttpRequest | Request, schema: type[BaseModel]) -> Validation | None:
    """`W/"<version>-<viewer>-<schema>"`, or None when the cache (which keeps the version) is
    down: then there is no validator, and every request is served in full.

    A change younger than DATABASE_REPLICA_PIN_SECONDS (the time the project allows a replica
    to replay a write, core.replicas) is `recent`: its response is rendered on the primary.
    Older, the replicas have it, and may serve it."""
    state = content_state()
    if state is None:
        return None
    user = request.user
    viewer = user.pk if user is not None and user.is_authenticated else 0
    return Validation(
        etag=weak_etag(state.version, viewer, schema_fingerprint(schema)),
        recent=time.time() - state.changed_at < settings.DATABASE_REPLICA_PIN_SECONDS,
    )


def revalidated(get: GetT) -> GetT:
    """Decorate an API view's `get`: a request whose `If-None-Match` holds the current content
    ETag gets a 304 and runs no query; any other is served in full, tagged. The tag names the
    schema the view declares for its 200."""

    @wraps(get)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return revalidate_before_rendering(
            request,
            lambda: get(view, request, *args, **kwargs),
            validator=lambda: content_etag(request, response_schema(view)),
        )

    return cast("GetT", answers_if_none_match(wrapper))


def response_schema(view: Any) -> type[BaseModel]:
    """The model of a view's 200 to GET: declared in `response_models`, or, for a rows
    endpoint, built from its item model."""
    declared = getattr(view, "response_models", {}).get("GET", {}).get(200)
    if declared is None:
        declared = view.response_model()
    if not (isinstance(declared, type) and issubclass(declared, BaseModel)):
        raise TypeError(f"{type(view).__name__} declares no model for its 200")
    return declared
