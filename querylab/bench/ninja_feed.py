"""The feed served by django-ninja, the framework a team would pick for Pydantic at the edge:
the bench measures it beside the project's own endpoint on the same rows (the optimized feed's
queryset) and the same schema (`PostFeedOut` in `{"results": [...]}`).

A development dependency, mounted only by the bench's URLconf (querylab.bench.urls). Written
as ninja's documentation writes an endpoint: the response schema declared, the queryset
returned, ninja validating it and writing the JSON with its default renderer.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI

from blog.schemas import PostFeedOut
from blog.selectors import post_feed_optimized
from core.case_api import results_model
from core.case_output import report_rows
from core.params import limit_cap

api = NinjaAPI(urls_namespace="bench-ninja", docs_url=None, openapi_url=None)
FeedPage = results_model(PostFeedOut)


@api.get("/feed/", response=FeedPage, url_name="feed")
def feed(request: HttpRequest, limit: int = 20) -> Any:
    rows = list(post_feed_optimized(limit=max(1, min(limit, limit_cap()))))
    report_rows(rows)  # the N the bench reads (core.case_output), as the project's views do
    return {"results": rows}
