"""Typed factory-boy factories for the domain. Tests build exactly the rows they assert on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from blog.models import Category, Comment, Post, Tag
from users.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(TEST_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)

    @factory.post_generation
    def profile(self, create: bool, extracted: dict[str, Any] | None, **fields: Any) -> None:
        """Fill in the profile `User.save()` created: `UserFactory(profile__location="Oslo")`."""
        values = {**(extracted or {}), **fields}
        if not create or not values:
            return
        for name, value in values.items():
            setattr(self.profile, name, value)
        self.profile.save(update_fields=list(values))


class CategoryFactory(DjangoModelFactory[Category]):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda category: slugify(category.name))


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda tag: slugify(tag.name))


class PostFactory(DjangoModelFactory[Post]):
    """A published post by default; `PostFactory(draft=True)` for a draft.

    `tags=` takes tags or a number of new tags, `comments=` a number of comments to add.
    """

    class Meta:
        model = Post
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Faker("sentence", nb_words=6)
    slug = factory.Sequence(lambda n: f"post-{n}")
    body = factory.Faker("paragraph", nb_sentences=30)
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        published = factory.Trait(
            status=Post.Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )
        draft = factory.Trait(status=Post.Status.DRAFT, published_at=None)

    @factory.post_generation
    def tags(self, create: bool, extracted: Iterable[Tag] | int | None, **_: Any) -> None:
        if not create or not extracted:
            return
        tags = TagFactory.create_batch(extracted) if isinstance(extracted, int) else extracted
        self.tags.add(*tags)

    @factory.post_generation
    def comments(self, create: bool, extracted: int | None, **fields: Any) -> None:
        if not create or not extracted:
            return
        CommentFactory.create_batch(extracted, post=self, **fields)


class AuthorFactory(UserFactory):
    """A user with three published posts; `AuthorFactory(posts__category=news)` sets a field on
    each. RelatedFactoryList creates them after the user, pointing `author` back at it."""

    posts = factory.RelatedFactoryList(PostFactory, factory_related_name="author", size=3)


class CommentFactory(DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Faker("paragraph", nb_sentences=3)
    created_at = factory.LazyFunction(timezone.now)
