from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from blog.models import Comment, Post
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_no_model_has_a_default_ordering() -> None:
    models = [*apps.get_app_config("blog").get_models(), *apps.get_app_config("users").get_models()]

    assert models
    for model in models:
        assert not model._meta.ordering, f"{model.__name__} has Meta.ordering"


def test_published_post_needs_published_at_in_the_database() -> None:
    post = PostFactory.create(draft=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)


def test_published_post_needs_published_at_in_validation() -> None:
    post = PostFactory.build(
        status=Post.Status.PUBLISHED,
        published_at=None,
        author=PostFactory.create().author,
        category=CategoryFactory.create(),
    )

    with pytest.raises(ValidationError, match="A published post needs a publication date"):
        post.full_clean()


def test_draft_may_have_no_published_at() -> None:
    post = PostFactory.create(draft=True)

    post.full_clean()
    assert post.published_at is None


def test_status_outside_the_choices_is_rejected_by_the_database() -> None:
    post = PostFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status="archived")


@pytest.mark.parametrize(
    ("factory", "field"),
    [(PostFactory, "slug"), (CategoryFactory, "slug"), (TagFactory, "slug"), (TagFactory, "name")],
)
def test_unique_fields(factory, field: str) -> None:
    factory(**{field: "same"})

    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**{field: "same"})


def test_category_with_posts_cannot_be_deleted() -> None:
    post = PostFactory.create()

    with pytest.raises(ProtectedError):
        post.category.delete()


def test_deleting_a_post_deletes_its_comments() -> None:
    post = PostFactory.create(comments=3)
    assert Comment.objects.filter(post=post).count() == 3

    post.delete()

    assert not Comment.objects.exists()


def test_factory_tags_and_comments_hooks() -> None:
    tags = TagFactory.create_batch(2)
    post = PostFactory.create(tags=tags, comments=2, comments__body="First!")

    assert set(post.tags.all()) == set(tags)
    assert [c.body for c in post.comments.all()] == ["First!", "First!"]


def test_published_excludes_drafts() -> None:
    published = PostFactory.create()
    PostFactory.create(draft=True)

    assert list(Post.objects.published()) == [published]


def test_newest_first_breaks_timestamp_ties_by_id() -> None:
    now = timezone.now()
    older = PostFactory.create(published_at=now - timedelta(days=1))
    tie_a = PostFactory.create(published_at=now)
    tie_b = PostFactory.create(published_at=now)

    assert list(Post.objects.newest_first()) == [tie_b, tie_a, older]


def test_comments_oldest_and_newest_first() -> None:
    post = PostFactory.create()
    now = timezone.now()
    first = CommentFactory.create(post=post, created_at=now - timedelta(hours=2))
    second = CommentFactory.create(post=post, created_at=now - timedelta(hours=1))

    assert list(post.comments.oldest_first()) == [first, second]
    assert list(post.comments.newest_first()) == [second, first]


def test_str_and_urls() -> None:
    post = PostFactory.create(title="Why select_related", slug="why-select-related")

    assert str(post) == "Why select_related"
    assert post.get_absolute_url() == "/posts/why-select-related/"
    assert str(post.category) == post.category.name


@pytest.mark.postgres
def test_feed_order_is_served_by_the_status_published_index() -> None:
    PostFactory.create_batch(3)
    sql, params = Post.objects.published().newest_first().values("id")[:20].query.sql_with_params()

    with connection.cursor() as cursor:
        # With three rows the planner would rightly scan the table (or bitmap-scan and sort);
        # forbid those to see whether the index can serve this WHERE and ORDER BY at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "post_status_published_idx" in plan
    assert "Sort" not in plan
