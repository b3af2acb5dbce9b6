"""The blog's JSON API, its resources: posts, comments and authors. Thin DRF views that validate
with Pydantic, call one selector or service, and answer with Pydantic; errors leave as problem
documents (core.api). The bulk writes are in bulk_api.py, the export and statistics in
report_api.py, the async endpoints in async_api.py, and what only the cases mount in case_api.py.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.http import HttpResponse
from rest_framework.permissions import (
    SAFE_METHODS,
    BasePermission,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.request import Request

from core.api import APIView, json_response, parse_body
from core.cache_policy import CachePolicy
from core.case_api import RowsAPIView, results_model
from core.openapi import ResponseModels, query_parameters, slug_links
from core.params import LimitQuery
from core.throttling import WriteRateThrottle
from users.api import SignUpAPI
from users.auth import requesting_user

from . import authors, pagination, schemas, selectors, services
from .conditional import revalidated
from .models import Post
from .params import FeedQuery

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
    cache_policy = CachePolicy.PUBLIC
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

    @revalidated
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
    cache_policy = CachePolicy.PUBLIC  # a draft, seen by its author, is theirs: private
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

    @revalidated
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
    cache_policy = CachePolicy.PUBLIC
    query_parameters = {"GET": query_parameters(LimitQuery)}
    request_models = {"POST": schemas.CommentIn}
    response_models = {
        "GET": {200: schemas.CommentListOut},
        "POST": {201: schemas.CommentOut},
    }

    @revalidated
    def get(self, request: Request, slug: str) -> HttpResponse:
        limit = LimitQuery.from_query(request.query_params).limit
        post = selectors.post_detail_optimized(slug=slug, limit=limit)
        return json_response(schemas.COMMENTS_PAGE, {"results": post.comment_list})

    def post(self, request: Request, slug: str) -> HttpResponse:
        data = parse_body(request, schemas.CommentIn)
        post = selectors.post_published_or_404(slug=slug)
        comment = services.comment_create(post=post, author=requesting_user(request), data=data)
        return json_response(schemas.COMMENT, comment, status=HTTPStatus.CREATED)


# The author directory and public profiles: users joined to their posts (blog.authors).


class PublicRowsAPI(RowsAPIView):
    """A public list of rows (`as_view(selector=..., item_model=...)`), revalidated."""

    cache_policy = CachePolicy.PUBLIC
    get = revalidated(RowsAPIView.get)


class UserCollectionAPI(SignUpAPI, PublicRowsAPI):
    """`GET /api/v1/users/`: the author directory. `POST`: sign up (users.api.SignUpAPI), whose
    answer, an account, nobody keeps (no-store, as for every write)."""

    cache_policy = CachePolicy.PUBLIC

    response_models: ClassVar[ResponseModels] = {
        "GET": {200: results_model(schemas.UserDirectoryOut)},
        **SignUpAPI.response_models,
    }


class UserDetailAPI(APIView):
    """`GET /api/v1/users/{username}/`: profile, published-post and comment counts."""

    cache_policy = CachePolicy.PUBLIC
    response_models = {"GET": {200: schemas.UserDetailOut}}

    @revalidated
    def get(self, request: Request, username: str) -> HttpResponse:
        return json_response(schemas.USER_DETAIL, authors.user_get_profile(username=username))
