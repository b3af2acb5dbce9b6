"""Every write case in the registry, proved like the reads: the optimized statement count is its
formula and flat in N, the naive one its formula, and both leave the same rows behind.

Counted without SAVEPOINT statements: inside a test's transaction every service's atomic block
adds a pair of them, which a request in autocommit mode does not pay.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from querycheck.sql import is_savepoint
from querylab.measure import run_write
from querylab.registry import CASES, VARIANTS, AnyCase

pytestmark = pytest.mark.django_db

SIZES = (1, 5, 20)
WRITE_CASES = [case for case in CASES if case.write is not None]


def write(case: AnyCase, variant: str, n: int):
    assert case.write is not None
    setup = case.write(n)
    with CaptureQueriesContext(connection) as captured:
        page = run_write(case, variant, setup)  # type: ignore[arg-type]
    queries = [q for q in captured.captured_queries if not is_savepoint(q["sql"])]
    return setup, page, len(queries)


def test_the_write_cases_are_registered() -> None:
    assert {c.slug for c in WRITE_CASES} >= {"post-import", "bulk-publish", "bulk-update"}
    for case in WRITE_CASES:
        assert case.kind == "write"


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("case", WRITE_CASES, ids=lambda case: case.slug)
def test_statement_count_is_the_formula(case, variant, n) -> None:
    _, page, count = write(case, variant, n)

    assert page.response.status_code in {HTTPStatus.OK, HTTPStatus.CREATED}
    if case.grows_with_n:
        assert page.n == n
    assert count == case.formula(variant).at(page.n)


@pytest.mark.parametrize("case", WRITE_CASES, ids=lambda case: case.slug)
def test_both_variants_leave_the_same_rows(case) -> None:
    outcomes = {}
    for variant in VARIANTS:
        with transaction.atomic():
            setup, _page, _ = write(case, variant, 5)
            outcomes[variant] = setup.outcome()
            transaction.set_rollback(True)

    assert outcomes["naive"]
    assert outcomes["naive"] == outcomes["optimized"]
