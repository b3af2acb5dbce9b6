"""The blog's JSON API: thin DRF views that validate with Pydantic, call one selector or service,
and answer with Pydantic. Errors leave as problem documents (core.api)."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseBase, JsonResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from pydantic import TypeAdapter
from rest_framework.permissions import (
    SAFE_METHODS,
    AllowAny,
    BasePermission,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.request import Request

from core.api import APIView, ProblemError, json_response, parse_body
from core.case_api import RowsAPIView, results_model
from core.case_output import report_count, report_rows
from core.case_views import CaseVariantMixin
from core.openapi import ResponseModels, query_parameters, slug_links
from core.params import LimitQuery
from core.throttling import WriteRateThrottle
from users.api import SignUpAPI
from users.auth import requesting_user

from . import authors, exports, feed_tiers, pagination, schemas, selectors, services, stats
from .models import Post
from .params import FeedQuery

COMMENTS_PAGE = TypeAdapter(schemas.CommentListOut)


# Public endpoints.


class IsAuthorOrReadOnly(BasePermission):
    message = "Only the author may change or delete this post."

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method in SAFE_METHODS or obj.author_id == request.user.pk


class PostCollectionAPI(APIView):
    """`GET /api/v1/posts/`: the published feed, filtered, in keyset pages.
    `POST`: create a post; the author is the requesting user."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    throttle_classes = [WriteRateThrottle]
    query_parameters = {"GET": query_parameters(FeedQuery)}
    request_models = {"POST": schemas.PostIn}
    response_models = {
        "GET": {200: schemas.FeedPageOut},
        "POST": {201: schemas.PostDetailOut},
    }
    response_links = {
        ("POST", "201"): slug_links(
            "v1_posts_by_slug_get",
            "v1_posts_by_slug_patch",
            "v1_posts_by_slug_delete",
            "v1_posts_by_slug_comments_get",
            "v1_posts_by_slug_comments_post",
        )
    }

    def get(self, request: Request) -> HttpResponse:
        query = FeedQuery.from_query(request.query_params)
        filters = selectors.FeedFilters(tag=query.tag, author=query.author, category=query.category)
        position = query.cursor or pagination.FeedPosition()
        page = selectors.post_feed_page(limit=query.limit, filters=filters, position=position)
        return json_response(
            schemas.FEED_PAGE,
            {
                "results": page.rows,
                "next": self._link(request, page.next, backwards=False),
                "previous": self._link(request, page.previous, backwards=True),
            },
        )

    def _link(
        self, request: Request, cursor: pagination.PostCursor | None, *, backwards: bool
    ) -> str | None:
        if cursor is None:
            return None
        params = {k: v for k, v in request.query_params.items() if k != "cursor"}
        params["cursor"] = pagination.encode_cursor(cursor, backwards=backwards)
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    def post(self, request: Request) -> HttpResponse:
        data = parse_body(request, schemas.PostIn)
        post = services.post_create(author=requesting_user(request), data=data)
        detail = selectors.post_get(slug=post.slug, viewer_id=request.user.pk)
        return json_response(schemas.POST_DETAIL, detail, status=HTTPStatus.CREATED)


class PostItemAPI(APIView):
    """`GET | PATCH | DELETE /api/v1/posts/{slug}/`: only the author may change or delete."""

    permission_classes = [IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]
    throttle_classes = [WriteRateThrottle]
    request_models = {"PATCH": schemas.PostPatchIn}
    response_models = {
        "GET": {200: schemas.PostDetailOut},
        "PATCH": {200: schemas.PostDetailOut},
        "DELETE": {204: None},
    }

    def get_post(self, request: Request, slug: str) -> Post:
        post = selectors.post_get(slug=slug, viewer_id=request.user.pk)
        self.check_object_permissions(request, post)
        return post

    def get(self, request: Request, slug: str) -> HttpResponse:
        return json_response(schemas.POST_DETAIL, self.get_post(request, slug))

    def patch(self, request: Request, slug: str) -> HttpResponse:
        post = self.get_post(request, slug)
        data = parse_body(request, schemas.PostPatchIn)
        services.post_update(post=post, data=data)
        return json_response(
            schemas.POST_DETAIL, selectors.post_get(slug=slug, viewer_id=request.user.pk)
        )

    def delete(self, request: Request, slug: str) -> HttpResponse:
        services.post_delete(post=self.get_post(request, slug))
        return HttpResponse(status=HTTPStatus.NO_CONTENT)


class PostCommentsAPI(APIView):
    """`GET /api/v1/posts/{slug}/comments/` oldest first; `POST` adds one as the requester."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    throttle_classes = [WriteRateThrottle]
    query_parameters = {"GET": query_parameters(LimitQuery)}
    request_models = {"POST": schemas.CommentIn}
    response_models = {
        "GET": {200: schemas.CommentListOut},
        "POST": {201: schemas.CommentOut},
    }

    def get(self, request: Request, slug: str) -> HttpResponse:
        limit = LimitQuery.from_query(request.query_params).limit
        post = selectors.post_detail_optimized(slug=slug, limit=limit)
        return json_response(COMMENTS_PAGE, {"results": post.comment_list})

    def post(self, request: Request, slug: str) -> HttpResponse:
        data = parse_body(request, schemas.CommentIn)
        post = selectors.post_published_or_404(slug=slug)
        comment = services.comment_create(post=post, author=requesting_user(request), data=data)
        return json_response(schemas.COMMENT, comment, status=HTTPStatus.CREATED)


# Views only the cases mount (blog/cases.py), once per variant.


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


# The author directory and public profiles: users joined to their posts (blog.authors).


class UserCollectionAPI(SignUpAPI, RowsAPIView):
    """`GET /api/v1/users/`: the author directory. `POST`: sign up (users.api.SignUpAPI)."""

    response_models: ClassVar[ResponseModels] = {
        "GET": {200: results_model(schemas.UserDirectoryOut)},
        **SignUpAPI.response_models,
    }


class UserDetailAPI(APIView):
    """`GET /api/v1/users/{username}/`: profile, published-post and comment counts."""

    response_models = {"GET": {200: schemas.UserDetailOut}}

    def get(self, request: Request, username: str) -> HttpResponse:
        return json_response(schemas.USER_DETAIL, authors.user_get_profile(username=username))


# The write endpoints: public with the optimized service, and each write case's variants.


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


# The export case: the same rows and encoding, in memory or streamed.

CONTENT_TYPES = {"ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


class PostExportAPI(CaseVariantMixin, APIView):
    """`GET /api/v1/posts/export.ndjson` or `.csv`: every published post (drafts stay private),
    streamed; the post-export case mounts it with each of its variants' `Export`."""

    export: exports.Export | None = None
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

    response_models = {"GET": {200: schemas.StatsOut}}

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
