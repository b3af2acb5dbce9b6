"""Bad input stopped at the edge, as a 400.

RejectNulMiddleware refuses requests whose path or query string holds a NUL character, before
any view runs: PostgreSQL cannot store or even compare text containing NUL, so a `?tag=%00` that
reached a query would raise a database error, a 500. No legitimate client sends one.

BadParameterMiddleware is where a bad query parameter (core.params.InvalidParameterError) from
a plain Django view becomes a 400: the bad-request page, or a problem document under /api/. DRF
views get the same from core.api's exception handler.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from .api import problem_response
from .params import InvalidParameterError

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


def bad_parameter_response(request: HttpRequest, error: InvalidParameterError) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(400, str(error))
    return render(request, "bad_request.html", {"message": str(error)}, status=400)


class BadParameterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InvalidParameterError):
            return bad_parameter_response(request, exception)
        return None
