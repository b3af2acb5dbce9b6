"""Query assertions for tests: counts that must not grow with the data, and no N+1 anywhere.

`django_assert_num_queries` checks one number, at one size, on the test's own thread.
These go further, and every one works inside `async def` tests (see `querycheck.capture`):

- `assert_constant_queries(sizes, setup, run)` builds the data at several sizes and fails when the
  count changes, with a table of query shapes per size and a diff of the query lists;
- `no_n_plus_one(limit)` fails when one query shape repeats more than `limit` times in a block,
  naming the app file and line that issued it (also a pytest marker: `querycheck.pytest_plugin`);
- `assert_num_queries(n)` is an exact count that also sees the async ORM's thread;
- `print_queries()` captures without failing and prints the queries grouped by shape.

Every failure names the relations that loaded lazily (`Post.author`, `User.profile`, the deferred
field `Post.body`) and the call that would load them with their rows (querycheck.relations).
"""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction

from .capture import CapturedQueries, CapturedQuery, capture_queries, clip, format_report
from .relations import LazyLoad

__all__ = [
    "NPlusOneError",
    "QueryCountChangedError",
    "QueryCountError",
    "QueryRun",
    "assert_constant_queries",
    "assert_num_queries",
    "capture_queries",
    "lazy_loads",
    "no_n_plus_one",
    "print_queries",
]

DEFAULT_REPEAT_LIMIT = 3
_SHAPE_WIDTH = 140


class QueryCountChangedError(AssertionError):
    """The query count depended on the size of the data."""


class QueryCountError(AssertionError):
    """The block ran another number of queries than expected."""


class NPlusOneError(AssertionError):
    """A query shape repeated more often than the guard allows."""


@dataclass(frozen=True)
class QueryRun:
    size: int
    queries: list[CapturedQuery]

    @property
    def total(self) -> int:
        return len(self.queries)

    @property
    def counts(self) -> Counter[str]:
        """Fingerprint -> how often it ran."""
        return Counter(query.fingerprint for query in self.queries)


def assert_constant_queries(
    sizes: Iterable[int],
    setup: Callable[[int], Any],
    run: Callable[[Any], Any],
    *,
    expected: int | None = None,
) -> list[QueryRun]:
    """For each size: `setup(size)` builds the data, `run(setup's result)` is counted.

    Each size runs in a savepoint that is rolled back, so every size starts from the same data.
    Raise QueryCountChangedError when the totals differ (or differ from `expected`), explained by
    each query shape's count per size and a diff of the queries at the smallest and largest size.
    Return the runs, so a test can assert more about them.
    """
    runs = []
    for size in sizes:
        with transaction.atomic():
            arguments = setup(size)
            with capture_queries() as captured:
                run(arguments)
            runs.append(QueryRun(size=size, queries=list(captured.queries)))
            transaction.set_rollback(True)
    if len(runs) < 2:
        raise ValueError("assert_constant_queries needs at least two sizes to compare")
    totals = {run.total for run in runs}
    if len(totals) > 1 or (expected is not None and totals != {expected}):
        raise QueryCountChangedError(explain_runs(runs, expected=expected))
    return runs


def explain_runs(runs: list[QueryRun], *, expected: int | None = None) -> str:
    """The failure message: totals, the per-size table of shapes, the diff of the query lists."""
    totals = ", ".join(f"{run.total} at size {run.size}" for run in runs)
    if len({run.total for run in runs}) > 1:
        headline = f"The query count changed with the size of the data: {totals}."
    else:
        headline = f"Expected {expected} queries at every size: {totals}."
    return "\n".join(
        [
            headline,
            "",
            *shape_table(runs),
            *lazy_load_table(runs),
            "",
            *query_diff(runs[0], runs[-1]),
        ]
    )


def lazy_load_table(runs: list[QueryRun]) -> list[str]:
    """Each relation loaded lazily, its count at each size, and for those that grew, the fix."""
    counts = [Counter(_load_key(q.load) for q in run.queries if q.load) for run in runs]
    keys = list(dict.fromkeys(key for count in counts for key in count))
    if not keys:
        return []
    width = max(len(str(run.size)) for run in runs) + 5
    lines = ["", "Relations loaded lazily, per size, and the fix for those that grew:"]
    for key in keys:
        per_size = [count.get(key, 0) for count in counts]
        grew = len(set(per_size)) > 1
        cells = "".join(f"{n:>{width}}" for n in per_size)
        lines.append(f"  {'grew ' if grew else '     '}{cells}  {key[0]}")
        if grew:
            lines.append(f"        fix: {key[1]}")
    return lines


def _load_key(load: LazyLoad) -> tuple[str, str]:
    """A lazy load as the messages group it: the relation and the text of its fix."""
    return load.relation, load.fix().text


