"""Strict loading for a whole development server: every request runs under `strict_loading()`,
so a lazy relation or deferred-field load is an error page naming the relation, the line and the
fix, the moment a page does it.

    MIDDLEWARE = [..., "querycheck.middleware.StrictLoadingMiddleware"]
    # Paths that load lazily on purpose (a page that shows an N+1, the admin's change forms).
    QUERYCHECK_STRICT_LOADING_EXEMPT_PATHS = ["/naive/", "/admin/"]

A development tool, like the debug toolbar: it belongs in local settings, never production.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .relations import strict_loading

__all__ = ["StrictLoadingMiddleware"]


class StrictLoadingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        exempt = getattr(settings, "QUERYCHECK_STRICT_LOADING_EXEMPT_PATHS", ())
        if any(part in request.path for part in exempt):
            return self.get_response(request)
        with strict_loading():
            return self.get_response(request)
