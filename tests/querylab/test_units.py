"""The lab's small parts: formulas, SQL fingerprints, the registry's own consistency."""

from __future__ import annotations

import pytest

from core.formulas import Formula
from querylab.registry import CASES, TECHNIQUES


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [("1", 7, 1), ("1 + 2N", 5, 11), ("5 + 2N", 0, 5), ("N + 1", 3, 4), ("3 + N + N", 2, 7)],
)
def test_formula_evaluates(text: str, n: int, expected: int) -> None:
    assert Formula.parse(text).at(n) == expected


@pytest.mark.parametrize("text", ["", "1 +", "2M", "1 - N", "N^2", "one"])
def test_formula_rejects_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="not a sum"):
        Formula.parse(text)


def test_registry_lists_at_least_the_twelve_cases_with_known_techniques() -> None:
    slugs = {case.slug for case in CASES}

    assert {
        "post-list", "post-feed", "user-directory", "post-detail", "tag-cloud",
        "category-latest", "posts-i-commented", "post-titles", "deferred-trap", "post-values",
        "deep-pagination",
    } <= slugs  # fmt: skip
    for case in CASES:
        assert set(case.techniques) <= set(TECHNIQUES)
        assert case.why
        assert case.docs_url.startswith("https://docs.djangoproject.com/")
