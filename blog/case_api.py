"""Endpoints only the cases and the bench mount: serializers compared (drf-nested-serializer)
and the feed as the database builds its JSON (a tier past the ORM). Development only, like every
case route."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpResponse, JsonResponse
from rest_framework.request import Request

from core.api import APIView, ProblemError
from core.case_api import results_model
from core.case_output import report_rows
from core.case_views import CaseVariantMixin
from core.openapi import query_parameters
from core.params import LimitQuery

from . import feed_tiers, schemas


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


class PostFeedDbJsonAPI(APIView):
    """The feed as PostgreSQL builds it (`feed_tiers.post_feed_db_json`): the body is the
    database's JSON, passed through unvalidated. A 404 problem on another database."""

    response_models = {"GET": {200: results_model(schemas.PostFeedOut)}}
    query_parameters = {"GET": query_parameters(LimitQuery)}

    def get(self, request: Request, **url_kwargs: Any) -> HttpResponse:
        limit = LimitQuery.from_query(request.query_params).limit
        try:
            body = feed_tiers.post_feed_db_json(limit=limit)
        except feed_tiers.NeedsPostgreSQLError:
            raise ProblemError(
                HTTPStatus.NOT_FOUND,
                "This endpoint needs PostgreSQL; this server runs another database.",
            ) from None
        return HttpResponse(body, content_type="application/json")
