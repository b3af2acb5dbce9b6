"""Every optimized read case runs under strict loading (querycheck.strict_loading): no relation or
deferred field of it loads lazily, on either surface. Every naive case whose count grows fails
there, naming the relation: strict loading catches the N+1 at the line that causes it."""

from __future__ import annotations

import pytest

from querycheck import LazyLoadError, strict_loading
from querylab.datasets import build_data
from querylab.measure import render_page
from querylab.registry import CASES, AnyCase, Surface
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READS = [c for c in CASES if c.kind == "read"]


def url(case: AnyCase, surface: Surface, variant: str, n: int = 4) -> str:
    build_data(case.scale, n)
    limit = None if case.staff_only else n
    return case.url(surface, variant, case.target(n), limit=limit)  # type: ignore[arg-type]


def staff(case: AnyCase) -> object:
    return UserFactory.create(is_staff=True, is_superuser=True) if case.staff_only else None


@pytest.mark.parametrize(
    ("case", "surface"),
    [(c, s) for c in READS for s in c.surfaces],
    ids=lambda v: getattr(v, "slug", v),
)
def test_the_optimized_variant_loads_nothing_lazily(case: AnyCase, surface: Surface) -> None:
    address, user = url(case, surface, "optimized"), staff(case)

    with strict_loading():
        page = render_page(address, user=user)

    assert page.status_code == 200


@pytest.mark.parametrize("case", [c for c in READS if c.grows_with_n], ids=lambda c: c.slug)
def test_the_naive_variant_fails_naming_the_relation(case: AnyCase) -> None:
    address, user = url(case, case.surfaces[0], "naive"), staff(case)

    with pytest.raises(LazyLoadError) as failure, strict_loading():
        render_page(address, user=user)

    message = str(failure.value)
    assert " loaded lazily under strict loading, at " in message
    assert ". Fix: " in message
