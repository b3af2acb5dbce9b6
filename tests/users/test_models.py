from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.factories import UserFactory
from users.models import Profile, User

pytestmark = pytest.mark.django_db


def test_creating_a_user_creates_its_profile_in_two_queries(django_assert_num_queries) -> None:
    # Two INSERTs and nothing else: no SAVEPOINT pair from the nested atomic block in save().
    with django_assert_num_queries(2):
        user = User.objects.create_user(username="ada", password="analytical-engine-1843")

    assert Profile.objects.get(user=user).bio == ""


def test_createsuperuser_path_creates_a_profile_too() -> None:
    admin = User.objects.create_superuser("root", "root@example.com", "a-strong-password-1")

    assert Profile.objects.filter(user=admin).exists()


def test_saving_an_existing_user_does_not_create_another_profile() -> None:
    user = UserFactory.create()
    user.first_name = "Grace"
    user.save()

    assert Profile.objects.filter(user=user).count() == 1


def test_factory_fills_in_the_profile() -> None:
    user = UserFactory.create(profile__location="Oslo", profile__bio="Writes about indexes.")

    user.profile.refresh_from_db()
    assert (user.profile.location, user.profile.bio) == ("Oslo", "Writes about indexes.")


def test_username_is_unique() -> None:
    UserFactory.create(username="grace")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory.create(username="grace")


def test_str_is_the_username() -> None:
    assert str(UserFactory.build(username="linus")) == "linus"
