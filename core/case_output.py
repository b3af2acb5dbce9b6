"""What a case view tells whoever measures it: the rows it rendered, or, for an aggregate, how
many rows its numbers were computed over (the N of the case's formulas).

A case view reports once it has its rows (`report_rows`, `report_count`). Nobody listens outside a
measurement, and then a report costs one context-variable lookup. The lab and the tests wrap a
request in `recording()` and read what the view reported: a typed channel, rather than
attributes set on a response. A context variable reaches async views too: `async_to_sync` runs
them in a copy of the caller's context, which holds the same recorder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any


class CaseOutput:
    """The rows one request rendered. Read after the response is rendered: a lazy QuerySet
    reported before its template ran is listed from its result cache, at no query's cost."""

    def __init__(self, outer: CaseOutput | None = None) -> None:
        self._rows: Iterable[Any] | None = None
        self._count: int | None = None
        # A recording inside another (a page's own measurement inside the bench's request):
        # both hear what the view reports.
        self._outer = outer

    def _listening(self) -> Iterator[CaseOutput]:
        recorder: CaseOutput | None = self
        while recorder is not None:
            yield recorder
            recorder = recorder._outer

    @property
    def reported(self) -> bool:
        return self._rows is not None or self._count is not None

    @property
    def rows(self) -> list[Any]:
        return list(self._rows) if self._rows is not None else []

    @property
    def n(self) -> int:
        """The case's N: the rows shown, or the count an aggregate reported."""
        return self._count if self._count is not None else len(self.rows)


_recorder: ContextVar[CaseOutput | None] = ContextVar("case_output", default=None)


def report_rows(rows: Iterable[Any]) -> None:
    """The rows this response shows (a list, or the QuerySet its template iterates)."""
    recorder = _recorder.get()
    for listening in recorder._listening() if recorder is not None else ():
        listening._rows = rows


def report_count(n: int) -> None:
    """For an aggregate (statistics, counts): the number of rows its numbers cover."""
    recorder = _recorder.get()
    for listening in recorder._listening() if recorder is not None else ():
        listening._count = n


@contextmanager
def recording() -> Iterator[CaseOutput]:
    """Record what the case views run inside the block report."""
    output = CaseOutput(outer=_recorder.get())
    token = _recorder.set(output)
    try:
        yield output
    finally:
        _recorder.reset(token)
