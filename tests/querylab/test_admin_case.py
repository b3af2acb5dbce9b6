"""The admin-changelist case: the same registry proofs as the other cases, as a staff user."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from querylab.measure import render_page
from querylab.registry import CASES_BY_SLUG, PageTarget
from tests.factories import UserFactory

CASE = CASES_BY_SLUG["admin-changelist"]
TBODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def staff(db):
    return UserFactory.create(is_staff=True, is_superuser=True)


def changelist(variant: str) -> str:
    return CASE.page_url(variant, PageTarget(), limit=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("variant", ["naive", "optimized"])
@pytest.mark.parametrize("n", [1, 5, 20])
def test_query_count_is_the_formula(staff, data_of, django_assert_num_queries, variant, n):
    data_of(CASE.scale, n)

    with django_assert_num_queries(CASE.formula(variant).at(n)):
        page = render_page(changelist(variant), user=staff)

    assert page.response.status_code == HTTPStatus.OK
    assert page.n == n


def test_both_changelists_show_the_same_rows(staff, data_of):
    data_of(CASE.scale, 5)

    texts = {}
    for variant in ("naive", "optimized"):
        page = render_page(changelist(variant), user=staff)
        (tbody,) = TBODY.findall(page.content)
        texts[variant] = " ".join(TAG.sub(" ", tbody).split())

    assert texts["naive"]
    assert texts["naive"] == texts["optimized"]


def test_both_changelists_open_for_staff_through_the_real_stack(client, staff, data_of):
    data_of(CASE.scale, 3)
    client.force_login(staff)

    for variant in ("naive", "optimized"):
        assert client.get(changelist(variant)).status_code == HTTPStatus.OK


def test_lab_measures_it_for_staff_only(client, lab_page, staff, data_of):
    data_of(CASE.scale, 3)
    url = reverse("querylab:case", kwargs={"slug": CASE.slug})

    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(staff)
    response = lab_page(url, {"n": 3})

    assert response.status_code == HTTPStatus.OK
    naive, optimized = response.context["measurements"]
    assert (naive.queries, optimized.queries) == (7 + 3 * 3, 7)
    assert "class NaiveAdminPostAdmin" in response.html
