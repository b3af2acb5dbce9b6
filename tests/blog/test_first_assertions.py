"""The two assertions docs/testing.md opens with, as they run here: copy them into your project,
change the URL, the selector and the factory, and keep the shape."""

from __future__ import annotations

import pytest

from blog.selectors import post_feed_optimized
from querycheck import assert_constant_queries
from tests.factories import PostFactory


# 1. One request costs exactly what you claim: Django's own assertion, as a context manager
#    around the request, on data that has every relation the page reads.
@pytest.mark.django_db
def test_the_feed_page_costs_three_queries(client, django_assert_num_queries):
    PostFactory.create_batch(5, tags=2, comments=3)

    with django_assert_num_queries(3):
        response = client.get("/optimized/post-feed/", {"limit": 5})

    assert len(response.context["rows"]) == 5


# 2. The count does not grow with the data: `setup(n)` builds n posts, `run` gets what it returned,
#    at 1, 5 and 20 posts. On failure it prints each query shape's count per size: an N+1 names
#    itself.
@pytest.mark.django_db
def test_the_feed_costs_the_same_at_any_size():
    assert_constant_queries(
        [1, 5, 20],
        lambda n: PostFactory.create_batch(n, tags=2, comments=3),
        lambda posts: list(post_feed_optimized(limit=len(posts))),
        expected=3,
    )
