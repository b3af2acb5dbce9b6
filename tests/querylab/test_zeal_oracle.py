"""django-zeal, the best-kept N+1 detector for Django, as an independent oracle over every read
case: it must flag each naive variant whose count grows (but the two it cannot see, below) and
nothing in any optimized variant; querycheck must flag all of them, those two included.

Where they disagree, this records who catches what: zeal watches the relations whose rows are
fetched, so a `.count()` or `.exists()` asked of a relation per row (tag-cloud, posts-i-commented)
is invisible to it, while querycheck tags the relation's query itself and sees it run
(docs/patterns.md and querycheck/README.md carry the same table).
"""

from __future__ import annotations

import pytest
from zeal import NPlusOneError, zeal_context

from querycheck import LazyLoadError, strict_loading
from querylab.datasets import build_data
from querylab.measure import render_page
from querylab.registry import CASES, AnyCase, Variant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READS = [c for c in CASES if c.kind == "read"]
# N+1s made of a count or an exists() per row: querycheck sees them, zeal does not.
ZEAL_MISSES = {"tag-cloud", "posts-i-commented"}


def render(case: AnyCase, variant: Variant) -> None:
    user = UserFactory.create(is_staff=True, is_superuser=True) if case.staff_only else None
    limit = None if case.staff_only else 4
    render_page(case.url(case.surfaces[0], variant, case.target(4), limit=limit), user=user)


def zeal_flags(case: AnyCase, variant: Variant) -> bool:
    try:
        with zeal_context():
            render(case, variant)
    except NPlusOneError:
        return True
    return False


def querycheck_flags(case: AnyCase, variant: Variant) -> bool:
    try:
        with strict_loading():
            render(case, variant)
    except LazyLoadError:
        return True
    return False


@pytest.mark.parametrize("case", READS, ids=lambda c: c.slug)
def test_zeal_and_querycheck_agree_but_where_recorded(case: AnyCase) -> None:
    build_data(case.scale, 4)
    growing = case.grows_with_n
    verdicts = {
        "zeal naive": zeal_flags(case, "naive"),
        "zeal optimized": zeal_flags(case, "optimized"),
        "querycheck naive": querycheck_flags(case, "naive"),
        "querycheck optimized": querycheck_flags(case, "optimized"),
    }

    assert verdicts == {
        "zeal naive": growing and case.slug not in ZEAL_MISSES,
        "zeal optimized": False,
        "querycheck naive": growing,
        "querycheck optimized": False,
    }
