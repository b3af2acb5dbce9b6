"""Routes come from the declarations: one per case, surface and variant, named by the slug, each
running exactly the code its declaration names; the cases' former addresses redirect."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import resolve, reverse

from core.case_output import recording, report_count, report_rows
from querylab.registry import CASES, VARIANTS, AnyCase
from tests.factories import PostFactory

ROUTED = [(case, surface) for case in CASES for surface in case.surfaces if not case.staff_only]


def sample_kwargs(case: AnyCase) -> dict[str, str]:
    return (
        {"slug": "a-post"}
        if "<slug:slug>" in case.route
        else ({"fmt": "csv"} if "fmt" in case.route else {})
    )


@pytest.mark.parametrize(
    ("case", "surface"), ROUTED, ids=lambda value: getattr(value, "slug", value)
)
def test_each_route_is_named_by_the_slug_and_runs_its_declaration(case, surface) -> None:
    for variant in VARIANTS:
        path = reverse(case.url_name(surface, variant), kwargs=sample_kwargs(case))
        match = resolve(path)

        prefix = "/api/v1/" if surface == "api" else "/"
        assert path.startswith(f"{prefix}{variant}/{case.slug}/")
        assert match.url_name == f"{case.slug}-{variant}"
        mounted = match.func.view_initkwargs  # type: ignore[attr-defined]
        assert mounted["case"] is case
        assert mounted["variant"] == variant


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/naive/dated-titles/?limit=3", "/naive/deferred-trap/?limit=3"),
        ("/optimized/feed/", "/optimized/post-feed/"),
        ("/naive/posts/a-post/", "/naive/post-detail/a-post/"),
        ("/api/v1/naive/posts/import/", "/api/v1/naive/post-import/"),
        ("/api/v1/naive/posts/export.csv", "/api/v1/naive/post-export/csv/"),
        ("/api/v1/naive/posts/a-post/view/", "/api/v1/naive/view-counter/a-post/"),
        ("/api/v1/cached/stats/", "/api/v1/optimized/stats-cache/"),
    ],
)
def test_a_former_case_address_redirects_with_its_method_and_query(client, old, new) -> None:
    response = client.post(old) if "import" in old else client.get(old)

    # 308: a client that POSTed sends the same POST to the new address.
    assert response.status_code == HTTPStatus.PERMANENT_REDIRECT
    assert response["Location"] == new


@pytest.mark.django_db
def test_the_lab_is_told_the_rows_a_case_view_rendered(client) -> None:
    PostFactory.create_batch(3)

    with recording() as output:
        response = client.get("/naive/post-list/", {"limit": 2})

    assert response.status_code == HTTPStatus.OK
    assert output.reported
    assert [post.pk for post in output.rows] == [post.pk for post in response.context["rows"]]
    assert output.n == 2


def test_an_aggregate_reports_its_n_and_nobody_listening_costs_nothing() -> None:
    report_rows([1, 2])  # outside a recording: ignored
    with recording() as output:
        report_count(7)

    assert output.reported
    assert output.rows == []
    assert output.n == 7