def lazy_loads(queries: Iterable[CapturedQuery]) -> list[str]:
    """Lines naming each relation loaded lazily among `queries`, how often, and its fix."""
    counts = Counter(_load_key(query.load) for query in queries if query.load)
    return [
        f"loads {relation} lazily (x{n}); fix: {fix}" for (relation, fix), n in counts.most_common()
    ]


def shape_table(runs: list[QueryRun]) -> list[str]:
    """Every query shape with its count at each size; `grew` marks those whose count changed."""
    shapes = list(dict.fromkeys(shape for run in runs for shape in run.counts))
    width = max(len(str(run.size)) for run in runs) + 5
    lines = [
        "Queries per shape at each size:",
        "       " + "".join(f"{'N=' + str(r.size):>{width}}" for r in runs),
    ]
    for shape in shapes:
        counts = [run.counts.get(shape, 0) for run in runs]
        flag = "grew " if len(set(counts)) > 1 else "     "
        cells = "".join(f"{count:>{width}}" for count in counts)
        lines.append(f"  {flag}{cells}  {clip(shape, _SHAPE_WIDTH)}")
    return lines


def query_diff(smallest: QueryRun, largest: QueryRun, *, max_lines: int = 40) -> list[str]:
    """The query lists of two sizes as a diff, shapes only; repeated lines folded into `(xN)`."""
    before = [clip(query.fingerprint, _SHAPE_WIDTH) for query in smallest.queries]
    after = [clip(query.fingerprint, _SHAPE_WIDTH) for query in largest.queries]
    diff = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=1)
        if not line.startswith(("---", "+++", "@@"))
    ]
    lines = [
        f"Queries at N={smallest.size} (-) and N={largest.size} (+), in order, with one unchanged "
        "query around each change; a block that repeats is shown once:"
    ]
    folded = fold_repeats(diff)
    lines += [f"  {line}" for line in folded[:max_lines]]
    if len(folded) > max_lines:
        lines.append(f"  ... {len(folded) - max_lines} more lines")
    return lines


def fold_repeats(lines: list[str], *, max_period: int = 12) -> list[str]:
    """Fold consecutive repeats of a line or of a block of lines: an N+1 over several relations
    is one block of queries per row, and reads better as that block once with its count."""
    folded: list[str] = []
    i = 0
    while i < len(lines):
        period, repeats = 1, 1
        for p in range(1, max_period + 1):
            block = lines[i : i + p]
            if len(block) < p:
                break
            r = 1
            while lines[i + r * p : i + (r + 1) * p] == block:
                r += 1
            if r > 1 and r * p > period * repeats:
                period, repeats = p, r
        if repeats == 1:
            folded.append(lines[i])
        elif period == 1:
            folded.append(f"{lines[i]}  (x{repeats})")
        else:
            folded.append(f"the next {period} lines, {repeats} times:")
            folded += [f"  {line}" for line in lines[i : i + period]]
        i += period * repeats
    return folded


@contextmanager
def assert_num_queries(expected: int) -> Iterator[CapturedQueries]:
    """Exactly `expected` queries in the block, on any thread: usable in `async def` tests, where
    `django_assert_num_queries` sees nothing the async ORM runs. The failure lists them grouped."""
    with capture_queries() as captured:
        yield captured
    if captured.count != expected:
        raise QueryCountError(
            f"Expected {expected} queries, {captured.count} ran.\n{captured.report()}"
        )


@contextmanager
def no_n_plus_one(*, limit: int = DEFAULT_REPEAT_LIMIT) -> Iterator[CapturedQueries]:
    """Fail when any query shape repeats more than `limit` times inside the block."""
    with capture_queries() as captured:
        yield captured
    check_repeats(captured.queries, limit=limit)


def check_repeats(queries: list[CapturedQuery], *, limit: int) -> None:
    """Raise NPlusOneError naming each shape that ran more than `limit` times, and where from."""
    counts = Counter(query.fingerprint for query in queries)
    repeated = [(shape, n) for shape, n in counts.most_common() if n > limit]
    if not repeated:
        return
    lines = [f"N+1: a query shape ran more than {limit} times in one block:"]
    for shape, n in repeated:
        origins = Counter(query.origin for query in queries if query.fingerprint == shape)
        where = ", ".join(f"{origin} (x{count})" for origin, count in origins.most_common(3))
        lines.append(f"  x{n} {clip(shape, 200)}")
        lines.append(f"      issued from {where}")
        members = [query for query in queries if query.fingerprint == shape]
        lines += [f"      {line}" for line in lazy_loads(members)]
    raise NPlusOneError("\n".join(lines))


@contextmanager
def print_queries(
    label: str = "queries", *, file: IO[str] | None = None
) -> Iterator[CapturedQueries]:
    """Capture without failing, for debugging: print the block's queries grouped by shape."""
    with capture_queries() as captured:
        try:
            yield captured
        finally:
            print(f"--- {label} ---\n{format_report(captured.queries)}", file=file or sys.stdout)
