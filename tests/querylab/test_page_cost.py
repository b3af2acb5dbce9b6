"""Each case page shows, on the page, what this request cost (querylab.page_measurement)."""

from __future__ import annotations

import dataclasses
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from core.cases import Variant
from core.formulas import Formula
from querylab import page_measurement
from querylab.registry import CASES, CASES_BY_SLUG, VARIANTS, AnyCase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE_CASES = [case for case in CASES if case.template is not None]
FIGURES = re.compile(
    r'id="page-cost" data-queries="(?P<queries>\d+)" data-expected="(?P<expected>\d+)" '
    r'data-n="(?P<n>\d+)"'
)


def figures(html: str) -> dict[str, int]:
    found = FIGURES.search(html)
    assert found is not None, "the page shows no measurement"
    return {key: int(value) for key, value in found.groupdict().items()}


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.slug)
def test_each_case_page_shows_its_own_count(
    client, data_of, django_assert_num_queries, case: AnyCase
) -> None:
    n = 3
    data_of(case.scale, n)
    target = case.target(n)
    assert target is not None

    for variant in VARIANTS:
        expected = case.formula(variant).at(n)
        with django_assert_num_queries(expected):
            response = client.get(case.page_url(variant, target, limit=n))

        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        shown = figures(html)
        assert shown == {"queries": expected, "expected": expected, "n": n}, variant
        other: Variant = "optimized" if variant == "naive" else "naive"
        other_expected = case.formula(other).at(n)
        assert f"gives {other_expected} at the same N" in html
        assert reverse("querylab:case", kwargs={"slug": case.slug}) + f"?n={n}" in html
        # Content-Length, where set, is the body's with the figures in it.
        if response.has_header("Content-Length"):
            assert int(response["Content-Length"]) == len(response.content)


def test_the_count_is_measured_not_taken_from_the_formula(client, data_of, monkeypatch) -> None:
    """With a formula that is wrong, the page shows the queries it ran, and says they differ."""
    case = CASES_BY_SLUG["post-list"]
    data_of(case.scale, 4)
    wrong = dataclasses.replace(case, naive_queries=Formula.parse("1"))
    pages = {**page_measurement.case_pages(), case.url_name("page", "naive"): (wrong, "naive")}
    monkeypatch.setattr(page_measurement, "case_pages", lambda: pages)

    html = client.get(reverse("blog:post-list-naive"), {"limit": 4}).content.decode()

    assert figures(html) == {"queries": 1 + 2 * 4, "expected": 1, "n": 4}
    assert "this request ran 9" in html


def test_the_admin_changelists_show_their_counts_to_staff(client, data_of) -> None:
    case = CASES_BY_SLUG["admin-changelist"]
    data_of(case.scale, 5)
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    for variant in VARIANTS:
        html = client.get(reverse(case.url_name("page", variant))).content.decode()
        expected = case.formula(variant).at(5)
        assert figures(html) == {"queries": expected, "expected": expected, "n": 5}, variant


def test_other_pages_are_left_as_they_are(client, data_of) -> None:
    data_of("posts", 3)

    home = client.get(reverse("blog:home")).content.decode()
    api = client.get(reverse("api:post-feed-naive"), {"limit": 3})

    assert 'id="page-cost"' not in home
    assert api.status_code == HTTPStatus.OK
    assert api.json()["results"]
