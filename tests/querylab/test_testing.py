"""assert_constant_queries passes on the optimized variants and fails, explained, on the naive."""

from __future__ import annotations

import pytest

from blog.models import Post
from querylab.measure import render_page
from querylab.registry import CASES_BY_SLUG
from querylab.testing import (
    NPlusOneError,
    QueryCountChangedError,
    assert_constant_queries,
    no_n_plus_one,
)
from tests.querylab.conftest import build_data

pytestmark = pytest.mark.django_db

FEED = CASES_BY_SLUG["post-feed"]


def feed_setup(n: int) -> str:
    build_data("posts", n)
    return FEED.page_url("optimized", FEED.target(n), limit=n)


def test_passes_when_the_count_is_flat() -> None:
    runs = assert_constant_queries([1, 5, 20], setup=feed_setup, run=render_page)

    assert [run.total for run in runs] == [3, 3, 3]


def test_each_size_starts_from_the_same_data() -> None:
    assert_constant_queries([3, 7], setup=feed_setup, run=render_page)

    assert not Post.objects.exists()


def test_fails_on_the_naive_variant_naming_the_shapes_that_grew() -> None:
    def naive_setup(n: int) -> str:
        build_data("posts", n)
        return FEED.page_url("naive", FEED.target(n), limit=n)

    with pytest.raises(QueryCountChangedError) as raised:
        assert_constant_queries([1, 5], setup=naive_setup, run=render_page)

    message = str(raised.value)
    assert "10 at size 1, 46 at size 5" in message
    # The per-post comment count: one shape, run once per post.
    assert '[1 / 5] SELECT COUNT(*) AS "__count" FROM "blog_comment"' in message
    # Only shapes whose count changed are listed: the posts query itself ran once each time.
    listed = [line for line in message.splitlines() if line.startswith("  [")]
    assert listed
    for line in listed:
        before, after = line[3:].split("]")[0].split(" / ")
        assert before != after


def test_the_guard_passes_the_optimized_feed() -> None:
    url = feed_setup(10)

    with no_n_plus_one() as guard:
        render_page(url)

    assert len(guard.issued) == 3


def test_the_guard_names_the_app_code_behind_an_n_plus_one() -> None:
    build_data("posts", 6)
    url = FEED.page_url("naive", FEED.target(6), limit=6)

    with pytest.raises(NPlusOneError) as raised, no_n_plus_one():
        render_page(url)

    message = str(raised.value)
    assert 'x6 SELECT COUNT(*) AS "__count" FROM "blog_comment"' in message
    assert "blog/selectors.py:" in message
    assert "in post_feed_naive" in message


def test_the_guard_allows_a_few_repeats() -> None:
    build_data("posts", 3)
    post_list = CASES_BY_SLUG["post-list"]
    url = post_list.page_url("naive", post_list.target(3), limit=3)

    with no_n_plus_one(limit=3) as guard:  # three authors and three categories: at the limit
        render_page(url)

    assert len(guard.issued) == 7
