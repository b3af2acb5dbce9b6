"""Query assertions for tests: a count that must not change as the data grows.

`django_assert_num_queries` checks one number at one size. `assert_constant_queries` builds the
data at several sizes, runs the same code on each, and fails when the count changes, naming the
query shapes whose count grew, which is usually the N+1 itself.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from .sql import fingerprint, group_queries, is_savepoint

__all__ = [
    "NPlusOneError",
    "NPlusOneGuard",
    "QueryCountChangedError",
    "QueryRun",
    "assert_constant_queries",
    "no_n_plus_one",
]


class QueryCountChangedError(AssertionError):
    """The query count depended on the size of the data."""


@dataclass(frozen=True)
class QueryRun:
    size: int
    queries: list[dict[str, str]]
    counts: dict[str, int]  # fingerprint -> how often it ran

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def assert_constant_queries(
    sizes: Iterable[int],
    setup: Callable[[int], Any],
    run: Callable[[Any], Any],
) -> list[QueryRun]:
    """For each size: `setup(size)` builds the data, `run(setup's result)` is counted.

    Each size runs in a savepoint that is rolled back, so every size starts from the same data.
    Raise QueryCountChangedError, listing each query shape with its count per size, when the
    totals differ. Return the runs, so a test can assert more about them.
    """
    runs = []
    for size in sizes:
        with transaction.atomic():
            arguments = setup(size)
            with CaptureQueriesContext(connection) as captured:
                run(arguments)
            shapes = group_queries(captured.captured_queries)
            runs.append(
                QueryRun(
                    size=size,
                    queries=list(captured.captured_queries),
                    counts={shape.fingerprint: shape.count for shape in shapes},
                )
            )
            transaction.set_rollback(True)
    if len({run.total for run in runs}) > 1:
        raise QueryCountChangedError(_explain(runs))
    return runs


def _explain(runs: list[QueryRun]) -> str:
    sizes = ", ".join(f"{run.total} at size {run.size}" for run in runs)
    lines = [f"The query count changed with the size of the data: {sizes}.", ""]
    shapes = list(dict.fromkeys(shape for run in runs for shape in run.counts))
    grew = [shape for shape in shapes if len({run.counts.get(shape, 0) for run in runs}) > 1]
    lines.append("Query shapes whose count changed (count per size):")
    for shape in grew:
        counts = " / ".join(str(run.counts.get(shape, 0)) for run in runs)
        lines.append(f"  [{counts}] {shape}")
    return "\n".join(lines)


# The N+1 guard: one query shape repeating inside a block is the signature of a lazy load per row.

DEFAULT_REPEAT_LIMIT = 3
APP_PACKAGES = ("blog", "users", "core", "config")  # not querylab: it runs the app, it is not it


class NPlusOneError(AssertionError):
    """A query shape repeated more often than the guard allows."""


@dataclass
class _Issued:
    fingerprint: str
    origin: str  # "path/to/module.py:123 in function", the app code that issued it


class NPlusOneGuard:
    """A `connection.execute_wrapper` that records each query's shape and the app frame that
    issued it; `check()` raises NPlusOneError when one shape ran more than `limit` times."""

    def __init__(self, *, limit: int = DEFAULT_REPEAT_LIMIT) -> None:
        self.limit = limit
        self.issued: list[_Issued] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if not is_savepoint(sql):
            self.issued.append(_Issued(fingerprint(sql), _app_origin()))
        return execute(sql, params, many, context)

    def check(self) -> None:
        counts = Counter(query.fingerprint for query in self.issued)
        repeated = [(shape, n) for shape, n in counts.items() if n > self.limit]
        if not repeated:
            return
        lines = [f"N+1: a query shape ran more than {self.limit} times in one block:"]
        for shape, n in repeated:
            origins = Counter(q.origin for q in self.issued if q.fingerprint == shape)
            where = ", ".join(f"{origin} (x{count})" for origin, count in origins.most_common(3))
            lines.append(f"  x{n} {shape[:200]}")
            lines.append(f"      issued from {where}")
        raise NPlusOneError("\n".join(lines))


@contextmanager
def no_n_plus_one(*, limit: int = DEFAULT_REPEAT_LIMIT) -> Iterator[NPlusOneGuard]:
    """Fail when any query shape repeats more than `limit` times inside the block."""
    guard = NPlusOneGuard(limit=limit)
    with connection.execute_wrapper(guard):
        yield guard
    guard.check()


def _app_origin() -> str:
    """The innermost frame of the project's app code (not Django, not tests) on the stack."""
    root = Path(__file__).resolve().parent.parent
    for frame in reversed(traceback.extract_stack()[:-2]):
        path = Path(frame.filename)
        try:
            relative = path.resolve().relative_to(root)
        except ValueError:
            continue
        if (
            relative.parts
            and relative.parts[0] in APP_PACKAGES
            and "testing.py" not in relative.parts
        ):
            return f"{relative}:{frame.lineno} in {frame.name}"
    return "(no app code on the stack: a template or a library read it lazily)"
