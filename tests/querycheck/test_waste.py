"""querycheck.record_waste(): what was loaded eagerly and never read, and what columns were fetched
and never read. Each test fails if reads are not seen (everything would be waste) or loads are not
seen (nothing would be)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Prefetch

from blog.models import Post, Tag
from blog.selectors import post_bylines_naive, post_bylines_optimized
from querycheck import WasteError, assert_no_waste, record_waste
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts() -> list[Post]:
    return PostFactory.create_batch(3, tags=2, comments=2)


def test_an_eager_load_never_read_is_waste_and_a_read_one_is_not(posts) -> None:
    with record_waste() as report:
        rows = Post.objects.select_related("author", "category").prefetch_related(
            "tags", "comments"
        )
        shown = [(post.author.username, [tag.name for tag in post.tags.all()]) for post in rows]

    assert len(shown) == 3
    assert sorted(report.unused_relations()) == [
        ("Post.category", "joined", 3),
        ("Post.comments", "prefetched", 3),
    ]
    unused_columns = {name for name, _, _ in report.unused_columns()}
    # Following a foreign key reads its column; the one never followed is never read.
    assert "Post.author" not in unused_columns
    assert "Post.category" in unused_columns


def test_a_prefetch_into_an_attribute_counts_when_the_list_is_read(posts) -> None:
    # Typed loosely: the stubs would have to_attr declared on the model.
    tags: Any = Prefetch("tags", queryset=Tag.objects.order_by("name"), to_attr="tags_by_name")

    with record_waste() as unread:
        list(Post.objects.prefetch_related(tags))
    with record_waste() as read:
        [len(vars(post)["tags_by_name"]) for post in Post.objects.prefetch_related(tags)]

    assert unread.unused_relations() == [("Post.tags_by_name", "prefetched", 3)]
    assert read.unused_relations() == []


def test_a_column_fetched_and_never_read_is_waste_with_its_size(posts) -> None:
    with record_waste() as report:
        titles = [post.title for post in Post.objects.order_by("id")]

    unused = {name: (rows, size) for name, rows, size in report.unused_columns()}
    assert len(titles) == 3
    assert "Post.title" not in unused
    assert "Post.id" not in unused  # the primary key is the row's identity, never waste
    body_rows, body_bytes = unused["Post.body"]
    assert body_rows == 3
    assert body_bytes == sum(len(post.body.encode()) for post in posts)
    assert report.lines()[0].startswith("fetched Post.body on 3 rows (")


def test_recording_changes_nothing_the_code_sees(posts) -> None:
    with record_waste():
        post = Post.objects.get(pk=posts[0].pk)
        assert post.get_deferred_fields() == set()
        post.title = "Renamed"
        post.save()
        post.refresh_from_db()
        values = (post.title, post.body, post.slug)

    assert values == ("Renamed", posts[0].body, posts[0].slug)
    assert Post.objects.get(pk=post.pk).body == posts[0].body


def test_assert_no_waste_fails_on_the_naive_bylines_and_passes_on_the_optimized(posts) -> None:
    with pytest.raises(WasteError) as failure, assert_no_waste(min_bytes=500):
        [f"{post.title} {post.author.username}" for post in post_bylines_naive(limit=3)]
    with assert_no_waste(min_bytes=500):
        [f"{post.title} {post.author.username}" for post in post_bylines_optimized(limit=3)]

    message = str(failure.value)
    for line in (
        "prefetched Post.tags on 3 rows, never read",
        "prefetched Post.comments on 3 rows, never read",
        "joined Post.category on 3 rows, never read",
        "joined User.profile on 3 rows, never read",
        "fetched Post.body on 3 rows (",
    ):
        assert line in message
