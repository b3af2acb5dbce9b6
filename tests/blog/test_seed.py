"""The seed command: sizes honoured, deterministic, bulk writes only, safe with existing data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.demo_data import SeedSizes, flush_demo_data, seed_demo_data
from blog.models import Category, Comment, Post, Tag
from tests.factories import UserFactory
from users.models import Profile, User

pytestmark = pytest.mark.django_db

SMALL = [
    "--users=4",
    "--posts-per-user=3",
    "--comments-per-post=2",
    "--tags=5",
    "--tags-per-post=2",
    "--categories=3",
]


def seed(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, Any]:
    """The data by natural keys: ids and `updated_at` differ between runs by design."""
    return {
        "users": sorted(
            User.objects.values_list("username", "email", "first_name", "date_joined")
        ),
        "profiles": sorted(Profile.objects.values_list("user__username", "bio", "location")),
        "posts": sorted(
            Post.objects.values_list(
                "slug", "title", "body", "status", "published_at", "created_at",
                "author__username", "category__slug",
            )
        ),
        "post_tags": sorted(Post.tags.through.objects.values_list("post__slug", "tag__slug")),
        "comments": sorted(
            Comment.objects.values_list("post__slug", "author__username", "body", "created_at")
        ),
        "tags": sorted(Tag.objects.values_list("name", "slug")),
        "categories": sorted(Category.objects.values_list("name", "slug")),
    }  # fmt: skip


def test_sizes_are_honoured() -> None:
    output = seed(*SMALL)

    assert User.objects.count() == 4
    assert Profile.objects.count() == 4
    assert Post.objects.count() == 12
    assert Comment.objects.count() == 24
    assert Post.tags.through.objects.count() == 24
    assert Tag.objects.count() == 5
    assert Category.objects.count() == 3
    assert "Seeded 4 users, 12 posts" in output
    for post in Post.objects.prefetch_related("tags"):
        assert len(post.tags.all()) == 2


def test_default_sizes_make_n_plus_one_visible() -> None:
    seed()

    sizes = SeedSizes()
    assert User.objects.count() == sizes.users == 50
    assert Post.objects.count() == sizes.users * sizes.posts_per_user == 500
    assert Comment.objects.count() == 500 * sizes.comments_per_post
    assert Post.objects.published().count() > 0
    assert Post.objects.filter(status=Post.Status.DRAFT).count() > 0


def test_every_user_has_a_profile_and_posts_are_realistically_long() -> None:
    seed(*SMALL)

    assert not User.objects.filter(profile__isnull=True).exists()
    assert min(len(body) for body in Post.objects.values_list("body", flat=True)) > 1000


def test_same_seed_gives_the_same_data() -> None:
    seed(*SMALL, "--random-seed=7")
    first = snapshot()

    seed(*SMALL, "--random-seed=7", "--flush")

    assert first["posts"]
    assert snapshot() == first


def test_another_seed_gives_other_data() -> None:
    seed(*SMALL, "--random-seed=7")
    first = snapshot()

    seed(*SMALL, "--random-seed=8", "--flush")

    assert snapshot()["posts"] != first["posts"]


def test_published_posts_have_a_date_and_comments_follow_it() -> None:
    seed(*SMALL)

    assert not Post.objects.published().filter(published_at__isnull=True).exists()
    for comment in Comment.objects.select_related("post"):
        assert comment.created_at > (comment.post.published_at or comment.post.created_at)


def test_one_password_hash_is_shared_and_unusable() -> None:
    seed(*SMALL)

    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert not User.objects.first().has_usable_password()  # type: ignore[union-attr]


def test_query_count_does_not_grow_with_the_data() -> None:
    """Bulk writes only: three times the rows, the same number of queries."""

    def queries_for(sizes: SeedSizes) -> int:
        flush_demo_data()
        with CaptureQueriesContext(connection) as captured:
            seed_demo_data(sizes)
        return len(captured.captured_queries)

    small = queries_for(
        SeedSizes(
            users=2, posts_per_user=2, comments_per_post=2, tags=4, tags_per_post=2, categories=2
        )
    )
    large = queries_for(
        SeedSizes(
            users=6, posts_per_user=4, comments_per_post=3, tags=4, tags_per_post=3, categories=2
        )
    )

    assert Comment.objects.count() == 6 * 4 * 3
    assert small == large


def test_flush_replaces_the_data_and_keeps_staff() -> None:
    staff = UserFactory.create(staff=True)
    seed(*SMALL)

    output = seed("--flush", "--users=2", "--posts-per-user=1", "--comments-per-post=1")

    assert "Flushed" in output
    assert Post.objects.count() == 2
    assert Comment.objects.count() == 2
    assert User.objects.filter(is_staff=False).count() == 2
    assert User.objects.filter(pk=staff.pk).exists()


def test_flush_empties_the_blog_tables() -> None:
    seed(*SMALL)

    flush_demo_data()

    for model in (Post, Comment, Tag, Category, Post.tags.through):
        assert not model.objects.exists()
    assert not User.objects.exists()


def test_refuses_to_seed_over_existing_data() -> None:
    seed(*SMALL)
    before = snapshot()

    with pytest.raises(CommandError, match="--flush"):
        seed(*SMALL)

    assert snapshot() == before


def test_if_empty_keeps_existing_data() -> None:
    seed(*SMALL)
    before = snapshot()

    output = seed("--if-empty")

    assert "nothing seeded" in output
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tags=2", "--tags-per-post=3"], "tags_per_post (3) exceeds tags (2)"),
        (["--users=-1"], "is negative"),
        (["--users=many"], "is not a whole number"),
        (["--categories=0"], "posts need at least one category"),
        (["--flush", "--if-empty"], "not allowed with argument"),
    ],
)
def test_bad_arguments_are_clear_errors_and_write_nothing(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        seed(*args)

    assert not User.objects.exists()
    assert not Post.objects.exists()


def test_no_demo_login_outside_local_settings() -> None:
    output = seed(*SMALL)

    assert "Demo login" not in output
    assert not User.objects.filter(username="demo").exists()


def test_demo_login_in_local_settings(settings) -> None:
    settings.DEMO_LOGIN_ENABLED = True

    output = seed(*SMALL)

    demo = User.objects.get(username="demo")
    assert demo.check_password("demo")
    assert demo.is_staff
    assert "username 'demo', password 'demo'" in output
    assert Post.objects.count() == 12  # the demo login is extra, not one of the seeded authors
