"""Pydantic v2 schemas for the users API: sign-up and your own account in, and what a directory
row, a profile page and your account show out.

The rules a client must meet are Django's own, called from Pydantic validators: the username
validator of `AbstractUser`, `validate_email`, and the project's `AUTH_PASSWORD_VALIDATORS`. So the
API, the admin and `createsuperuser` never disagree about what a valid account is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Self

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    SecretStr,
    StringConstraints,
    TypeAdapter,
    UrlConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from core.schemas import In, NoNul, Out, PartialUpdateIn, at_most

from .models import User

# Addresses a username must never take: `/api/v1/users/me/` is your own account.
RESERVED_USERNAMES = frozenset({"me"})
MAX_PASSWORD = 4096  # hashing is deliberately slow; a megabyte of password must not be


def _django_rule(validator: Callable[[str], object]) -> AfterValidator:
    """A Django validator as a Pydantic one: its message becomes the error, the value never."""

    def check(value: str) -> str:
        try:
            validator(value)
        except DjangoValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        return value

    return AfterValidator(check)


def _not_reserved(value: str) -> str:
    if value.lower() in RESERVED_USERNAMES:
        raise ValueError("this username is reserved")
    return value


Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=150),
    at_most(150),
    _django_rule(UnicodeUsernameValidator()),
    AfterValidator(_not_reserved),
]
# Stripped and lower-cased before Django's validator sees it, so that "Alice@Example.com " and
# "alice@example.com" are one address.
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=254),
    at_most(254),
    _django_rule(validate_email),
    Field(json_schema_extra={"format": "email"}),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=150), at_most(150), NoNul]
Password = Annotated[SecretStr, Field(min_length=1, max_length=MAX_PASSWORD)]
MAX_URL = 200  # Profile's URLFields
_HTTP_URL = TypeAdapter(
    Annotated[HttpUrl, UrlConstraints(max_length=MAX_URL, allowed_schemes=["http", "https"])]
)


def _web_url(value: str) -> str:
    """An http(s) URL, normalized by Pydantic (`https://example.com` gains its `/`), or "" to
    clear it. http(s) only: the pages put these in href and src, where `javascript:` must never
    get in."""
    if value == "":
        return value
    try:
        url = str(_HTTP_URL.validate_python(value))
    except ValidationError as error:
        raise ValueError(error.errors()[0]["msg"]) from None
    if len(url) > MAX_URL:  # normalizing can lengthen it past the column
        raise ValueError(f"URL should have at most {MAX_URL} characters")
    return url


# One validator rather than a union, so an error has one plain `loc` (`profile.website`).
WebUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_URL),
    at_most(MAX_URL),
    AfterValidator(_web_url),
]


def field_error(model: type[BaseModel], field: str, kind: str, message: str) -> ValidationError:
    """An error raised from a model validator but reported at `field`, as a field's own is."""
    return ValidationError.from_exception_data(
        model.__name__,
        [InitErrorDetails(type=PydanticCustomError(kind, message), loc=(field,), input=None)],
    )


class UserIn(In):
    """`POST /api/v1/users/`: sign up. `repr()` and errors never show either password."""

    # Merged with In's configuration: unknown fields stay refused.
    model_config = ConfigDict(hide_input_in_errors=True)

    username: Username
    email: Email
    password: Password
    password_confirm: Password
    first_name: Name = ""
    last_name: Name = ""

    @model_validator(mode="after")
    def _passwords(self) -> Self:
        if self.password.get_secret_value() != self.password_confirm.get_secret_value():
            raise field_error(
                UserIn, "password_confirm", "password_mismatch", "the passwords differ"
            )
        # The project's AUTH_PASSWORD_VALIDATORS, with the account's own names to compare with.
        candidate = User(
            username=self.username,
            email=self.email,
            first_name=self.first_name,
            last_name=self.last_name,
        )
        try:
            validate_password(self.password.get_secret_value(), user=candidate)
        except DjangoValidationError as error:
            raise field_error(
                UserIn, "password", "weak_password", " ".join(error.messages)
            ) from None
        return self


class ProfilePatchIn(PartialUpdateIn):
    bio: Annotated[str, StringConstraints(max_length=10_000), NoNul] | None = None
    location: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, max_length=100), at_most(100), NoNul
        ]
        | None
    ) = None
    # An empty string clears the address.
    website: WebUrl | None = None
    avatar_url: WebUrl | None = None


class MePatchIn(PartialUpdateIn):
    """`PATCH /api/v1/users/me/`: any of your names, your address and your profile's fields."""

    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None
    profile: ProfilePatchIn | None = None


class ProfileOut(Out):
    bio: str
    website: str
    location: str
    avatar_url: str


class MeOut(Out):
    """Your own account: `POST /api/v1/users/` and `GET | PATCH /api/v1/users/me/`."""

    username: str
    email: str
    first_name: str
    last_name: str
    date_joined: datetime
    profile: ProfileOut


ME = TypeAdapter(MeOut)
