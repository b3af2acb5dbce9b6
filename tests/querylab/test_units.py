"""The lab's small parts: formulas, SQL fingerprints, the registry's own consistency."""

from __future__ import annotations

import pytest

from querylab.formulas import Formula
from querylab.registry import CASES, TECHNIQUES
from querylab.sql import fingerprint, group_queries, is_savepoint


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


def test_fingerprint_replaces_literals_and_collapses_in_lists() -> None:
    select = 'SELECT "blog_post"."id" FROM "blog_post" WHERE ("blog_post"."id" IN '
    first = select + """(1, 2, 3) AND "blog_post"."title" = 'it''s') LIMIT 21"""
    second = select + """(4)   AND "blog_post"."title" = 'other') LIMIT 5"""

    assert fingerprint(first) == fingerprint(second)
    assert fingerprint(first) == (
        'SELECT "blog_post"."id" FROM "blog_post" WHERE ("blog_post"."id" IN (...) '
        'AND "blog_post"."title" = ?) LIMIT ?'
    )


def test_fingerprint_keeps_digits_inside_names() -> None:
    sql = 'SELECT T3."id", "table2"."col1" FROM "table2" WHERE T3."id" = 10'

    assert fingerprint(sql) == 'SELECT T3."id", "table2"."col1" FROM "table2" WHERE T3."id" = ?'


def test_fingerprint_is_the_same_for_sql_as_sent_and_as_logged() -> None:
    sent = 'SELECT "id" FROM "blog_post" WHERE "slug" = %s AND "id" IN (%s, %s, %s)'
    logged = """SELECT "id" FROM "blog_post" WHERE "slug" = 'a-b' AND "id" IN (4, 5, 6)"""

    assert fingerprint(sent) == fingerprint(logged)
    assert fingerprint(sent) == 'SELECT "id" FROM "blog_post" WHERE "slug" = ? AND "id" IN (...)'


def test_fingerprint_folds_the_rows_of_a_multi_row_insert() -> None:
    three = 'INSERT INTO "t" ("a", "b") VALUES (%s, %s), (%s, %s), (%s, %s)'
    one = 'INSERT INTO "t" ("a", "b") VALUES (1, \'x\')'

    assert fingerprint(three) == fingerprint(one) == 'INSERT INTO "t" ("a", "b") VALUES (...)'


def test_savepoints_are_left_out_of_groups() -> None:
    queries = [
        {"sql": 'SAVEPOINT "s1"', "time": "0.001"},
        {"sql": "SELECT 1 FROM x WHERE id = 1", "time": "0.002"},
        {"sql": "SELECT 1 FROM x WHERE id = 2", "time": "0.003"},
        {"sql": 'RELEASE SAVEPOINT "s1"', "time": "0.001"},
    ]

    (shape,) = group_queries(queries)

    assert is_savepoint('ROLLBACK TO SAVEPOINT "s1"')
    assert (shape.fingerprint, shape.count) == ("SELECT ? FROM x WHERE id = ?", 2)
    assert shape.milliseconds == pytest.approx(5.0)


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
