"""A URLconf for tests/api/test_error_contract.py: the project's URLs and error handlers, plus
views that fail the ways a request can fail outside a view's own error handling."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from pydantic import BaseModel, TypeAdapter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns
from core.api import APIView, json_response

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bug(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, with details that must not reach the client")


def missing_table(request: HttpRequest) -> HttpResponse:
    """A real database error that is a bug, not an outage."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_here")
    return HttpResponse()


def statement_timeout(request: HttpRequest) -> HttpResponse:
    """A real PostgreSQL OperationalError: the server cancels a statement past its timeout.
    (In a savepoint, so the test's own transaction survives it, as a request's would.)"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(1)")
    return HttpResponse()


class CountOut(BaseModel):
    count: int


class BrokenResponseAPI(APIView):
    """Builds its answer wrong two ways a queryset can: a count left None, a model built by
    hand with a field missing. Neither is the client's fault."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> HttpResponse:
        return json_response(TypeAdapter(CountOut), {"count": None})

    def post(self, request: Request) -> HttpResponse:
        return json_response(TypeAdapter(CountOut), CountOut.model_validate({}))


urlpatterns = [
    path("api/v1/test-broken-response/", BrokenResponseAPI.as_view()),
    path("api/v1/test-bug/", bug),
    path("test-bug/", bug),
    path("api/v1/test-missing-table/", missing_table),
    path("api/v1/test-statement-timeout/", statement_timeout),
    path("test-statement-timeout/", statement_timeout),
    *project_urlpatterns,
]
