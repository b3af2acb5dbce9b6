"""The bases of every app's Pydantic schemas, and the string rules they share.

- `In`: a request body. Unknown fields are refused (`extra="forbid"`): a client that sends
  `author` or `is_staff` is told so, never silently ignored.
- `PartialUpdateIn`: a PATCH body. Every field may be left out; none may be null.
- `Out`: a response, read from model instances or `values()` rows alike (`from_attributes`).
- `NoNul`, `at_most()`: text a database column can take, as the document states it.
- `Problem`: the RFC 9457 body of every API error.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    field_validator,
)
from pydantic_core import PydanticCustomError


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _optional_not_nullable(schema: dict[str, Any]) -> None:
    """A PATCH field in the OpenAPI document: it may be left out, but never sent as null, so
    the `None` its type admits (Python's "not sent") and its `null` default are not part of it."""
    for field in schema.get("properties", {}).values():
        options = field.pop("anyOf", None)
        if options is not None:
            kept = [option for option in options if option != {"type": "null"}]
            if len(kept) == 1:
                field.update(kept[0])
            else:
                field["anyOf"] = kept
        field.pop("default", None)


class PartialUpdateIn(In):
    """A PATCH body: every field optional, None the "not sent" default (the service applies
    `model_dump(exclude_unset=True)`); a client sending null means nothing sensible, is refused,
    and is not in the documented schema."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_optional_not_nullable)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null; leave the field out to keep its value")
        return value


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refusing it here keeps it a 422 instead of a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


NoNul = AfterValidator(_no_nul)


def at_most(max_length: int) -> BeforeValidator:
    """The document's `maxLength` holds for what the client sent, before any stripping: put it
    after a StringConstraints(strip_whitespace=True, max_length=...) in the same Annotated (a
    before-validator placed after the constraints runs first, on the raw value; placed before
    them, it makes Pydantic skip their length checks after stripping). Without it a value padded
    with spaces past the limit is accepted, against what the document says."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        return value

    return BeforeValidator(check)


class Problem(BaseModel):
    """RFC 9457 problem details: every error response of the API."""

    model_config = ConfigDict(title="Problem")

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
