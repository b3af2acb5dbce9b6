"""The query parameters the blog's pages and endpoints read, as Pydantic models (core.params):
each validates a request and, from the same fields, documents the endpoint's parameters."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from pydantic import BeforeValidator, Field, WithJsonSchema

from core.case_params import CaseParams
from core.client_values import LARGEST_ID
from core.params import InvalidParameterError, LimitQuery, whole_number

from . import pagination, selectors

MAX_PAGE = 1_000_000  # past this an OFFSET page is a denial of service, not a page


def _cursor(raw: Any) -> pagination.PostCursor:
    try:
        return pagination.PostCursor.parse(str(raw))
    except ValueError:
        raise ValueError("must be a cursor from a next link: <RFC 3339 timestamp>,<id>") from None


def _feed_position(raw: Any) -> pagination.FeedPosition:
    try:
        return pagination.decode_cursor(str(raw))
    except ValueError:
        raise ValueError("is not one this API issued") from None


Cursor = Annotated[
    pagination.PostCursor | None,
    BeforeValidator(_cursor),
    WithJsonSchema({"type": "string"}),
    Field(description="Cursor from a `next` value, for the keyset variant."),
]
FeedCursor = Annotated[
    pagination.FeedPosition | None,
    BeforeValidator(_feed_position),
    WithJsonSchema({"type": "string"}),
    Field(description="From a `next` or `previous` link; absent for the newest page."),
]


class FeedQuery(LimitQuery):
    """`GET /api/v1/posts/`: a page of the feed, filtered."""

    cursor: FeedCursor = None
    tag: Annotated[str | None, Field(description="Only posts with this tag slug.")] = None
    author: Annotated[str | None, Field(description="Only posts by this username.")] = None
    category: Annotated[str | None, Field(description="Only posts in this category slug.")] = None


ViewerId = Annotated[
    int | None,
    Field(ge=1, le=LARGEST_ID, description="The viewer's user id (default: you)."),
    whole_number(1, LARGEST_ID),
]
PageNumber = Annotated[
    int,
    Field(ge=1, le=MAX_PAGE, description="Page number, for the OFFSET variant."),
    whole_number(1, MAX_PAGE),
]


class CommentedFlagsQuery(LimitQuery):
    viewer: ViewerId = None


class PostPageQuery(LimitQuery):
    page: PageNumber = 1
    after: Cursor = None


class PostDetailParams(CaseParams):
    """N is the number of comments shown: `?limit=` caps them, like rows elsewhere."""

    def rows(self, result: Any) -> Any:
        return result.comment_list


class CommentedFlagsParams(CaseParams):
    """Flags for `?viewer=<user id>`, or for the logged-in user when that is absent."""

    query = CommentedFlagsQuery

    def selector_kwargs(
        self, query: Any, request: HttpRequest, **url_kwargs: Any
    ) -> dict[str, Any]:
        viewer_id = query.viewer
        if viewer_id is None:
            if not request.user.is_authenticated:
                raise InvalidParameterError("viewer is required: pass ?viewer=<user id> or log in")
            viewer_id = request.user.pk
        return {"limit": query.limit, "viewer_id": viewer_id}


class PostPageParams(CaseParams):
    """`?page=N` positions the OFFSET variant, `?after=<cursor>` the keyset one."""

    query = PostPageQuery

    def selector_kwargs(
        self, query: Any, request: HttpRequest, **url_kwargs: Any
    ) -> dict[str, Any]:
        return {
            "request": selectors.PageRequest(limit=query.limit, page=query.page, after=query.after)
        }

    def rows(self, result: Any) -> Any:
        return result.rows
