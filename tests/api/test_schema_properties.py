"""Properties of the write schemas, over inputs Hypothesis generates rather than ones we picked.

- Every valid post or comment is accepted (201) and reads back as the schema validated it: the
  title stripped, the body byte for byte, the tags as their slugs, in any script.
- Every input broken in exactly one way (a wrong type, a value out of bounds, a NUL, a missing or
  an unknown field) is refused with a 422 problem that points at that field, writes nothing and
  does not repeat what was sent.
- Each schema round-trips through its own JSON.

The hand-picked cases in test_bad_input.py name the rules; these tests search the space between
them. Examples per test come from the Hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import pytest
from django.test import Client
from django.utils.text import slugify
from hypothesis import given
from hypothesis import strategies as st

from blog.models import Category, Post
from blog.schemas import MAX_COMMENT, MAX_TAGS, MAX_TITLE, CommentIn, PostIn, PostPatchIn
from core.throttling import WriteRateThrottle
from tests.api.conftest import assert_problem, row_counts, send
from tests.factories import PostFactory
from users.models import User

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
CATEGORY = "news"  # the `news` fixture's

# Any Unicode a client can put in JSON except NUL, which PostgreSQL text cannot store.
TEXT = st.characters(codec="utf-8", exclude_characters="\x00")
# Long enough to cross the bounds, short enough to keep each example quick.
BODY_SIZE = 2_000


def words(*, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(TEXT, min_size=min_size, max_size=max_size)


titles = words(min_size=1, max_size=MAX_TITLE).filter(lambda title: title.strip())
bodies = words(min_size=1, max_size=BODY_SIZE)
# A tag name needs a letter or a digit that survives slugify (its slug is its identity).
tag_names = words(min_size=1, max_size=50).filter(lambda name: name.strip() and slugify(name))
tag_lists = st.lists(tag_names, max_size=MAX_TAGS, unique_by=slugify)

valid_posts = st.fixed_dictionaries(
    {"title": titles, "body": bodies, "category": st.just(CATEGORY)},
    optional={"tags": tag_lists, "status": st.sampled_from(["draft", "published"])},
)
valid_comments = st.fixed_dictionaries(
    {"body": words(min_size=1, max_size=BODY_SIZE).filter(lambda body: body.strip())}
)

NOT_A_STRING = st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=2))
NUL_INSIDE = st.tuples(words(min_size=0, max_size=5), words(min_size=0, max_size=5)).map(
    lambda parts: f"{parts[0]}\x00{parts[1]}"
)
BLANK = st.text(" \t\n", max_size=5)


def bad_text(max_length: int) -> st.SearchStrategy[Any]:
    """Values a stripped, NUL-free, non-blank text field of at most `max_length` refuses."""
    return st.one_of(
        BLANK,
        NUL_INSIDE,
        NOT_A_STRING,
        st.none(),
        # Python strips more than Pydantic does: over-long here is over-long there too.
        words(min_size=max_length + 1, max_size=max_length + 50).filter(
            lambda text: len(text.strip()) > max_length
        ),
    )


# For each field, values the schema refuses.
BAD_POST_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "title": bad_text(MAX_TITLE),
    "body": st.one_of(st.just(""), NUL_INSIDE, NOT_A_STRING, st.none()),
    "tags": st.one_of(
        words(min_size=0, max_size=10),
        st.lists(BLANK, min_size=1, max_size=3),
        st.lists(NUL_INSIDE, min_size=1, max_size=3),
        st.lists(tag_names, min_size=MAX_TAGS + 1, max_size=MAX_TAGS + 5),
    ),
    "category": st.one_of(
        st.text(" !?/.#é", min_size=1, max_size=10), st.just(""), NOT_A_STRING, st.none()
    ),
    "status": st.one_of(words(min_size=0, max_size=10), NOT_A_STRING).filter(
        lambda status: status not in ("draft", "published")
    ),
}


@st.composite
def invalid_posts(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid post with one thing wrong, and the field the error must point at."""
    post: dict[str, Any] = draw(valid_posts)
    breakage = draw(st.sampled_from(["missing", "unknown", *BAD_POST_VALUES]))
    if breakage == "missing":
        field = draw(st.sampled_from(["title", "body", "category"]))
        del post[field]
        return post, field
    if breakage == "unknown":
        field = draw(st.sampled_from(["author", "id", "slug", "published_at", "extra"]))
        post[field] = draw(st.one_of(st.integers(), words(min_size=0, max_size=10)))
        return post, field
    post[breakage] = draw(BAD_POST_VALUES[breakage])
    return post, breakage


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hundreds of examples are one client's writes in a few seconds; the rate is tested elsewhere.
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "1000000/minute"})


