"""Conditional GET, two ways: a client that already holds a response sends its ETag back
(`If-None-Match`), and an unchanged resource answers `304 Not Modified` with no body.

- `revalidate_after_rendering`: what Django's ConditionalGetMiddleware does. The view runs in
  full (every query, every row serialized), then the body is hashed into a strong ETag and
  compared. It saves the bytes on the wire, never the work.
- `revalidate_before_rendering`: the validator is computed first, from something cheaper than
  the response (blog.conditional: the content version the cache already keeps); a match
  answers 304 before any query runs. The response is rendered only when the client's copy is
  out of date. If the change the tag names is recent, it is rendered from the primary: rows
  from a replica that has not replayed that change yet would be kept by the client under a tag
  that says they are current (core.replicas).

Both compare with Django's own `get_conditional_response` (RFC 9110: weak comparison for
`If-None-Match`, which takes precedence over `If-Modified-Since`; `If-Match` answered 412), and
both answer a 304 with the ETag a 200 would carry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from typing import Any, Protocol, TypeVar

from django.http import HttpRequest, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import get_conditional_response
from pydantic import BaseModel
from rest_framework.request import Request

from .api import problem_response
from .replicas import pinned_to_primary

Render = Callable[[], HttpResponseBase]


@dataclass(frozen=True)
class Validation:
    """The validator of what the client would get now."""

    etag: str
    # The change it names may not have reached the read replicas yet: render on the primary.
    recent: bool = True


# None when there is no validator to give (the cache that keeps the version is down): every
# request is then rendered in full.
Validator = Callable[[], Validation | None]


class Revalidation(Protocol):
    """How an endpoint answers a GET that may carry a validator."""

    def __call__(
        self, request: HttpRequest | Request, render: Render, *, validator: Validator
    ) -> HttpResponseBase: ...


def revalidate_after_rendering(
    request: HttpRequest | Request, render: Render, *, validator: Validator
) -> HttpResponseBase:
    """Render, then hash the body and compare (ConditionalGetMiddleware's work, done in the
    view so that both variants of a case are measured alike). `validator` goes unused: this
    is the code that has none to ask before rendering.

    Queries: the render's (the feed's 3), 304 or not."""
    response = render()
    answered = ConditionalGetMiddleware(lambda _: response).process_response(request, response)
    return _explained(answered)


def revalidate_before_rendering(
    request: HttpRequest | Request, render: Render, *, validator: Validator
) -> HttpResponseBase:
    """Ask the validator first: 304 on a match, with no query; otherwise render (from the
    primary, when the change is recent) and tag the response.

    Queries: 0 for a 304; the render's otherwise."""
    validation = validator()
    if validation is None:
        return render()
    etag = validation.etag
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:  # 304, or 412 for an If-Match that failed
        answered = _explained(not_modified)
        answered["ETag"] = etag
        return answered
    with pinned_to_primary() if validation.recent else nullcontext():
        response = render()
    if response.status_code == 200:  # an error has no representation to validate
        response["ETag"] = etag
    return response


# Set on a view's `get` that answers If-None-Match (blog.conditional.revalidated, the case's
# view): the OpenAPI document then shows the header and the 304 (core.openapi).
REVALIDATES = "revalidates"


GetT = TypeVar("GetT", bound=Callable[..., Any])


def answers_if_none_match(get: GetT) -> GetT:
    """Mark a view's `get` as one that answers `If-None-Match`."""
    setattr(get, REVALIDATES, True)
    return get


def revalidates(view: object) -> bool:
    return bool(getattr(getattr(view, "get", None), REVALIDATES, False))


def _explained(response: HttpResponseBase) -> HttpResponseBase:
    """Django answers a failed `If-Match` with an empty 412; the API's errors are problem
    documents (core.api), this one too."""
    if response.status_code != HTTPStatus.PRECONDITION_FAILED:
        return response
    return problem_response(
        HTTPStatus.PRECONDITION_FAILED,
        "If-Match names no current version of this resource: fetch it again.",
    )


def weak_etag(*parts: object) -> str:
    """`W/"..."`: weak, because the tag names the content, not the bytes: the same content sent
    gzipped or as Brotli is other bytes, and a strong tag would have to change with them."""
    return 'W/"' + "-".join(str(part) for part in parts) + '"'


@cache
def schema_fingerprint(model: type[BaseModel]) -> str:
    """A short digest of a response schema: in the ETag, so a deploy that changes what a
    response holds (a field added, renamed) never answers 304 to a copy of the old shape."""
    schema = json.dumps(model.model_json_schema(), sort_keys=True).encode()
    return hashlib.sha256(schema).hexdigest()[:10]
