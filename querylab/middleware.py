"""Query count and database time on every response, for pages the debug toolbar cannot show.

JSON endpoints have no HTML for the toolbar to draw on; these headers put their counts in the
browser's network panel instead. Local settings only: counting costs a little on every query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

from querycheck.sql import QueryTimer


class QueryCountHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = QueryTimer()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(counter.count)
        timing = f'db;dur={counter.seconds * 1000:.2f};desc="{counter.count} queries"'
        existing = response.get("Server-Timing")
        response["Server-Timing"] = f"{existing}, {timing}" if existing else timing
        return response
