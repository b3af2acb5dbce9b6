"""How a case reads its request: `?limit=` and the URL's own arguments by default, more where a
case needs it. One class per case serves its page and its endpoint alike, so both variants, on
both surfaces, read a request the same way."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from django.http import HttpRequest, QueryDict

DEFAULT_LIMIT = 20
MAX_LIMIT = 500
# A number as JSON writes it, ASCII digits only: no spaces, underscores or other scripts' digits.
JSON_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


class InvalidParameterError(ValueError):
    """A query parameter the client sent is malformed; the message says which and why."""


def int_parameter(query: QueryDict, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """`?name=N`: a whole number within the bounds, `default` when absent or empty.

    Written as JSON would write it (`20`, `20.0`, `2e1`), as the schema's `integer` allows; the
    bounds are checked before the number is built, so `1e999999999` costs nothing.
    """
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not JSON_NUMBER.fullmatch(raw):
        raise InvalidParameterError(f"{name} must be a whole number")
    number = Decimal(raw)
    if number != number.to_integral_value():
        raise InvalidParameterError(f"{name} must be a whole number")
    if not minimum <= number <= maximum:
        # The message names the rule, never the value: error bodies do not echo input.
        raise InvalidParameterError(f"{name} must be between {minimum} and {maximum}")
    return int(number)


def parse_limit(query: QueryDict) -> int:
    """`?limit=N`: how many rows to show, 1 to 500, 20 when absent."""
    return int_parameter(query, "limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)


class CaseParams:
    """How a case reads its request and finds its rows; shared by its page and its API view.

    The default is `?limit=` plus the URL's own arguments; a case whose selector needs more (a
    viewer, a cursor) overrides `selector_kwargs`, and one whose rows are not the selector's
    result itself (a post's comments, a page's rows) overrides `rows`. `openapi_parameters`
    documents the parameters it reads (drf-spectacular's OpenApiParameter; `?limit=` when
    absent).
    """

    openapi_parameters: ClassVar[tuple[Any, ...] | None] = None

    def selector_kwargs(self, request: HttpRequest, **url_kwargs: Any) -> dict[str, Any]:
        return {"limit": parse_limit(request.GET), **url_kwargs}

    def rows(self, result: Any) -> Any:
        return result
