"""Every read case in the registry, proved: a new case gets these tests by being registered.

For each case, each surface it has (HTML page, JSON API) and N in SIZES: the optimized variant
costs exactly its formula (flat in N), the naive one costs its formula too (growing where the
registry says so), and both return the same rows. Counts are taken over the real view and
template or schema, as the lab measures them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import nullcontext
from http import HTTPStatus
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from querycheck.testing import no_n_plus_one
from querylab.datasets import DISCRIMINATING, build_dataset
from querylab.measure import RenderedPage, render_page, revalidating
from querylab.registry import CASES, VARIANTS, AnyCase, Case

SIZES = (1, 5, 20)
READ_CASES = [case for case in CASES if case.kind == "read" and not case.staff_only]
SURFACE_CASES = [(case, surface) for case in READ_CASES for surface in case.surfaces]
ROWS_SECTION = re.compile(r'<section class="rows">(.*?)</section>', re.S)


def case_id(case: AnyCase) -> str:
    return case.slug


def surface_id(value: object) -> str:
    return value.slug if isinstance(value, Case) else str(value)


def case_url(case: AnyCase, surface: str, variant: str, n: int) -> str:
    target = case.target(n)
    assert target is not None, f"{case.slug}: no representative object in the test data"
    return case.url(surface, variant, target, limit=n)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("case", "surface"), SURFACE_CASES, ids=surface_id)
def test_query_count_is_the_formula(  # noqa: PLR0917 - pytest passes fixtures by position
    case, surface, variant, n, data_of, django_assert_num_queries
):
    """The optimized formula is flat in N, so at 1, 5 and 20 this proves it does not grow."""
    data_of(case.scale, n)
    request = client_request(case, case_url(case, surface, variant, n))

    # The optimized variants also run under the N+1 guard: no query shape may repeat.
    guard = no_n_plus_one(limit=1) if variant == "optimized" else nullcontext()
    with django_assert_num_queries(case.formula(variant).at(n)), guard:
        page = request(True)

    assert page.response.status_code == expected_status(case)
    assert page.n == n


def client_request(case: AnyCase, url: str) -> Callable[[bool], RenderedPage]:
    """The request the lab measures: after a warm-up for a cache case, and from a client that
    holds the response for a revalidation case (its ETag sent back)."""
    if case.revalidate:
        return revalidating(url)
    if case.warm_up:
        render_page(url)
    return lambda keep_body: render_page(url, keep_body=keep_body)


def expected_status(case: AnyCase) -> HTTPStatus:
    return HTTPStatus.NOT_MODIFIED if case.revalidate else HTTPStatus.OK


@pytest.mark.parametrize("case", READ_CASES, ids=case_id)
def test_naive_count_grows_with_n_where_the_registry_says(case, data_of):
    counts = {}
    for n in (SIZES[0], SIZES[-1]):
        with transaction.atomic():
            data_of(case.scale, n)
            request = client_request(case, case_url(case, case.surfaces[0], "naive", n))
            with CaptureQueriesContext(connection) as captured:
                request(True)
            counts[n] = len(captured.captured_queries)
            transaction.set_rollback(True)

    if case.grows_with_n:
        assert counts[SIZES[-1]] > counts[SIZES[0]]
    else:
        assert counts[SIZES[-1]] == counts[SIZES[0]]


def rendered_rows(case: AnyCase, surface: str, variant: str, limit: int) -> Any:
    """What a variant shows: the page's rows section, the JSON body, or an export's bytes."""
    page = render_page(case_url(case, surface, variant, limit))
    assert page.response.status_code == HTTPStatus.OK
    if surface == "page":
        return ROWS_SECTION.findall(page.content)
    if page.response["Content-Type"] == "application/json":
        body = json.loads(page.content)
        if isinstance(body, dict) and "next" in body:
            # deep-pagination: the next position is a page number in one variant and a cursor
            # in the other, by design; whether there is a next page must agree.
            body["next"] = body["next"] is not None
        return body
    return page.body


@pytest.mark.parametrize(("case", "surface"), SURFACE_CASES, ids=surface_id)
def test_both_variants_return_the_same_rows(case, surface, db):
    """On data made to tell them apart (querylab.datasets.DISCRIMINATING: drafts with tags and
    comments, ties in every order, a viewer who commented on some posts, rows with nothing
    related), at a limit that cuts inside the ties, one that cuts at the first row, and one
    that shows everything."""
    build_dataset(DISCRIMINATING)

    for limit in (1, 3, 50):
        naive = rendered_rows(case, surface, "naive", limit)
        optimized = rendered_rows(case, surface, "optimized", limit)
        assert naive, "nothing to compare"
        if surface == "page":
            assert naive[0].strip()
        assert naive == optimized, f"limit={limit}"
