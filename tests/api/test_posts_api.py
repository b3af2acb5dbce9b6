"""The posts endpoints: contract, ownership, pagination, and their query counts."""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from blog.models import Post
from core.throttling import WriteRateThrottle
from querycheck.testing import assert_constant_queries
from querylab.datasets import build_data
from tests.api.conftest import assert_problem, row_counts, send
from tests.factories import CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def new_post(**overrides):
    return {
        "title": "Why select_related",
        "body": "Because lazy loading costs a query per row.",
        "tags": ["django", "orm"],
        "category": "news",
        "status": "published",
        **overrides,
    }


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_feed_contract(client) -> None:
    post = PostFactory.create(tags=2, comments=4)

    response = client.get(POSTS)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"results", "next", "previous"}
    (item,) = body["results"]
    assert item["slug"] == post.slug
    assert item["comment_count"] == 4
    assert len(item["recent_comments"]) == 3
    assert [tag["name"] for tag in item["tags"]] == sorted(t.name for t in post.tags.all())
    assert set(item["author"]) == {"username", "profile"}
    assert body["next"] is None
    assert body["previous"] is None


def test_feed_leaves_out_drafts(client) -> None:
    PostFactory.create(draft=True)

    assert client.get(POSTS).json()["results"] == []


def test_feed_filters(client) -> None:
    django = TagFactory.create(slug="django")
    wanted = PostFactory.create(tags=[django])
    PostFactory.create(tags=1)

    by_tag = client.get(POSTS, {"tag": "django"}).json()["results"]
    by_author = client.get(POSTS, {"author": wanted.author.username}).json()["results"]
    by_category = client.get(POSTS, {"category": wanted.category.slug}).json()["results"]
    nothing = client.get(POSTS, {"tag": "no-such-tag"}).json()["results"]

    assert [p["slug"] for p in by_tag] == [wanted.slug]
    assert [p["slug"] for p in by_author] == [wanted.slug]
    assert [p["slug"] for p in by_category] == [wanted.slug]
    assert nothing == []


def test_feed_pages_forwards_and_back(client) -> None:
    build_data("posts", 7)
    everything = list(Post.objects.published().newest_first().values_list("slug", flat=True))

    first = client.get(POSTS, {"limit": 3}).json()
    second = client.get(path_of(first["next"])).json()
    third = client.get(path_of(second["next"])).json()
    back = client.get(path_of(second["previous"])).json()

    pages = [first, second, third]
    assert [p["slug"] for page in pages for p in page["results"]] == everything
    assert third["next"] is None
    assert [p["slug"] for p in back["results"]] == [p["slug"] for p in first["results"]]
    assert "limit=3" in first["next"]


def test_feed_pages_stay_stable_while_posts_are_added(client) -> None:
    build_data("posts", 6)
    before = list(Post.objects.published().newest_first().values_list("slug", flat=True))

    first = client.get(POSTS, {"limit": 3}).json()
    PostFactory.create_batch(4)  # newer than everything: OFFSET pages would shift by four
    second = client.get(path_of(first["next"])).json()

    seen = [p["slug"] for p in first["results"] + second["results"]]
    assert seen == before


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "77777"},
        {"limit": "xyzzy"},
        {"cursor": "bm9wZQ"},  # base64 of "nope"
        {"cursor": "!!plugh!!"},
    ],
)
def test_feed_rejects_bad_parameters(client, params) -> None:
    body = assert_problem(client.get(POSTS, params), HTTPStatus.BAD_REQUEST)

    for value in params.values():
        if len(value) > 1:
            assert value not in body["detail"]


def test_feed_costs_three_queries_however_many_posts(django_assert_num_queries, client) -> None:
    def setup(n: int) -> None:
        build_data("posts", n)

    runs = assert_constant_queries([1, 5, 20], setup=setup, run=lambda _: client.get(POSTS))

    assert [run.total for run in runs] == [3, 3, 3]


def test_create_post(author_client, author, news) -> None:
    TagFactory.create(name="django", slug="django")

    response = send(author_client, "post", POSTS, new_post())

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert body["slug"] == "why-select_related" or body["slug"].startswith("why-select")
    assert body["author"] == {"username": "author"}
    assert body["status"] == "published"
    assert body["published_at"] is not None
    assert [tag["slug"] for tag in body["tags"]] == ["django", "orm"]
    post = Post.objects.get(slug=body["slug"])
    assert post.author == author
    assert post.tags.count() == 2


def test_same_title_gets_a_new_slug(author_client, news) -> None:
    first = send(author_client, "post", POSTS, new_post()).json()["slug"]
    second = send(author_client, "post", POSTS, new_post()).json()["slug"]

    assert first != second
    assert second.startswith(first)


def test_a_draft_is_visible_to_its_author_only(author_client, client, news) -> None:
    slug = send(author_client, "post", POSTS, new_post(status="draft")).json()["slug"]
    url = reverse("api:post", kwargs={"slug": slug})

    assert author_client.get(url).status_code == HTTPStatus.OK
    author_client.logout()
    assert_problem(client.get(url), HTTPStatus.NOT_FOUND)


