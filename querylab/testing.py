"""Query assertions for tests: a count that must not change as the data grows.

`django_assert_num_queries` checks one number at one size. `assert_constant_queries` builds the
data at several sizes, runs the same code on each, and fails when the count changes, naming the
query shapes whose count grew, which is usually the N+1 itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from .sql import group_queries

__all__ = ["QueryCountChangedError", "QueryRun", "assert_constant_queries"]


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
