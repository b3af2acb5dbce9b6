"""The auto tier: the naive code with django-auto-prefetch batching its lazy foreign-key and
one-to-one loads (querylab.auto_tier). Its count is the declared formula at every size, its rows
are the naive rows, and outside `auto_prefetching()` the descriptors it installs change nothing."""

from __future__ import annotations

import pytest

from querylab.auto_tier import auto_prefetching
from querylab.datasets import build_data
from querylab.measure import render_page
from querylab.registry import CASES, AnyCase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AUTO = [c for c in CASES if c.auto_queries is not None]


def test_the_cases_with_lazy_foreign_keys_declare_an_auto_tier() -> None:
    assert {c.slug for c in AUTO} == {
        "post-list", "post-feed", "user-directory", "post-detail", "drf-nested-serializer",
        "admin-changelist",
    }  # fmt: skip


@pytest.mark.parametrize("case", AUTO, ids=lambda c: c.slug)
@pytest.mark.parametrize("n", [1, 5, 20])
def test_the_auto_tier_costs_its_formula_and_shows_the_naive_rows(
    case: AnyCase, n: int, django_assert_num_queries
) -> None:
    build_data(case.scale, n)
    user = UserFactory.create(is_staff=True, is_superuser=True) if case.staff_only else None
    url = case.url(case.surfaces[0], "naive", case.target(n), limit=None if case.staff_only else n)
    assert case.auto_queries is not None

    naive = render_page(url, user=user)
    with django_assert_num_queries(case.auto_queries.at(naive.n)), auto_prefetching():
        auto = render_page(url, user=user)
    # Outside the tier the descriptors are inert: the naive count is the naive formula.
    with django_assert_num_queries(case.naive_queries.at(naive.n)):
        render_page(url, user=user)

    assert naive.n == auto.n
    assert naive.rows == auto.rows
    if not case.staff_only:  # the admin's page carries a fresh CSRF token per request
        assert naive.body == auto.body
