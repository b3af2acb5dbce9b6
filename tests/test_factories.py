"""The factories, and the factory-boy patterns they show: traits, SubFactory, RelatedFactoryList,
post-generation hooks, and build() for objects that never touch the database."""

from __future__ import annotations

import pytest

from blog.models import Category, Comment, Post
from tests.factories import (
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)
from users.models import User


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("traits", "status", "has_date"),
    [
        pytest.param({}, "published", True, id="default is published"),
        pytest.param({"published": True}, "published", True, id="published trait"),
        pytest.param({"draft": True}, "draft", False, id="draft trait"),
    ],
)
def test_traits_set_related_fields_together(traits, status, has_date) -> None:
    post = PostFactory.create(**traits)

    assert post.status == status
    assert (post.published_at is not None) is has_date


@pytest.mark.django_db
def test_sub_factories_create_what_a_post_points_at_unless_given(django_assert_num_queries) -> None:
    post = PostFactory.create()
    assert (User.objects.count(), Category.objects.count()) == (1, 1)

    # Given the author and category, the factory makes only the post: one INSERT.
    with django_assert_num_queries(1):
        PostFactory.create(author=post.author, category=post.category)

    assert (User.objects.count(), Category.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_related_factory_list_creates_the_rows_pointing_back() -> None:
    news = CategoryFactory.create(name="News")

    author = AuthorFactory.create(posts__category=news)

    posts = list(Post.objects.filter(author=author))
    assert len(posts) == 3
    assert {post.category_id for post in posts} == {news.pk}


@pytest.mark.django_db
def test_post_generation_hooks_add_tags_comments_and_profile_fields() -> None:
    post = PostFactory.create(tags=2, comments=3)
    user = UserFactory.create(profile__location="Oslo")

    assert post.tags.count() == 2
    assert Comment.objects.filter(post=post).count() == 3
    user.profile.refresh_from_db()
    assert user.profile.location == "Oslo"


def test_build_makes_unsaved_objects_without_the_database() -> None:
    # No django_db mark: pytest-django makes any query in this test an error.
    post = PostFactory.build(draft=True)
    comment = CommentFactory.build(post=post)
    tag = TagFactory.build(name="Django Tips")

    assert post._state.adding  # never saved
    assert post.author._state.adding  # SubFactory follows the build strategy
    assert post.status == "draft"
    assert comment.post is post
    assert tag.slug == "django-tips"


def test_build_then_touching_a_relation_manager_needs_the_database() -> None:
    post = PostFactory.build()

    # Many-to-many rows need a saved post; an unsaved one refuses before any query.
    with pytest.raises(ValueError, match="needs to have a value for field"):
        post.tags.all()
