"""Query parameters as Pydantic models: one model per endpoint or page validates what the client
sent and, from the same fields, documents the parameters in the OpenAPI schema.

A view reads `SomeQuery.from_query(request.GET)`. A bad value raises InvalidParameterError, and
one place turns that into a 400: a problem document under /api/ (core.api's exception handler),
the bad-request page elsewhere (core.middleware.BadParameterMiddleware). The message names the
parameter and its rule, never the value: error bodies do not echo input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any, Self

from django.http import QueryDict
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

DEFAULT_LIMIT = 20
MAX_LIMIT = 500
# The cap for code that runs requests in-process and needs more rows than a client may ask for
# (the bench's N = 1000): raised for the block, never by anything a client sends.
_raised_limit: ContextVar[int | None] = ContextVar("raised_limit", default=None)


def limit_cap() -> int:
    """The most rows a `limit` may ask for here and now: MAX_LIMIT, unless raised."""
    return _raised_limit.get() or MAX_LIMIT


@contextmanager
def raised_limit_cap(cap: int) -> Iterator[None]:
    """Let `?limit=` go up to `cap` inside the block (the bench's own requests)."""
    token = _raised_limit.set(max(cap, MAX_LIMIT))
    try:
        yield
    finally:
        _raised_limit.reset(token)


# A number as JSON writes it, ASCII digits only: no spaces, underscores or other scripts' digits.
JSON_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


class InvalidParameterError(ValueError):
    """A query parameter the client sent is malformed; the message says which and why."""


def whole_number(minimum: int, maximum: int | Callable[[], int]) -> BeforeValidator:
    """A whole number within the bounds, written as JSON would write it (`20`, `20.0`, `2e1`),
    as the schema's `integer` allows. The bounds are checked before the number is built, so
    `1e999999999` costs nothing. A callable `maximum` is read at each validation."""

    def parse(raw: Any) -> int:
        top = maximum() if callable(maximum) else maximum
        if isinstance(raw, int) or (isinstance(raw, str) and JSON_NUMBER.fullmatch(raw)):
            number = Decimal(raw)
        else:
            raise ValueError("must be a whole number")
        if number != number.to_integral_value():
            raise ValueError("must be a whole number")
        if not minimum <= number <= top:
            raise ValueError(f"must be between {minimum} and {top}")
        return int(number)

    return BeforeValidator(parse)


# The Field before the validator: Pydantic then writes its bounds into the JSON schema as
# `minimum` / `maximum`, as OpenAPI expects; the validator enforces them, with one message. The
# maximum is the schema's only (not a constraint of the field), so that the validator's cap is
# the one that holds, raised for the bench's own requests (raised_limit_cap).
Limit = Annotated[
    int,
    Field(
        ge=1,
        json_schema_extra={"maximum": MAX_LIMIT},
        description=f"Rows to return, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    ),
    whole_number(1, limit_cap),
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
