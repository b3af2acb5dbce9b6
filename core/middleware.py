"""Refuse requests whose path or query string holds a NUL character, before any view runs.

PostgreSQL cannot store or even compare text containing NUL: a `?tag=%00` that reaches a query
raises a database error, a 500. No legitimate client sends one, so the whole site answers 400.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from .api import problem_response

NUL = "\x00"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in query.getlist(key)) for key in query
        ):
            detail = "The URL contains a NUL character."
            if request.path.startswith("/api/"):
                return problem_response(400, detail)
            return HttpResponseBadRequest(detail, content_type="text/plain")
        return self.get_response(request)
