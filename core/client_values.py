"""Values a client sends, checked against what the database can store before any query sees them.

A value the database cannot represent must be a 400 here, not a database error (a 500) later:
PostgreSQL refuses a time zone offset of 16 hours or more, or one with seconds; a `bigint` stops
at 2**63 - 1; and Python's own calendar ends at year 9999, so moving an instant at its edge to
UTC overflows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# BigAutoField: no row has an id past this, and PostgreSQL refuses to compare with larger ones.
LARGEST_ID = 2**63 - 1
MINUTE = timedelta(minutes=1)


def parse_instant(text: str) -> datetime:
    """An RFC 3339 timestamp with its offset (`2026-05-01T12:00:00+02:00`, or `Z`), as the
    same instant in UTC; ValueError for anything else.

    The offset may be any whole number of minutes under a day, as RFC 3339 allows; it is
    converted here, so the database only ever sees UTC. Offsets with seconds (which Python
    parses and RFC 3339 does not allow) and instants outside the calendar once in UTC are
    refused.
    """
    moment = datetime.fromisoformat(text)
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("the timestamp needs a time zone offset (Z or +HH:MM)")
    if offset % MINUTE:
        raise ValueError("the time zone offset must be whole minutes (+HH:MM)")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the timestamp is outside the range of dates") from None


def parse_id(text: str) -> int:
    """A row id as the client wrote it: ASCII digits, 1 to LARGEST_ID; ValueError otherwise."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError("an id is a whole number written with the digits 0-9")
    number = int(text)
    if not 1 <= number <= LARGEST_ID:
        raise ValueError(f"an id is between 1 and {LARGEST_ID}")
    return number