@given(post=valid_posts)
def test_every_valid_post_is_created_as_validated(
    news: Category, author_client: Client, post: dict[str, Any]
) -> None:
    validated = PostIn.model_validate(post)

    created = send(author_client, "post", POSTS, post)

    assert created.status_code == HTTPStatus.CREATED, created.content
    read = author_client.get(f"{POSTS}{created.json()['slug']}/").json()
    assert read["title"] == validated.title
    assert read["body"] == post["body"]
    assert read["category"]["slug"] == CATEGORY
    assert read["status"] == validated.status
    assert sorted(tag["slug"] for tag in read["tags"]) == sorted(
        {slugify(name)[:50] for name in validated.tags}
    )


@given(case=invalid_posts())
def test_every_invalid_post_is_refused_with_422(
    news: Category, author_client: Client, case: tuple[dict[str, Any], str]
) -> None:
    post, field = case
    before = row_counts()

    response = send(author_client, "post", POSTS, post)

    problem = assert_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert problem["errors"], problem
    assert field in {error["loc"][0] for error in problem["errors"] if error["loc"]}
    assert row_counts() == before
    assert "input" not in problem["errors"][0]


one_bad_field = st.sampled_from(list(BAD_POST_VALUES)).flatmap(
    lambda field: st.tuples(st.just(field), BAD_POST_VALUES[field])
)


@given(bad=one_bad_field)
def test_an_invalid_patch_changes_nothing(
    author: User, news: Category, author_client: Client, bad: tuple[str, Any]
) -> None:
    field, value = bad
    post = PostFactory.create(author=author, category=news, tags=2)
    before = (Post.objects.values().get(pk=post.pk), list(post.tags.order_by("pk")))

    response = send(author_client, "patch", f"{POSTS}{post.slug}/", {field: value})

    problem = assert_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert field in {error["loc"][0] for error in problem["errors"] if error["loc"]}
    assert (Post.objects.values().get(pk=post.pk), list(post.tags.order_by("pk"))) == before


@given(comment=valid_comments)
def test_every_valid_comment_reads_back(
    news: Category, author_client: Client, comment: dict[str, str]
) -> None:
    post = PostFactory.create(category=news)

    created = send(author_client, "post", f"{POSTS}{post.slug}/comments/", comment)

    assert created.status_code == HTTPStatus.CREATED, created.content
    assert created.json()["body"] == CommentIn.model_validate(comment).body
    listed = author_client.get(f"{POSTS}{post.slug}/comments/").json()["results"]
    assert [item["body"] for item in listed] == [CommentIn.model_validate(comment).body]


@given(body=bad_text(MAX_COMMENT))
def test_every_invalid_comment_is_refused_with_422(
    news: Category, author_client: Client, body: Any
) -> None:
    post = PostFactory.create(category=news)
    before = row_counts()

    response = send(author_client, "post", f"{POSTS}{post.slug}/comments/", {"body": body})

    problem = assert_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert {error["loc"][0] for error in problem["errors"]} == {"body"}
    assert row_counts() == before


@given(post=valid_posts)
def test_post_in_round_trips_through_its_json(post: dict[str, Any]) -> None:
    validated = PostIn.model_validate(post)

    assert PostIn.model_validate_json(validated.model_dump_json()) == validated
    assert PostPatchIn.model_validate(validated.model_dump()).model_dump() == validated.model_dump()
    assert json.loads(validated.model_dump_json())["title"] == validated.title
