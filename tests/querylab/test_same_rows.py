"""Naive and optimized return the same rows on generated data, and both return the right rows.

Hypothesis builds small data sets (querylab.datasets.DatasetSpec) with what a wrong filter or
order gets wrong: drafts beside published posts, tags and comments on drafts, users and posts
with nothing related, timestamps that tie, an inactive author. On each, every read case's JSON
endpoint must answer the same in both variants, at a limit that cuts the list and one that
shows all of it. A bug in both variants at once would still agree, so for the cases whose
filters are easiest to get wrong, the answer is also compared with an oracle: the same numbers
computed in plain Python from the spec. A failing example shrinks to the smallest data set that
shows the difference.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from querylab.datasets import CommentSpec, Dataset, DatasetSpec, PostSpec, build_dataset
from querylab.measure import render_page
from querylab.registry import CASES, AnyCase, Variant
from tests.conftest import clear_test_cache

pytestmark = pytest.mark.django_db

API_CASES = [
    case for case in CASES if case.kind == "read" and "api" in case.surfaces and not case.staff_only
]
SHOW_ALL = 50
TOP = 5  # blog.stats.TOP
FEED_COMMENTS = 3  # blog.selectors.FEED_COMMENTS
CATEGORY_LATEST = 5  # blog.selectors.CATEGORY_LATEST_POSTS
MINUTES = st.integers(min_value=0, max_value=3)  # few values: ties are likely


@st.composite
def dataset_specs(draw: st.DrawFn) -> DatasetSpec:
    users = draw(st.integers(min_value=1, max_value=4))
    categories = draw(st.integers(min_value=1, max_value=3))
    tags = draw(st.integers(min_value=0, max_value=3))
    tag_lists = (
        st.lists(st.integers(0, tags - 1), max_size=tags, unique=True).map(tuple)
        if tags
        else st.just(())
    )
    posts = draw(
        st.lists(
            st.builds(
                PostSpec,
                author=st.integers(0, users - 1),
                category=st.integers(0, categories - 1),
                published=st.none() | MINUTES,
                tags=tag_lists,
                body_length=st.just(50),
            ),
            max_size=8,
        )
    )
    comments: list[CommentSpec] = []
    if posts:
        comments = draw(
            st.lists(
                st.builds(
                    CommentSpec,
                    post=st.integers(0, len(posts) - 1),
                    author=st.integers(0, users - 1),
                    minute=MINUTES,
                ),
                max_size=10,
            )
        )
    inactive = draw(st.frozensets(st.integers(0, users - 1), max_size=1))
    return DatasetSpec(
        users=users,
        categories=categories,
        tags=tags,
        posts=tuple(posts),
        comments=tuple(comments),
        inactive_users=inactive,
    )


def get_json(url: str) -> Any:
    page = render_page(url)
    assert page.response.status_code == 200, url
    if page.response["Content-Type"] != "application/json":
        return page.body  # an export: compared byte for byte
    return json.loads(page.content)


def case_json(case: AnyCase, variant: Variant, limit: int) -> Any | None:
    target = case.target(limit)
    if target is None:
        return None  # nothing for this case to show on this data (no comments, no posts)
    body = get_json(case.url("api", variant, target, limit=limit))
    if isinstance(body, dict) and "next" in body:
        body["next"] = body["next"] is not None  # deep-pagination: page number or cursor
    return body


@given(spec=dataset_specs())
def test_every_case_returns_the_same_rows_both_ways(spec: DatasetSpec) -> None:
    with transaction.atomic():
        clear_test_cache()
        build_dataset(spec)
        for case in API_CASES:
            for limit in (2, SHOW_ALL):
                naive = case_json(case, "naive", limit)
                optimized = case_json(case, "optimized", limit)
                assert naive == optimized, f"{case.slug} at limit={limit}"
        transaction.set_rollback(True)


# The oracles: what each answer must be, computed from the spec alone.


def newest_published(spec: DatasetSpec, posts: list[int] | None = None) -> list[int]:
    """Published post indexes, newest first, ties by id (index order is id order)."""
    chosen = range(len(spec.posts)) if posts is None else posts
    published = [i for i in chosen if spec.posts[i].published is not None]
    return sorted(published, key=lambda i: (spec.posts[i].published, i), reverse=True)


def oracle_tag_cloud(spec: DatasetSpec) -> list[dict[str, Any]]:
    counts = Counter(tag for i in newest_published(spec) for tag in set(spec.posts[i].tags))
    return [
        {"name": f"tag-{t:02}", "slug": f"tag-{t:02}", "post_count": counts[t]}
        for t in range(spec.tags)
    ]


def oracle_directory(spec: DatasetSpec) -> list[dict[str, Any]]:
    rows = []
    for user in range(spec.users):
        theirs = newest_published(spec, [i for i, p in enumerate(spec.posts) if p.author == user])
        rows.append(
            {
                "username": f"user-{user:02}",
                "profile": {"location": f"City {user}"},
                "published_post_count": len(theirs),
                "latest_post_title": f"Post {theirs[0]:02}" if theirs else None,
            }
        )
    return rows


def oracle_flags(spec: DatasetSpec, viewer: int) -> list[dict[str, Any]]:
    commented = {c.post for c in spec.comments if c.author == viewer}
    return [
        {"title": f"Post {i:02}", "slug": f"post-{i:02}", "viewer_commented": i in commented}
        for i in newest_published(spec)
    ]


def oracle_feed(spec: DatasetSpec, *, tag: int | None = None) -> list[dict[str, Any]]:
    rows = []
    chosen = [i for i, p in enumerate(spec.posts) if tag is None or tag in p.tags]
    for i in newest_published(spec, chosen):
        on_post = [n for n, c in enumerate(spec.comments) if c.post == i]
        newest = sorted(on_post, key=lambda n: (spec.comments[n].minute, n), reverse=True)
        rows.append(
            {
                "slug": f"post-{i:02}",
                "tags": [f"tag-{t:02}" for t in sorted(set(spec.posts[i].tags))],
                "comment_count": len(on_post),
                "recent_comments": [f"Comment {n:02}" for n in newest[:FEED_COMMENTS]],
            }
        )
    return rows


def oracle_category_latest(spec: DatasetSpec) -> list[dict[str, Any]]:
    return [
        {
            "slug": f"category-{c:02}",
            "latest": [
                f"post-{i:02}"
                for i in newest_published(
                    spec, [i for i, p in enumerate(spec.posts) if p.category == c]
                )[:CATEGORY_LATEST]
            ],
        }
        for c in range(spec.categories)
    ]


def oracle_stats(spec: DatasetSpec) -> dict[str, Any]:
    published = newest_published(spec)
    authors = Counter(spec.posts[i].author for i in published)
    tags = Counter(tag for i in published for tag in set(spec.posts[i].tags))
    top_authors = sorted(authors.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    top_tags = sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    return {
        "totals": {
            "posts": len(published),
            "comments": len(spec.comments),
            "users": spec.users,
        },
        "top_authors": [{"username": f"user-{u:02}", "published_posts": n} for u, n in top_authors],
        "top_tags": [
            {"name": f"tag-{t:02}", "slug": f"tag-{t:02}", "posts": n} for t, n in top_tags
        ],
    }


def oracle_counts(spec: DatasetSpec) -> dict[str, int]:
    return {
        "posts": len(spec.posts),
        "published": len(newest_published(spec)),
        "comments": len(spec.comments),
        "authors": len({p.author for p in spec.posts}),
    }


def api(name: str, **params: Any) -> Any:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return get_json(reverse(f"api:{name}") + (f"?{query}" if query else ""))


def check_oracles(data: Dataset) -> None:
    spec = data.spec
    for variant in ("naive", "optimized"):
        everything = {"limit": SHOW_ALL}
        assert api(f"tag-cloud-{variant}", **everything)["results"] == oracle_tag_cloud(spec)
        assert api(f"user-directory-{variant}", **everything)["results"] == oracle_directory(spec)
        for viewer, user in enumerate(data.users):
            flags = api(f"posts-i-commented-{variant}", viewer=user.pk, **everything)
            assert flags["results"] == oracle_flags(spec, viewer)
        feed = [
            {
                "slug": row["slug"],
                "tags": [tag["name"] for tag in row["tags"]],
                "comment_count": row["comment_count"],
                "recent_comments": [comment["body"] for comment in row["recent_comments"]],
            }
            for row in api(f"post-feed-{variant}", **everything)["results"]
        ]
        assert feed == oracle_feed(spec)
        latest = [
            {"slug": row["slug"], "latest": [post["slug"] for post in row["latest_posts"]]}
            for row in api(f"category-latest-{variant}", **everything)["results"]
        ]
        assert latest == oracle_category_latest(spec)
        assert api(f"stats-{variant}") == oracle_stats(spec)
        assert api(f"async-gather-{variant}") == oracle_counts(spec)
    assert api("stats") == oracle_stats(spec)  # the cached endpoint
    # The public feed, filtered by each tag: a join that must not multiply the counts.
    for tag in range(spec.tags):
        public = [
            {
                "slug": row["slug"],
                "tags": [t["name"] for t in row["tags"]],
                "comment_count": row["comment_count"],
                "recent_comments": [comment["body"] for comment in row["recent_comments"]],
            }
            for row in api("posts", tag=f"tag-{tag:02}", limit=SHOW_ALL)["results"]
        ]
        assert public == oracle_feed(spec, tag=tag)


@given(spec=dataset_specs())
def test_both_variants_agree_with_an_oracle_on_generated_data(spec: DatasetSpec) -> None:
    with transaction.atomic():
        clear_test_cache()
        check_oracles(build_dataset(spec))
        transaction.set_rollback(True)


def test_both_variants_agree_with_an_oracle_on_the_discriminating_data() -> None:
    from querylab.datasets import DISCRIMINATING

    check_oracles(build_dataset(DISCRIMINATING))
