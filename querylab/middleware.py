"""Query count and database time on every response, for pages the debug toolbar cannot show.

JSON endpoints have no HTML for the toolbar to draw on; these headers put their counts in the
browser's network panel instead. Local settings only: counting costs a little on every query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse

from querycheck.capture import capture_queries

from .toolbar import is_lab_request


class QueryCountHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_lab_request(request):
            # The lab measures its own passes; capturing them again would slow what it times.
            return self.get_response(request)
        # The same capture as the lab's count pass, kept to this request's own thread: a
        # threaded development server runs other requests meanwhile.
        me = threading.current_thread().name
        with capture_queries() as captured:
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            # Its queries run while the body is sent, after these headers: a count here would
            # be a false 0, so a streamed response carries none.
            return response
        mine = [query for query in captured.queries if query.thread == me]
        count, milliseconds = len(mine), sum(query.seconds for query in mine) * 1000
        response["X-Query-Count"] = str(count)
        timing = f'db;dur={milliseconds:.2f};desc="{count} queries"'
        existing = response.get("Server-Timing")
        response["Server-Timing"] = f"{existing}, {timing}" if existing else timing
        return response
