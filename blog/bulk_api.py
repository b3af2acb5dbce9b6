"""The write endpoints: bulk imports, publishing and retitling, and the view counter. Each is
public with its optimized service (api_urls.py), and mounted per variant by its write case
(cases.py), so the lab compares exactly the code the public endpoint runs."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse
from rest_framework.permissions import (
    AllowAny,
    IsAuthenticated,
)
from rest_framework.request import Request

from core.api import APIView, json_response, parse_body
from core.case_output import report_rows
from core.case_views import CaseVariantMixin
from core.throttling import WriteRateThrottle

from . import schemas
from .models import Post


class WriteCaseAPIView(CaseVariantMixin, APIView):
    """A write endpoint: public, mounted with `as_view(service=...)`, or one variant of a write
    case, with the service its declaration names."""

    throttle_classes = [WriteRateThrottle]
    service: Callable[..., Any] | None = None

    def run(self, **kwargs: Any) -> Any:
        return self.variant_code(self.service)(**kwargs)


class PostImportAPI(WriteCaseAPIView):
    """`POST /api/v1/posts/import/`: up to 500 drafts by the requester, all or nothing."""

    permission_classes = [IsAuthenticated]
    request_models = {"POST": schemas.PostImportIn}
    response_models = {"POST": {201: schemas.WriteResultOut}}

    def post(self, request: Request) -> HttpResponse:
        data = parse_body(request, schemas.PostImportIn)
        posts = self.run(author=request.user, data=data)
        return _write_result(posts, status=HTTPStatus.CREATED)


class PublishDraftsAPI(WriteCaseAPIView):
    """`POST /api/v1/posts/publish-drafts/`: publish every draft of the requester."""

    permission_classes = [IsAuthenticated]
    response_models = {"POST": {200: schemas.WriteResultOut}}

    def post(self, request: Request) -> HttpResponse:
        return _write_result(self.run(author=request.user))


class RetitleAPI(WriteCaseAPIView):
    """`POST /api/v1/posts/retitle/`: new titles for many of the requester's posts."""

    permission_classes = [IsAuthenticated]
    request_models = {"POST": schemas.PostRetitleIn}
    response_models = {"POST": {200: schemas.WriteResultOut}}

    def post(self, request: Request) -> HttpResponse:
        data = parse_body(request, schemas.PostRetitleIn)
        return _write_result(self.run(author=request.user, data=data))


class ViewCountAPI(WriteCaseAPIView):
    """`POST /api/v1/posts/{slug}/view/`: count one view of a published post."""

    permission_classes = [AllowAny]
    response_models = {"POST": {200: schemas.ViewCountOut}}

    def post(self, request: Request, slug: str) -> HttpResponse:
        return json_response(schemas.VIEW_COUNT, {"view_count": self.run(slug=slug)})


def _write_result(posts: list[Post], *, status: int = HTTPStatus.OK) -> HttpResponse:
    report_rows(posts)
    result = {"count": len(posts), "slugs": [post.slug for post in posts]}
    return json_response(schemas.WRITE_RESULT, result, status=status)
