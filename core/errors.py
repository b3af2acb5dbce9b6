"""Errors the domain raises for a client to fix (the API turns them into 422 and 409 problem
documents), and what a database's IntegrityError says about which rule a write broke."""

from __future__ import annotations

from django.db import IntegrityError


class DomainValidationError(Exception):
    """A value breaks a rule only the database can check (unknown category, taken name...).

    `loc` names the field as Pydantic would (`("tags", 2)`), `code` is a machine-readable type.
    """

    def __init__(self, message: str, *, loc: tuple[str | int, ...], code: str) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.code = code


class DomainConflictError(DomainValidationError):
    """The value is valid but taken (a username, an address): a 409, not a 422."""


def violated_constraint(error: IntegrityError) -> str:
    """Which constraint an IntegrityError broke: its name on PostgreSQL
    (`blog_post_slug_key`), what SQLite says of it elsewhere (`blog_post.slug`,
    `index 'user_email_ci_unique'`). Never the values: PostgreSQL's DETAIL line holds them."""
    diagnostics = getattr(error.__cause__, "diag", None)
    name = getattr(diagnostics, "constraint_name", None)
    if name:
        return str(name)
    return str(error).splitlines()[0].removeprefix("UNIQUE constraint failed: ")


def is_foreign_key_violation(error: IntegrityError) -> bool:
    """A row this write points at was deleted meanwhile (PostgreSQL checks at commit)."""
    return getattr(error.__cause__, "sqlstate", None) == "23503" or (
        "FOREIGN KEY constraint failed" in str(error)
    )
