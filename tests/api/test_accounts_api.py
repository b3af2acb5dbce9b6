"""Sign-up (`POST /api/v1/users/`) and your own account (`GET | PATCH /api/v1/users/me/`).

Every refusal is a problem document naming the field, writes nothing and never repeats a
password; a taken name or address is a 409, also when two sign-ups race past the check.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tests.api.conftest import assert_problem, send
from tests.factories import UserFactory
from users import services
from users.models import Profile, User

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"
ME = "/api/v1/users/me/"
PASSWORD = "correct-horse-battery-7f3a"  # the marker: no response may contain it


def sign_up(**overrides: Any) -> dict[str, Any]:
    body = {
        "username": "alice",
        "email": "alice@example.com",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    return {key: value for key, value in {**body, **overrides}.items() if value is not ...}


def rows() -> tuple[int, int]:
    return User.objects.count(), Profile.objects.count()


def test_sign_up_creates_the_user_and_profile(client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(7):
        # 2 checks (username, address) + INSERT user + INSERT profile + the account read back,
        # inside a SAVEPOINT and its RELEASE.
        response = send(
            client, "post", USERS, sign_up(email="  Alice@Example.COM ", first_name="Alice")
        )

    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response.json() == {
        "username": "alice",
        "email": "alice@example.com",
        "first_name": "Alice",
        "last_name": "",
        "date_joined": response.json()["date_joined"],
        "profile": {"bio": "", "website": "", "location": "", "avatar_url": ""},
    }
    user = User.objects.select_related("profile").get(username="alice")
    assert user.check_password(PASSWORD)
    assert user.profile.pk
    assert PASSWORD not in response.content.decode()


INVALID = {
    "username with a space": (sign_up(username="al ice"), "username"),
    "username empty": (sign_up(username=""), "username"),
    "username too long": (sign_up(username="a" * 151), "username"),
    "username reserved": (sign_up(username="Me"), "username"),
    "username missing": (sign_up(username=...), "username"),
    "email malformed": (sign_up(email="alice-at-example.com"), "email"),
    "email empty": (sign_up(email="  "), "email"),
    "email not a string": (sign_up(email=["alice@example.com"]), "email"),
    "password too short": (sign_up(password="x7!", password_confirm="x7!"), "password"),
    "password common": (
        sign_up(password="password123", password_confirm="password123"),
        "password",
    ),
    "password all digits": (
        sign_up(password="8302751946", password_confirm="8302751946"),
        "password",
    ),
    "password like the username": (
        sign_up(username="marguerite", password="marguerite1", password_confirm="marguerite1"),
        "password",
    ),
    "passwords differ": (sign_up(password_confirm=PASSWORD + "x"), "password_confirm"),
    "confirmation missing": (sign_up(password_confirm=...), "password_confirm"),
    "staff requested": (sign_up(is_staff=True), "is_staff"),
    "unknown field": (sign_up(role="admin"), "role"),
    "NUL in a name": (sign_up(first_name="Al\x00ice"), "first_name"),
}


@pytest.mark.parametrize(("body", "field"), INVALID.values(), ids=INVALID.keys())
def test_invalid_sign_up_is_a_422_naming_the_field(client: Client, body, field) -> None:
    before = rows()

    problem = assert_problem(send(client, "post", USERS, body), HTTPStatus.UNPROCESSABLE_ENTITY)

    assert field in {error["loc"][0] for error in problem["errors"]}, problem
    assert rows() == before
    assert PASSWORD not in str(problem)


def test_weak_password_reports_djangos_validators(client: Client) -> None:
    body = sign_up(username="bob", password="bob", password_confirm="bob")

    problem = assert_problem(send(client, "post", USERS, body), HTTPStatus.UNPROCESSABLE_ENTITY)

    message = problem["errors"][0]["msg"]
    assert "too short" in message
    assert "too similar to the username" in message


@pytest.mark.parametrize(
    ("existing", "body", "field"),
    [
        ({"username": "Alice"}, sign_up(), "username"),
        ({"email": "ALICE@example.com"}, sign_up(), "email"),
    ],
    ids=["username in another case", "address in another case"],
)
def test_a_taken_name_or_address_is_a_409(client: Client, existing, body, field) -> None:
    UserFactory.create(**existing)
    before = rows()

    problem = assert_problem(send(client, "post", USERS, body), HTTPStatus.CONFLICT)

    assert problem["errors"][0]["loc"] == [field]
    assert rows() == before


def test_the_database_holds_the_rule_when_sign_ups_race(client: Client, monkeypatch) -> None:
    UserFactory.create(username="ALICE")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="alice")
    # The losing request of a race: its check saw no "alice", the insert meets the winner's row.
    monkeypatch.setattr(services, "_check_free", lambda **kwargs: None)
    before = rows()

    assert_problem(send(client, "post", USERS, sign_up()), HTTPStatus.CONFLICT)
    assert rows() == before


def test_me_needs_a_login(client: Client) -> None:
    assert_problem(client.get(ME), HTTPStatus.UNAUTHORIZED)
    assert_problem(send(client, "patch", ME, {"first_name": "X"}), HTTPStatus.UNAUTHORIZED)


@pytest.fixture
def me(client: Client) -> User:
    user = UserFactory.create(username="alice", first_name="Alice", last_name="Liddell")
    user.profile.bio = "Curious."
    user.profile.save()
    client.force_login(user)
    return user


def test_me_shows_your_account(client: Client, me: User, django_assert_num_queries) -> None:
    with django_assert_num_queries(3):  # session, user, user with profile
        body = client.get(ME).json()

    assert body["username"] == "alice"
    assert body["profile"]["bio"] == "Curious."


def test_patch_changes_only_what_was_sent(client: Client, me: User) -> None:
    response = send(
        client, "patch", ME, {"last_name": "Smith", "profile": {"website": "https://a.example"}}
    )

    assert response.status_code == HTTPStatus.OK, response.content
    me.refresh_from_db()
    me.profile.refresh_from_db()
    assert (me.first_name, me.last_name) == ("Alice", "Smith")
    assert (me.profile.bio, me.profile.website) == ("Curious.", "https://a.example/")
    assert response.json()["profile"]["website"] == "https://a.example/"


def test_patch_clears_a_url_with_an_empty_string(client: Client, me: User) -> None:
    send(client, "patch", ME, {"profile": {"avatar_url": "https://a.example/me.png"}})
    send(client, "patch", ME, {"profile": {"avatar_url": ""}})

    me.profile.refresh_from_db()
    assert me.profile.avatar_url == ""


BAD_PATCHES = {
    "null": ({"first_name": None}, "first_name"),
    "javascript URL": ({"profile": {"avatar_url": "javascript:alert(1)"}}, "profile"),
    "not a URL": ({"profile": {"website": "example"}}, "profile"),
    "URL too long": ({"profile": {"website": "https://example.com/" + "a" * 190}}, "profile"),
    "username": ({"username": "mallory"}, "username"),
    "staff": ({"is_staff": True}, "is_staff"),
    "password": ({"password": PASSWORD}, "password"),
    "bad address": ({"email": "nope"}, "email"),
}


@pytest.mark.parametrize(("body", "field"), BAD_PATCHES.values(), ids=BAD_PATCHES.keys())
def test_invalid_patch_changes_nothing(client: Client, me: User, body, field) -> None:
    before = (User.objects.values().get(pk=me.pk), Profile.objects.values().get(user=me))

    problem = assert_problem(send(client, "patch", ME, body), HTTPStatus.UNPROCESSABLE_ENTITY)

    assert problem["errors"][0]["loc"][0] == field
    assert (User.objects.values().get(pk=me.pk), Profile.objects.values().get(user=me)) == before
    assert PASSWORD not in str(problem)


def test_patch_email_taken_by_another_is_a_409_your_own_is_fine(client: Client, me: User) -> None:
    UserFactory.create(email="bob@example.com")

    assert_problem(send(client, "patch", ME, {"email": "BOB@example.com"}), HTTPStatus.CONFLICT)
    own = send(client, "patch", ME, {"email": "ALICE@example.com"})

    assert own.status_code == HTTPStatus.OK
    me.refresh_from_db()
    assert me.email == "alice@example.com"


def test_no_one_edits_another_users_account(client: Client, me: User) -> None:
    other = UserFactory.create(username="bob", first_name="Bob")

    response = send(client, "patch", f"{USERS}bob/", {"first_name": "Mallory"})

    assert_problem(response, HTTPStatus.METHOD_NOT_ALLOWED)
    other.refresh_from_db()
    assert other.first_name == "Bob"
