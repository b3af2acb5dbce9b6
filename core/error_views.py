"""Django's own error pages (400, 403, 404, 500, CSRF), with one rule added: under `/api/` they
are problem documents like every other API error, and a database that cannot be reached is a 503
with `Retry-After` rather than a 500.

Django calls these for what happens outside a view's own error handling: a `Host` header outside
`ALLOWED_HOSTS` (400), a CSRF failure in a plain Django view (403), an exception that escaped a
view or a middleware (500). Under DEBUG Django shows its technical pages instead of the 500 one.
"""

from __future__ import annotations

import sqlite3
import sys
from http import HTTPStatus

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import csrf, defaults

from .api import problem_response

API_PREFIX = "/api/"
# How long a client should wait before trying again once the database is unreachable: about
# what a restart or a failover takes.
RETRY_AFTER_SECONDS = 5


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


# SQLite raises OperationalError for mistakes in the SQL too ("no such table"): a bug, a 500.
SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk I/O error")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` means the database could not be reached or could not answer now: a
    refused or lost connection, a pool with no connection to lend, a server shutting down, a
    statement cancelled by its timeout, a locked SQLite file. Django raises these as
    OperationalError (InterfaceError for a connection already closed)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.__cause__, sqlite3.Error):
        return any(message in str(error.__cause__) for message in SQLITE_UNAVAILABLE)
    return True


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problem_response(HTTPStatus.BAD_REQUEST, "The request could not be understood.")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problem_response(HTTPStatus.FORBIDDEN, "You may not do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problem_response(HTTPStatus.NOT_FOUND, "There is nothing at this address.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """A bug, or the database out of reach. Django calls this inside its `except` block, so the
    exception that escaped is still the one `sys.exc_info()` holds."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    if is_api(request):
        return problem_response(HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong here.")
    return defaults.server_error(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with `Retry-After`: the request changed nothing (its transaction, if any, was rolled
    back with the connection), and the same request later should succeed."""
    detail = "The database cannot be reached just now; try again shortly."
    response: HttpResponse
    if is_api(request):
        response = problem_response(HTTPStatus.SERVICE_UNAVAILABLE, detail)
    else:
        # Rendered without the request: context processors could reach for the database.
        body = loader.render_to_string("503.html", {"detail": detail})
        response = HttpResponse(body, status=HTTPStatus.SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the reason is Django's own wording, never the client's input."""
    if is_api(request):
        return problem_response(HTTPStatus.FORBIDDEN, f"CSRF verification failed: {reason}")
    return csrf.csrf_failure(request, reason)
