"""querycheck's suggestions, proved on every naive read case whose count grows: the fixes it
proposes are applied to the naive code as it runs (querycheck.applying), and the count must then
stay flat. Where no call added to a queryset can fix a case (a count or an exists() per row, a
sliced or filtered relation), the suggestion must say which technique fits, and applying the rest
must leave the count growing: the toolkit does not claim a fix it cannot make."""

from __future__ import annotations

import pytest
from django.db import transaction

from querycheck import Fix, applying, assert_constant_queries, capture_queries
from querycheck.testing import QueryCountChangedError
from querylab.datasets import build_data
from querylab.measure import render_page
from querylab.registry import CASES, AnyCase

pytestmark = pytest.mark.django_db

GROWING = [c for c in CASES if c.kind == "read" and c.grows_with_n and not c.staff_only]
# The cases a select_related, prefetch_related or only() fixes entirely.
FIXED_BY_SUGGESTIONS = {
    "post-list",
    "post-detail",
    "deferred-trap",
    "drf-nested-serializer",
    "stats",
}
# The others, and what the suggestions must say fits instead.
NEEDS_ANOTHER_TECHNIQUE = {
    "post-feed": (
        "annotate(comments_count=Count('comments'))",
        "Prefetch('comments', queryset=Comment.objects.<the same filter, order and slice>",
        "Prefetch('tags', queryset=Tag.objects",
    ),
    "user-directory": (
        "annotate(posts_count=Count('posts'))",
        "annotate(...=Subquery(...))",
    ),
    "tag-cloud": ("annotate(posts_count=Count('posts'))",),
    "category-latest": (
        "Prefetch('posts', queryset=Post.objects.<the same filter, order and slice>",
    ),
    "posts-i-commented": ("annotate(flag=Exists(Comment.objects.filter(",),
    "post-latest-comment": ("annotate(...=Subquery(...))",),
}


def test_every_growing_naive_case_is_classified() -> None:
    assert {c.slug for c in GROWING} == FIXED_BY_SUGGESTIONS | set(NEEDS_ANOTHER_TECHNIQUE)


def naive_url(case: AnyCase, n: int) -> str:
    build_data(case.scale, n)
    return case.url(case.surfaces[0], "naive", case.target(n), limit=n)


def suggested(case: AnyCase) -> set[Fix]:
    """The fixes querycheck proposes for the naive variant, on data made and rolled back."""
    with transaction.atomic():
        url = naive_url(case, 3)
        with capture_queries() as captured:
            render_page(url)
        transaction.set_rollback(True)
    fixes = {query.load.fix() for query in captured.queries if query.load}
    assert fixes, f"{case.slug}: no lazy load found"
    return fixes


@pytest.mark.parametrize(
    "case", [c for c in GROWING if c.slug in FIXED_BY_SUGGESTIONS], ids=lambda c: c.slug
)
def test_the_suggested_fixes_make_the_naive_count_flat(case: AnyCase) -> None:
    fixes = suggested(case)

    def rendered(url: str) -> None:
        with applying(fixes):
            render_page(url)

    assert_constant_queries([2, 6], lambda n: naive_url(case, n), rendered)
    # The same sizes without the fixes: the count grows, so the fixes are what made it flat.
    with pytest.raises(QueryCountChangedError):
        assert_constant_queries([2, 6], lambda n: naive_url(case, n), render_page)


@pytest.mark.parametrize(
    "case", [c for c in GROWING if c.slug in NEEDS_ANOTHER_TECHNIQUE], ids=lambda c: c.slug
)
def test_where_no_added_call_fixes_a_case_the_suggestion_names_the_technique(
    case: AnyCase,
) -> None:
    fixes = suggested(case)
    texts = "\n".join(sorted(fix.text for fix in fixes))
    for technique in NEEDS_ANOTHER_TECHNIQUE[case.slug]:
        assert technique in texts, f"{case.slug}: {technique!r} not suggested in\n{texts}"
    assert any(not fix.appliable for fix in fixes)

    def rendered(url: str) -> None:
        with applying(fixes):
            render_page(url)

    with pytest.raises(QueryCountChangedError):
        assert_constant_queries([2, 6], lambda n: naive_url(case, n), rendered)
