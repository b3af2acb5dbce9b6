"""Reports over every published post: the export (NDJSON or CSV, streamed) and the statistics
(from the cache when warm). Public, and mounted per variant by the post-export, stats and
stats-cache cases."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from core.api import APIView
from core.cache_policy import CachePolicy
from core.case_output import report_count
from core.case_views import CaseVariantMixin

from . import exports, schemas, stats
from .conditional import revalidated

CONTENT_TYPES = {"ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


class PostExportAPI(CaseVariantMixin, APIView):
    """`GET /api/v1/posts/export.ndjson` or `.csv`: every published post (drafts stay private),
    streamed; the post-export case mounts it with each of its variants' `Export`."""

    export: exports.Export | None = None
    cache_policy = CachePolicy.PUBLIC
    # One row per line in NDJSON; CSV has the same columns, with a header line.
    response_models = {
        "GET": {
            (200, CONTENT_TYPES["ndjson"]): schemas.PostExportRow,
            (200, "text/csv"): OpenApiTypes.STR,
        }
    }
    query_parameters = {
        "GET": [
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=list(CONTENT_TYPES), description="Format."
            )
        ]
    }

    def get(self, request: Request, fmt: exports.Format) -> HttpResponseBase:
        # The URL pattern admits only the formats: `fmt` is one of exports.Format.
        export: exports.Export = self.variant_code(self.export)
        chunks = exports.encode(export.rows(), fmt)
        headers = {"Content-Disposition": f'attachment; filename="posts.{fmt}"'}
        if export.streaming:
            return StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt], headers=headers)
        return HttpResponse(b"".join(chunks), content_type=CONTENT_TYPES[fmt], headers=headers)


# The stats: computed in Python, in SQL, or served from the cache.


class StatsAPI(CaseVariantMixin, APIView):
    """`GET /api/v1/stats/`: totals, top authors and top tags, from the cache when warm.

    The stats and stats-cache cases mount it with their variants: computed in Python, in SQL,
    or served from the cache.
    """

    cache_policy = CachePolicy.PUBLIC
    response_models = {"GET": {200: schemas.StatsOut}}

    @revalidated
    def get(self, request: Request) -> HttpResponse:
        compute: Callable[[], schemas.StatsOut | stats.CachedStats] = self.variant_code(
            stats.stats_cached
        )
        result = compute()
        if isinstance(result, stats.CachedStats):
            posts, body = result
        else:
            posts, body = result.totals.posts, schemas.STATS.dump_json(result)
        report_count(posts)  # the case's N: the published posts the numbers cover
        return HttpResponse(body, content_type="application/json")
