"""`tests.shared_data`: rows built once per module, each test's writes rolled back to them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from blog.models import Post
from tests.factories import PostFactory
from tests.shared_data import shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_post_ids(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[int]]:
    with shared_data(django_db_blocker):
        yield [post.pk for post in PostFactory.create_batch(3)]


def test_a_test_may_write_over_the_shared_rows(shared_post_ids: list[int]) -> None:
    assert sorted(Post.objects.values_list("pk", flat=True)) == sorted(shared_post_ids)

    Post.objects.filter(pk__in=shared_post_ids).delete()

    assert not Post.objects.exists()


def test_the_next_test_finds_them_again(shared_post_ids: list[int]) -> None:
    assert sorted(Post.objects.values_list("pk", flat=True)) == sorted(shared_post_ids)
