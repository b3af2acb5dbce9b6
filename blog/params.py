"""How the blog's cases read their requests: shared by each case's page and API view."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.case_params import CaseParams, InvalidParameterError, int_parameter, parse_limit
from core.client_values import LARGEST_ID
from core.openapi import LIMIT, int_query, query

from . import selectors

MAX_PAGE = 1_000_000  # past this an OFFSET page is a denial of service, not a page


class PostDetailParams(CaseParams):
    """N is the number of comments shown: `?limit=` caps them, like rows elsewhere."""

    def rows(self, result: Any) -> Any:
        return result.comment_list


class CommentedFlagsParams(CaseParams):
    """Flags for `?viewer=<user id>`, or for the logged-in user when that is absent."""

    openapi_parameters = (
        LIMIT,
        int_query("viewer", "The viewer's user id (default: you).", minimum=1, maximum=LARGEST_ID),
    )

    def selector_kwargs(self, request: HttpRequest, **url_kwargs: Any) -> dict[str, Any]:
        if request.GET.get("viewer") or not request.user.is_authenticated:
            viewer_id = int_parameter(
                request.GET, "viewer", default=0, minimum=1, maximum=LARGEST_ID
            )
            if not viewer_id:
                raise InvalidParameterError("viewer is required: pass ?viewer=<user id> or log in")
        else:
            viewer_id = request.user.pk
        return {"limit": parse_limit(request.GET), "viewer_id": viewer_id}


class PostPageParams(CaseParams):
    """`?page=N` positions the OFFSET variant, `?after=<cursor>` the keyset one."""

    openapi_parameters = (
        LIMIT,
        int_query(
            "page", "Page number, for the OFFSET variant.", minimum=1, maximum=MAX_PAGE, default=1
        ),
        query("after", "Cursor from a `next` value, for the keyset variant."),
    )

    def selector_kwargs(self, request: HttpRequest, **url_kwargs: Any) -> dict[str, Any]:
        after = request.GET.get("after")
        try:
            cursor = selectors.PostCursor.parse(after) if after else None
        except ValueError:
            raise InvalidParameterError(
                "after must be a cursor from a next link: <RFC 3339 timestamp>,<id>"
            ) from None
        page = int_parameter(request.GET, "page", default=1, minimum=1, maximum=MAX_PAGE)
        limit = parse_limit(request.GET)
        return {"request": selectors.PageRequest(limit=limit, page=page, after=cursor)}

    def rows(self, result: Any) -> Any:
        return result.rows
