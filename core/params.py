"""Query parameters as Pydantic models: one model per endpoint or page validates what the client
sent and, from the same fields, documents the parameters in the OpenAPI schema.

A view reads `SomeQuery.from_query(request.GET)`. A bad value raises InvalidParameterError, and
one place turns that into a 400: a problem document under /api/ (core.api's exception handler),
the bad-request page elsewhere (core.middleware.BadParameterMiddleware). The message names the
parameter and its rule, never the value: error bodies do not echo input.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Self

from django.http import QueryDict
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

DEFAULT_LIMIT = 20
MAX_LIMIT = 500
# A number as JSON writes it, ASCII digits only: no spaces, underscores or other scripts' digits.
JSON_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


class InvalidParameterError(ValueError):
    """A query parameter the client sent is malformed; the message says which and why."""


def whole_number(minimum: int, maximum: int) -> BeforeValidator:
    """A whole number within the bounds, written as JSON would write it (`20`, `20.0`, `2e1`),
    as the schema's `integer` allows. The bounds are checked before the number is built, so
    `1e999999999` costs nothing."""

    def parse(raw: Any) -> int:
        if isinstance(raw, int) or (isinstance(raw, str) and JSON_NUMBER.fullmatch(raw)):
            number = Decimal(raw)
        else:
            raise ValueError("must be a whole number")
        if number != number.to_integral_value():
            raise ValueError("must be a whole number")
        if not minimum <= number <= maximum:
            raise ValueError(f"must be between {minimum} and {maximum}")
        return int(number)

    return BeforeValidator(parse)


# The Field before the validator: Pydantic then writes its bounds into the JSON schema as
# `minimum` / `maximum`, as OpenAPI expects; the validator enforces them, with one message.
Limit = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_LIMIT,
        description=f"Rows to return, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    ),
    whole_number(1, MAX_LIMIT),
]


class QueryParams(BaseModel):
    """The query parameters one endpoint or page reads. Unknown ones are ignored (a link may
    carry a tracker's), an empty one reads as absent (an HTML form's empty field)."""

    model_config = ConfigDict(extra="ignore", frozen=True, arbitrary_types_allowed=True)

    @classmethod
    def from_query(cls, query: QueryDict) -> Self:
        data = {
            name: value
            for name in cls.model_fields
            if (value := query.get(name)) is not None and value != ""
        }
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise InvalidParameterError(_message(error)) from None


def _message(error: ValidationError) -> str:
    """The first problem, as `<name> <rule>`: `limit must be between 1 and 500`."""
    detail = error.errors(include_input=False, include_url=False)[0]
    name = ".".join(str(part) for part in detail["loc"])
    cause = detail.get("ctx", {}).get("error")
    rule = str(cause) if cause is not None else detail["msg"].lower()
    return f"{name} {rule}"


class LimitQuery(QueryParams):
    """`?limit=N`: most lists read nothing else."""

    limit: Limit = DEFAULT_LIMIT
