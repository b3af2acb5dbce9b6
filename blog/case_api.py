"""Endpoints only the cases and the bench mount: serializers compared (drf-nested-serializer),
the feed's tiers past the ORM, and the feed revalidated (conditional-get). Development only,
like every case route."""

from __future__ import annotations

from http import HTTPStatus

import orjson
from django.http import HttpResponse, HttpResponseBase, JsonResponse
from rest_framework.request import Request

from core.api import APIView, ProblemError, json_response
from core.cache_policy import CachePolicy
from core.case_api import adapter_for, results_model
from core.case_output import report_count, report_rows
from core.case_views import CaseVariantMixin
from core.conditional import Revalidation, answers_if_none_match
from core.openapi import query_parameters
from core.params import LimitQuery

from . import feed_cache, feed_tiers, schemas, selectors
from .conditional import content_etag

FEED_LIST = results_model(schemas.PostFeedOut)


class SerializedPostListAPI(CaseVariantMixin, APIView):
    """drf-nested-serializer: `{"results": [...]}` from rows its variant has already serialized,
    by DRF's nested serializers (naive) or by the Pydantic schema (optimized)."""

    response_models = {"GET": {200: results_model(schemas.PostListItemOut)}}
    query_parameters = {"GET": query_parameters(LimitQuery)}

    def get(self, request: Request) -> HttpResponse:
        limit = LimitQuery.from_query(request.query_params).limit
        rows = self.variant_code()(limit=limit)
        report_rows(rows)
        return JsonResponse({"results": rows})


class FeedTierAPI(APIView):
    """A rung of the feed's ladder past the ORM: `?limit=` in, the optimized feed's JSON out,
    made by `body()`."""

    cache_policy = CachePolicy.PUBLIC
    response_models = {"GET": {200: results_model(schemas.PostFeedOut)}}
    query_parameters = {"GET": query_parameters(LimitQuery)}

    def get(self, request: Request) -> HttpResponse:
        limit = LimitQuery.from_query(request.query_params).limit
        return HttpResponse(self.body(limit), content_type="application/json")

    def body(self, limit: int) -> bytes:
        raise NotImplementedError


class PostFeedDbJsonAPI(FeedTierAPI):
    """The feed as PostgreSQL builds it (`feed_tiers.post_feed_db_json_rows`): the body is the
    database's JSON, passed through unvalidated. A 404 problem on another database."""

    def body(self, limit: int) -> bytes:
        try:
            rows = feed_tiers.post_feed_db_json_rows(limit=limit)
        except feed_tiers.NeedsPostgreSQLError:
            raise ProblemError(
                HTTPStatus.NOT_FOUND,
                "This endpoint needs PostgreSQL; this server runs another database.",
            ) from None
        report_rows(rows)
        return b'{"results":[' + ",".join(rows).encode() + b"]}"


class PostFeedCachedAPI(FeedTierAPI):
    """The feed's bytes from the cache (`feed_cache.post_feed_cached`), invalidated by the
    content version: a warm request runs no query."""

    def body(self, limit: int) -> bytes:
        cached = feed_cache.post_feed_cached(limit=limit)
        report_count(cached.rows)
        return cached.body


class PostFeedValuesAPI(FeedTierAPI):
    """The feed from values() rows (`feed_tiers.post_feed_values`), validated and written by the
    TypedDict schema (`schemas.FEED_ROWS`): no model instance anywhere."""

    def body(self, limit: int) -> bytes:
        rows = feed_tiers.post_feed_values(limit=limit)
        report_rows(rows)
        return schemas.FEED_ROWS.dump_json(schemas.FEED_ROWS.validate_python({"results": rows}))


class PostFeedValuesOrjsonAPI(FeedTierAPI):
    """The same values() rows written by orjson, unvalidated: the shape is whatever the selector
    built, so a test holds its bytes to the schema's (tests/api/test_feed_tiers.py)."""

    def body(self, limit: int) -> bytes:
        rows = feed_tiers.post_feed_values(limit=limit)
        report_rows(rows)
        # OPT_UTC_Z: a UTC timestamp ends in `Z`, as Pydantic writes it.
        return orjson.dumps({"results": rows}, option=orjson.OPT_UTC_Z)


class ConditionalFeedAPI(CaseVariantMixin, APIView):
    """conditional-get: the optimized feed (three queries), answering a client that sends its
    copy's ETag back; the variants differ only in when they compare it (core.conditional)."""

    cache_policy = CachePolicy.PUBLIC
    response_models = {"GET": {200: FEED_LIST}}
    query_parameters = {"GET": query_parameters(LimitQuery)}

    @answers_if_none_match
    def get(self, request: Request) -> HttpResponseBase:
        limit = LimitQuery.from_query(request.query_params).limit
        revalidate: Revalidation = self.variant_code()
        return revalidate(
            request,
            lambda: self.feed(limit),
            validator=lambda: content_etag(request, FEED_LIST),
        )

    def feed(self, limit: int) -> HttpResponse:
        rows = list(selectors.post_feed_optimized(limit=limit))
        report_rows(rows)
        return json_response(adapter_for(FEED_LIST), {"results": rows})
