"""SQL fingerprints: the shape of a query with its literals taken out, to group repeats.

`SELECT ... WHERE id = 7` and `... WHERE id = 8` are one shape run twice: an N+1 shows up as one
fingerprint with a count that grows with N.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w.\"])-?\d+(?:\.\d+)?(?![\w\"])")
_PLACEHOLDER = re.compile(r"%s|\$\d+")  # the driver's placeholders, before parameters go in
_IN_LIST = re.compile(r"\(\s*\?(?:\s*,\s*\?)*\s*\)")
_ROWS = re.compile(r"\(\.\.\.\)(?:\s*,\s*\(\.\.\.\))+")  # VALUES (...), (...): one row shape
_SPACE = re.compile(r"\s+")
_SAVEPOINT = re.compile(r"^\s*(?:SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


def fingerprint(sql: str) -> str:
    """Replace literals and placeholders with `?`, collapse `IN (?, ?, ...)` lists and the rows of a
    multi-row `VALUES`, fold white space.

    It takes SQL as logged (parameters interpolated) or as sent (with `%s` placeholders): both give
    the same shape, so a batch of 3 and a batch of 300 are one shape too.
    """
    shape = _NUMBER.sub("?", _STRING.sub("?", sql))
    shape = _PLACEHOLDER.sub("?", shape)
    shape = _IN_LIST.sub("(...)", shape)
    shape = _ROWS.sub("(...)", shape)
    return _SPACE.sub(" ", shape).strip()


def is_savepoint(sql: str) -> bool:
    """Transaction bookkeeping that test wrappers add, not a query the code under test made."""
    return bool(_SAVEPOINT.match(sql))


@dataclass(frozen=True)
class QueryShape:
    fingerprint: str
    count: int
    example: str
    milliseconds: float


def group_queries(queries: Iterable[dict[str, str]]) -> list[QueryShape]:
    """Group captured queries (`{"sql", "time"}` dicts) by fingerprint, first seen first."""
    groups: dict[str, list[dict[str, str]]] = {}
    for query in queries:
        if not is_savepoint(query["sql"]):
            groups.setdefault(fingerprint(query["sql"]), []).append(query)
    return [
        QueryShape(
            fingerprint=shape,
            count=len(members),
            example=members[0]["sql"],
            milliseconds=sum(float(member.get("time") or 0) for member in members) * 1000,
        )
        for shape, members in groups.items()
    ]
