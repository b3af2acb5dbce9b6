"""Query count and database time on every response, for pages the debug toolbar cannot show.

JSON endpoints have no HTML for the toolbar to draw on; these headers put their counts in the
browser's network panel instead. Local settings only: counting costs a little on every query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _QueryCounter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(counter.count)
        response["Server-Timing"] = (
            f'db;dur={counter.seconds * 1000:.2f};desc="{counter.count} queries"'
        )
        return response


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started
