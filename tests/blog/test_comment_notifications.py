"""Comment notifications: mail is what leaves the project, so it is the part a test replaces.

pytest-django swaps in Django's local-memory mail backend for every test (`mailoutbox` reads it);
the database stays real. Mail is sent from `on_commit`, which the test transaction never reaches:
`django_capture_on_commit_callbacks(execute=True)` runs the callbacks a commit would have run.
A failing mail server is a real one: SMTP to a closed port on loopback.
"""

from __future__ import annotations

import logging
import socket
from http import HTTPStatus
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from blog.models import Comment
from blog.notifications import notify_author_of_comment
from blog.schemas import CommentIn
from blog.services import comment_create
from tests.api.conftest import send
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def comments_url(slug: str) -> str:
    return reverse("api:post-comments", kwargs={"slug": slug})


def test_the_author_is_mailed_after_the_comment_commits(
    author_client: Any, author: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    post = PostFactory.create(title="On indexes", author__email="writer@example.com")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = send(author_client, "post", comments_url(post.slug), {"body": "Nice one."})
        assert mailoutbox == []  # nothing is sent before the commit

    assert response.status_code == HTTPStatus.CREATED
    assert notify_author_of_comment in [getattr(callback, "func", None) for callback in callbacks]
    [mail] = mailoutbox
    assert mail.to == ["writer@example.com"]
    assert mail.subject == "New comment on “On indexes”"
    assert "author commented" in mail.body
    assert "Nice one." in mail.body


def test_a_rolled_back_comment_sends_nothing(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    post = PostFactory.create(author__email="writer@example.com")
    reader = UserFactory.create()

    def comment_then_fail() -> None:
        with transaction.atomic():
            comment_create(post=post, author=reader, data=CommentIn(body="Gone."))
            raise RuntimeError("the request failed after the comment was saved")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        comment_then_fail()

    assert callbacks == []
    assert mailoutbox == []
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("author_email", "own_post"),
    [
        pytest.param("", False, id="author has no e-mail address"),
        pytest.param("writer@example.com", True, id="commenting on your own post"),
    ],
)
def test_no_mail_when_there_is_no_one_to_tell(
    mailoutbox: list[Any], django_assert_num_queries: Any, author_email: str, own_post: bool
) -> None:
    post = PostFactory.create(author__email=author_email)
    comment = CommentFactory.create(post=post, **({"author": post.author} if own_post else {}))

    with django_assert_num_queries(1):
        assert notify_author_of_comment(comment.pk) is False

    assert mailoutbox == []


def test_a_title_with_line_breaks_makes_a_one_line_subject(mailoutbox: list[Any]) -> None:
    post = PostFactory.create(title="Two\r\nlines", author__email="writer@example.com")

    assert notify_author_of_comment(CommentFactory.create(post=post).pk) is True

    assert mailoutbox[0].subject == "New comment on “Two lines”"


def test_a_deleted_comment_is_skipped(mailoutbox: list[Any]) -> None:
    assert notify_author_of_comment(10**9) is False
    assert mailoutbox == []


def test_a_down_mail_server_loses_the_mail_not_the_comment(
    author_client: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    post = PostFactory.create(author__email="writer@example.com")

    with (
        caplog.at_level(logging.WARNING, logger="blog.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = send(author_client, "post", comments_url(post.slug), {"body": "Still here."})

    assert response.status_code == HTTPStatus.CREATED
    assert Comment.objects.filter(post=post, body="Still here.").exists()
    assert "comment notification for comment" in caplog.text