def test_anonymous_cannot_create(client, news) -> None:
    before = row_counts()

    body = assert_problem(send(client, "post", POSTS, new_post()), HTTPStatus.UNAUTHORIZED)

    assert "credentials" in body["detail"]
    assert row_counts() == before


def test_token_authentication(client, author, news) -> None:
    token = Token.objects.create(user=author)

    response = send(client, "post", POSTS, new_post(), HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == HTTPStatus.CREATED


def test_session_writes_need_the_csrf_token(author, news) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    before = row_counts()

    body = assert_problem(send(client, "post", POSTS, new_post()), HTTPStatus.FORBIDDEN)

    assert "CSRF" in body["detail"]
    assert row_counts() == before
    client.get("/admin/login/")  # any page with a form sets the cookie
    token = client.cookies["csrftoken"].value
    response = send(client, "post", POSTS, new_post(), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == HTTPStatus.CREATED


def test_writes_are_throttled(author_client, news, monkeypatch) -> None:
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "2/minute"})

    statuses = [send(author_client, "post", POSTS, new_post()).status_code for _ in range(3)]

    assert statuses == [HTTPStatus.CREATED, HTTPStatus.CREATED, HTTPStatus.TOO_MANY_REQUESTS]
    assert author_client.get(POSTS).status_code == HTTPStatus.OK  # reads are not throttled
    assert Post.objects.count() == 2


def test_detail_contract_and_query_count(client, django_assert_num_queries) -> None:
    post = PostFactory.create(tags=2, comments=5)

    with django_assert_num_queries(3):
        response = client.get(reverse("api:post", kwargs={"slug": post.slug}))

    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert len(body["comments"]) == 5
    assert set(body["comments"][0]["author"]) == {"username", "profile"}


def test_author_updates_a_post(author_client, author, news) -> None:
    post = PostFactory.create(author=author, draft=True)
    url = reverse("api:post", kwargs={"slug": post.slug})

    response = send(
        author_client, "patch", url, {"title": "New title", "status": "published", "tags": ["orm"]}
    )

    assert response.status_code == HTTPStatus.OK
    post.refresh_from_db()
    assert (post.title, post.status, post.slug) == ("New title", "published", post.slug)
    assert post.published_at is not None
    assert [tag.slug for tag in post.tags.all()] == ["orm"]


def test_others_cannot_change_or_delete(client, author) -> None:
    post = PostFactory.create(author=author, title="Mine")
    url = reverse("api:post", kwargs={"slug": post.slug})
    client.force_login(UserFactory.create())

    assert_problem(send(client, "patch", url, {"title": "Theirs"}), HTTPStatus.FORBIDDEN)
    assert_problem(client.delete(url), HTTPStatus.FORBIDDEN)

    post.refresh_from_db()
    assert post.title == "Mine"


def test_anonymous_cannot_change_or_delete(client, author) -> None:
    post = PostFactory.create(author=author)
    url = reverse("api:post", kwargs={"slug": post.slug})

    assert_problem(send(client, "patch", url, {"title": "x"}), HTTPStatus.UNAUTHORIZED)
    assert_problem(client.delete(url), HTTPStatus.UNAUTHORIZED)
    assert Post.objects.filter(pk=post.pk).exists()


def test_author_deletes_a_post(author_client, author) -> None:
    post = PostFactory.create(author=author, comments=2)

    response = author_client.delete(reverse("api:post", kwargs={"slug": post.slug}))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Post.objects.filter(pk=post.pk).exists()


def test_unknown_post_is_a_404_problem(client) -> None:
    assert_problem(client.get(reverse("api:post", kwargs={"slug": "nope"})), HTTPStatus.NOT_FOUND)


def test_comments_list_and_create(author_client, author) -> None:
    post = PostFactory.create()
    older = CommentFactory.create(post=post)
    newer = CommentFactory.create(post=post)
    url = reverse("api:post-comments", kwargs={"slug": post.slug})

    listed = author_client.get(url).json()["results"]
    created = send(author_client, "post", url, {"body": "Nice one."})

    assert [c["id"] for c in listed] == [older.pk, newer.pk]
    assert created.status_code == HTTPStatus.CREATED
    assert created.json()["author"] == {"username": "author"}
    assert post.comments.count() == 3


def test_no_comments_on_drafts_or_from_anonymous(client, author_client) -> None:
    draft = PostFactory.create(draft=True)
    published = PostFactory.create()

    draft_url = reverse("api:post-comments", kwargs={"slug": draft.slug})
    assert_problem(send(author_client, "post", draft_url, {"body": "hi"}), HTTPStatus.NOT_FOUND)
    author_client.logout()
    url = reverse("api:post-comments", kwargs={"slug": published.slug})
    assert_problem(send(client, "post", url, {"body": "hi"}), HTTPStatus.UNAUTHORIZED)
    assert published.comments.count() == 0


def test_comments_list_costs_three_queries_however_many_comments(client) -> None:
    def setup(n: int) -> str:
        build_data("comments", n)
        post = Post.objects.published().first()
        assert post is not None
        return reverse("api:post-comments", kwargs={"slug": post.slug})

    runs = assert_constant_queries([1, 5, 20], setup=setup, run=client.get)

    assert [run.total for run in runs] == [3, 3, 3]
