"""The query assertions of `querycheck.testing`: each passes on the optimized code and fails,
explained, on the naive code. An assertion that cannot fail proves nothing."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connections

from blog.models import Post
from querycheck.testing import (
    NPlusOneError,
    QueryCountChangedError,
    QueryCountError,
    assert_constant_queries,
    assert_num_queries,
    capture_queries,
    fold_repeats,
    no_n_plus_one,
    print_queries,
)
from querylab.datasets import build_data
from querylab.measure import render_page
from querylab.registry import CASES_BY_SLUG, Variant

pytestmark = pytest.mark.django_db

FEED = CASES_BY_SLUG["post-feed"]
TABLE_ROW = re.compile(r"\s+(?P<flag>grew)?(?P<counts>(?:\s+\d+)+)  (?P<shape>\S.*)")
COMMENT_COUNT = 'SELECT COUNT(*) AS "__count" FROM "blog_comment"'


def feed_url(variant: Variant, n: int) -> str:
    return FEED.page_url(variant, FEED.target(n), limit=n)


def optimized_feed(n: int) -> str:
    build_data("posts", n)
    return feed_url("optimized", n)


def naive_feed(n: int) -> str:
    build_data("posts", n)
    return feed_url("naive", n)


# assert_constant_queries


def test_passes_when_the_count_is_flat() -> None:
    runs = assert_constant_queries([1, 5, 20], setup=optimized_feed, run=render_page, expected=3)

    assert [run.total for run in runs] == [3, 3, 3]


def test_each_size_starts_from_the_same_data() -> None:
    assert_constant_queries([3, 7], setup=optimized_feed, run=render_page)

    assert not Post.objects.exists()


def test_a_flat_count_other_than_the_expected_one_fails() -> None:
    with pytest.raises(QueryCountChangedError, match=r"Expected 2 queries at every size: 3 at"):
        assert_constant_queries([1, 2], setup=optimized_feed, run=render_page, expected=2)


def test_one_size_compares_nothing_and_is_refused() -> None:
    with pytest.raises(ValueError, match="at least two sizes"):
        assert_constant_queries([5], setup=optimized_feed, run=render_page)


def test_fails_on_the_naive_variant_with_a_table_of_shapes_per_size() -> None:
    with pytest.raises(QueryCountChangedError) as raised:
        assert_constant_queries([1, 5], setup=naive_feed, run=render_page)

    message = str(raised.value)
    assert "10 at size 1, 46 at size 5" in message
    table = (
        message.split("Queries per shape at each size:\n")[1]
        .split("\n\n", maxsplit=1)[0]
        .splitlines()
    )
    header, rows = table[0], table[1:]
    assert header.split() == ["N=1", "N=5"]
    assert rows
    by_shape = {}
    for row in rows:
        parsed = TABLE_ROW.fullmatch(row)
        assert parsed, row
        by_shape[parsed["shape"]] = [parsed["flag"] or "", *parsed["counts"].split()]
    # The per-post comment count: one shape, run once per post, marked as grown.
    counts = next(cells for shape, cells in by_shape.items() if shape.startswith(COMMENT_COUNT))
    assert counts == ["grew", "1", "5"]
    # The posts query itself ran once at each size: listed, not marked.
    posts = next(
        cells for shape, cells in by_shape.items() if shape.startswith('SELECT "blog_post"."id"')
    )
    assert posts == ["", "1", "1"]


def test_the_failure_diffs_the_query_lists_folding_the_repeated_block() -> None:
    with pytest.raises(QueryCountChangedError) as raised:
        assert_constant_queries([1, 6], setup=naive_feed, run=render_page)

    diff = str(raised.value).split("a block that repeats is shown once:\n")[1].splitlines()
    assert diff
    added = [line.strip() for line in diff if line.strip().startswith("+")]
    assert added  # only queries the larger size ran are marked +; none ran only at N=1
    assert not [line for line in diff if line.strip().startswith("-")]
    assert any(line.strip().startswith("the next") and "5 times" in line for line in diff)


def test_fold_repeats_folds_lines_and_blocks() -> None:
    lines = ["a", "b", "c", "b", "c", "b", "c", "d", "d", "e"]

    assert fold_repeats(lines) == [
        "a",
        "the next 2 lines, 3 times:",
        "  b",
        "  c",
        "d  (x2)",
        "e",
    ]


# assert_num_queries


def test_assert_num_queries_passes_on_the_exact_count() -> None:
    url = optimized_feed(4)

    with assert_num_queries(3) as captured:
        render_page(url)

    assert captured.count == 3


def test_assert_num_queries_fails_listing_the_queries_grouped() -> None:
    url = naive_feed(4)

    with pytest.raises(QueryCountError) as raised, assert_num_queries(3):
        render_page(url)

    message = str(raised.value)
    assert message.startswith("Expected 3 queries, 37 ran.")
    assert re.search(rf"^  x4 +[\d.]+ ms  {re.escape(COMMENT_COUNT)}", message, re.M)


# no_n_plus_one


def test_the_guard_passes_the_optimized_feed() -> None:
    url = optimized_feed(10)

    with no_n_plus_one(limit=1) as captured:
        render_page(url)

    assert captured.count == 3


def test_the_guard_names_the_app_code_behind_an_n_plus_one() -> None:
    url = naive_feed(6)

    with pytest.raises(NPlusOneError) as raised, no_n_plus_one():
        render_page(url)

    message = str(raised.value)
    assert f"x6 {COMMENT_COUNT}" in message
    assert "issued from blog/selectors/pairs.py:" in message
    assert "in post_feed_naive" in message


def test_the_guard_allows_a_few_repeats() -> None:
    build_data("posts", 3)
    post_list = CASES_BY_SLUG["post-list"]
    url = post_list.page_url("naive", post_list.target(3), limit=3)

    with no_n_plus_one(limit=3) as captured:  # three authors and three categories: at the limit
        render_page(url)

    assert captured.count == 7


# capture_queries and print_queries


def test_capture_sees_queries_on_other_threads_and_connections() -> None:
    def count_in_a_thread() -> None:
        try:
            Post.objects.count()  # this thread's own connection, outside the test transaction
        finally:
            connections.close_all()

    with capture_queries() as captured:
        Post.objects.exists()
        thread = threading.Thread(target=count_in_a_thread, name="other-thread")
        thread.start()
        thread.join()

    threads = [query.thread for query in captured.queries]
    assert threads == ["MainThread", "other-thread"]


def test_capture_ends_with_the_block() -> None:
    with capture_queries() as captured:
        Post.objects.exists()
    Post.objects.exists()

    assert captured.count == 1


def test_print_queries_prints_grouped_shapes_and_never_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = naive_feed(5)

    with print_queries("naive feed") as captured:
        render_page(url)

    printed = capsys.readouterr().out
    assert captured.count == 46
    assert printed.startswith("--- naive feed ---\n46 queries in 7 shapes")
    assert "x5    " in printed
    assert "from blog/selectors/pairs.py:" in printed
