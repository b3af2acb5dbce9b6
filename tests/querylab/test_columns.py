"""Claims about columns, proven from the SQL: a case that saves columns (with only(), defer() or
values()) selects exactly the columns it names in the registry (`optimized_columns`), on every
surface, and its naive variant selects more of them (the saving is real).

The bytes follow from the columns: a post's body is kilobytes, every other column a few dozen
bytes, so a list that selects the body moves far more data to show the same rows.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from querylab.datasets import DISCRIMINATING, build_dataset
from querylab.measure import render_page, row_bytes
from querylab.registry import CASES, AnyCase, Surface, Variant

pytestmark = pytest.mark.django_db

SAVING_TECHNIQUES = {"only", "defer", "values"}
CLAIMING = [case for case in CASES if case.optimized_columns]


def saves_columns_over_naive(case: AnyCase) -> bool:
    """Whether the naive variant selects columns the optimized one does not. Not so for
    deferred-trap (its naive only() selects fewer, then loads one per row: an N+1) and the
    export (both select the same values(); its saving is memory)."""
    return case.slug not in {"deferred-trap", "post-export"}


def select_list(sql: str) -> str:
    """The columns part of a SELECT: up to its own FROM, not a subquery's."""
    depth = 0
    start = sql.upper().index("SELECT") + len("SELECT")
    for index in range(start, len(sql)):
        char = sql[index]
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.upper().startswith(" FROM ", index):
            return sql[start:index]
    return sql[start:]


def selected_columns(queries: list[str], table: str) -> set[str]:
    """Every column of `table` the queries select, by name (quoted as Django writes them)."""
    pattern = re.compile(rf'"{table}"\."(\w+)"')
    return {column for sql in queries for column in pattern.findall(select_list(sql))}


def captured(
    case: AnyCase, surface: Surface, variant: Variant, limit: int
) -> tuple[list[str], Any]:
    target = case.target(limit)
    assert target is not None
    with CaptureQueriesContext(connection) as queries:
        page = render_page(case.url(surface, variant, target, limit=limit))
    assert page.response.status_code == 200
    return [query["sql"] for query in queries.captured_queries], page


def test_every_case_that_saves_columns_names_them() -> None:
    saving = [case.slug for case in CASES if SAVING_TECHNIQUES & set(case.techniques)]

    assert saving
    assert sorted(saving) == sorted(case.slug for case in CLAIMING)


@pytest.mark.parametrize(
    ("case", "surface"),
    [(case, surface) for case in CLAIMING for surface in case.surfaces],
    ids=lambda value: getattr(value, "slug", value),
)
def test_the_optimized_variant_selects_exactly_the_named_columns(case, surface) -> None:
    build_dataset(DISCRIMINATING)

    optimized, page = captured(case, surface, "optimized", 5)
    naive, _ = captured(case, surface, "naive", 5)

    assert page.n, "nothing shown"
    for table, columns in case.optimized_columns.items():
        assert selected_columns(optimized, table) == columns, table
    extra = {
        table: selected_columns(naive, table) - columns
        for table, columns in case.optimized_columns.items()
    }
    if saves_columns_over_naive(case):
        assert any(extra.values())
    else:
        assert not any(extra.values())


def test_the_saved_columns_are_most_of_the_bytes() -> None:
    build_dataset(DISCRIMINATING)

    for case in filter(saves_columns_over_naive, CLAIMING):
        _, naive = captured(case, case.surfaces[0], "naive", 50)
        _, optimized = captured(case, case.surfaces[0], "optimized", 50)
        assert row_bytes(optimized.rows) * 5 < row_bytes(naive.rows), case.slug
