"""Who may keep a copy of an API response: the `Cache-Control` and `Vary` every endpoint sends,
declared once per view (`cache_policy = CachePolicy.PUBLIC`) and applied as the response leaves
the view, errors included.

- `PUBLIC`: the same bytes for every anonymous client, so a browser, a proxy or a CDN may keep
  them: `public, no-cache` (keep it, but ask before each use; the ETag makes the asking a 304
  that costs no query, blog/conditional.py). Asked by a signed-in client, the same endpoint may
  show more (an author sees their drafts): `private, no-cache`, kept by that browser only.
- `PRIVATE`: depends on who asks, always: `private, no-cache`.
- `NO_STORE`: nobody keeps it, not even the browser's history: the account endpoints, which
  answer with an email address and, in time, tokens.

Only a successful read (GET or HEAD answered 200, or 304) is ever kept. A write, and any error
(a 404 now may be a post in a minute; a 429 must not outlive its window), is `no-store`.

`Vary: Authorization, Cookie` on every policy: a shared cache keys a kept copy by those headers,
so an anonymous copy is never served to a signed-in client, nor one client's to another.
"""

from __future__ import annotations

from enum import Enum
from http import HTTPStatus
from typing import Any, TypeVar

from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response

KEPT_STATUSES = frozenset({HTTPStatus.OK, HTTPStatus.NOT_MODIFIED})
READ_METHODS = frozenset({"GET", "HEAD"})
VARY = ("Authorization", "Cookie")
ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


class CachePolicy(Enum):
    PUBLIC = "public"
    PRIVATE = "private"
    NO_STORE = "no-store"


def cache_control(
    policy: CachePolicy, *, method: str, status: int, authenticated: bool
) -> dict[str, bool]:
    """The Cache-Control directives for one response, as `patch_cache_control` takes them."""
    if policy is CachePolicy.NO_STORE or method not in READ_METHODS or status not in KEPT_STATUSES:
        return {"no_store": True}
    if policy is CachePolicy.PUBLIC and not authenticated:
        return {"public": True, "no_cache": True}
    return {"private": True, "no_cache": True}


def apply_cache_policy(policy: CachePolicy, request: Request, response: ResponseT) -> ResponseT:
    # The user is read only for a successful read: authentication has run and succeeded then
    # (a failed one is an error response, whose policy needs no user).
    kept = request.method in READ_METHODS and response.status_code in KEPT_STATUSES
    authenticated = kept and bool(request.user and request.user.is_authenticated)
    directives = cache_control(
        policy,
        method=request.method or "",
        status=response.status_code,
        authenticated=authenticated,
    )
    if "Cache-Control" in response:
        del response["Cache-Control"]  # one policy, not a merge with what DRF or a view set
    patch_cache_control(response, **directives)
    patch_vary_headers(response, VARY)
    return response


class CachePolicyMixin:
    """The API views' side: `cache_policy` is applied to every response the view returns. The
    default is `PRIVATE`: an endpoint is shared only where it says so."""

    cache_policy: CachePolicy = CachePolicy.PRIVATE

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        finalized: Response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        return apply_cache_policy(self.cache_policy, request, finalized)
