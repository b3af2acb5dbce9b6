"""querycheck's fingerprints: one shape per query, whatever its values."""

from __future__ import annotations

import pytest

from querycheck.sql import fingerprint, group_queries, is_savepoint


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


@pytest.mark.django_db
def test_captured_queries_group_by_shape_with_their_measured_time() -> None:
    from django.db import connection

    from querycheck.capture import capture_queries, group_captured

    with capture_queries() as captured, connection.cursor() as cursor:
        for value in (1, 2, 3):
            cursor.execute("SELECT %s", [value])
        cursor.execute("SELECT 1, 2")

    shapes = group_captured(captured.queries)

    assert [(shape.count, shape.example) for shape in shapes] == [
        (3, "SELECT %s"),
        (1, "SELECT 1, 2"),
    ]
    assert shapes[0].milliseconds == pytest.approx(
        sum(query.seconds for query in captured.queries[:3]) * 1000
    )
    assert shapes[0].milliseconds > 0
