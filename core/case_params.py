"""How a case reads its request: its query parameters (a core.params model) and the URL's own
arguments, as the selector's keyword arguments. One class per case serves its page and its
endpoint alike, so both variants, on both surfaces, read a request the same way."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest

from .params import LimitQuery, QueryParams


class CaseParams:
    """`?limit=` plus the URL's own arguments, by default.

    A case whose selector needs more names another `query` model and, when the selector's
    arguments are not the parameters as they are (a viewer that defaults to you, a page request
    built from two of them), overrides `selector_kwargs`. One whose rows are not the selector's
    result itself (a post's comments, a page's rows) overrides `rows`.
    """

    query: ClassVar[type[QueryParams]] = LimitQuery

    def read(self, request: HttpRequest, **url_kwargs: Any) -> dict[str, Any]:
        """The selector's keyword arguments; a bad parameter raises InvalidParameterError."""
        return self.selector_kwargs(self.query.from_query(request.GET), request, **url_kwargs)

    def selector_kwargs(
        self, query: Any, request: HttpRequest, **url_kwargs: Any
    ) -> dict[str, Any]:
        return {**query.model_dump(), **url_kwargs}

    def rows(self, result: Any) -> Any:
        return result
