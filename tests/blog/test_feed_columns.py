"""The feed fetches only the columns a card shows (blog.selectors.FEED_POST_FIELDS and
FEED_COMMENT_FIELDS), on every page that serves it, and no column it leaves out is then loaded
lazily: the same three queries, none of the joined author's private or unused columns."""

from __future__ import annotations

import pytest
from django.urls import reverse

from querylab.registry import CASES, PageTarget
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

# Columns of the post and of the joined users that no card shows: were any of them selected,
# the feed would be back to fetching (and decoding) whole rows.
NOT_SHOWN = (
    '"blog_post"."body"',
    '"users_user"."password"',
    '"users_user"."email"',
    '"users_user"."date_joined"',
    '"users_user"."last_login"',
    '"users_profile"."bio"',
)
FEED = next(case for case in CASES if case.slug == "post-feed")
FEED_URLS = [
    reverse("api:posts"),
    reverse("blog:async-feed"),
    FEED.url("page", "optimized", PageTarget(), limit=10),
    FEED.url("api", "optimized", PageTarget(), limit=10),
]


@pytest.mark.parametrize("url", FEED_URLS)
def test_the_feed_selects_no_column_a_card_does_not_show(
    url, client, django_assert_num_queries
) -> None:
    posts = PostFactory.create_batch(4, published=True)
    for post in posts:
        CommentFactory.create_batch(2, post=post)

    with django_assert_num_queries(3) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert posts[0].title in response.content.decode()
    # Anywhere in the SQL: the sliced comment prefetch selects its columns in a subquery.
    selected = [query["sql"] for query in queries.captured_queries]
    assert selected
    for sql in selected:
        assert not [column for column in NOT_SHOWN if column in sql], sql
