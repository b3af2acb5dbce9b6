"""Errors the domain raises for a client to fix; the API turns them into 422 problem documents."""

from __future__ import annotations


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
