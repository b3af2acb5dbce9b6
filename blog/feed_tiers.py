"""The feed past the ORM's model instances: faster tiers for when the optimized ORM is not enough.

Both return what the feed endpoint returns, `PostFeedOut` rows, so a test can hold them to the
same schema and the same data as `post_feed_optimized`:

- `post_feed_values`: `values()` rows, no model instances, assembled into nested dicts; Pydantic
  still validates and serializes them. Queries: 3, like the optimized ORM.
- `post_feed_db_json`: PostgreSQL builds every row's JSON document in one query
  (`json_build_object`, `ArraySubquery`); Python only joins the texts. Nothing is validated on the
  way out, which is what makes it fast and why a test holds it to the optimized endpoint's JSON:
  the same keys in the same order, timestamps written as Pydantic writes them. Only the white
  space differs (PostgreSQL writes `"id" : 1`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import F, Func, OuterRef, TextField, Window
from django.db.models.functions import Cast, JSONObject, RowNumber

from .models import Comment, Post
from .selectors import FEED_COMMENTS


class NeedsPostgreSQLError(Exception):
    """The database cannot run this tier."""


class OrderedJSONObject(JSONObject):
    """A JSON object with its keys in the order given, as the schema writes them. Django's
    JSONObject builds `jsonb` on PostgreSQL before 16, which stores keys shortest first; `json`
    keeps them as written."""

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        copy = self.copy()
        # Keys as text, as Django's own does: a bare parameter has no type for PostgreSQL.
        copy.set_source_expressions(
            [
                Cast(expression, TextField()) if index % 2 == 0 else expression
                for index, expression in enumerate(copy.get_source_expressions())
            ]
        )
        return Func.as_sql(
            copy, compiler, connection, function="JSON_BUILD_OBJECT", **extra_context
        )


class PydanticTimestamp(Func):
    """A timestamp as Pydantic writes one: ISO 8601 in UTC ending in `Z`, with microseconds only
    when there are any (`2025-10-08T12:00:00Z`, `2025-10-08T12:00:00.000120Z`); PostgreSQL's own
    JSON writes `+00:00` and trims trailing zeros."""

    template = (
        "CASE WHEN %(expressions)s IS NULL THEN NULL "
        "ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        " || CASE WHEN date_trunc('second', %(expressions)s) <> %(expressions)s"
        " THEN to_char(%(expressions)s AT TIME ZONE 'UTC', '.US') ELSE '' END || 'Z' END"
    )
    output_field = TextField()


def post_feed_values(*, limit: int) -> list[dict[str, Any]]:
    """The newest `limit` feed rows as nested dicts. Queries: 3 (posts with their author,
    profile, category and comment count; their tags; their newest comments, ranked in SQL)."""
    posts = list(
        Post.objects.published()
        .newest_first()
        .with_comment_count()
        .values(
            "id",
            "title",
            "slug",
            "published_at",
            # The annotation from with_comment_count(), by an F() the type checker cannot trace.
            comments_total=F("comment_count"),
            author_username=F("author__username"),
            author_location=F("author__profile__location"),
            category_name=F("category__name"),
            category_slug=F("category__slug"),
        )[:limit]
    )
    ids = [post["id"] for post in posts]
    tags: dict[int, list[dict[str, str]]] = defaultdict(list)
    for link in (
        Post.tags.through.objects.filter(post_id__in=ids)
        .order_by("tag__name")
        .values("post_id", name=F("tag__name"), tag_slug=F("tag__slug"))
    ):
        tags[link["post_id"]].append({"name": link["name"], "slug": link["tag_slug"]})
    comments: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for comment in (
        Comment.objects.filter(post_id__in=ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("post_id"),
                order_by=(F("created_at").desc(), F("id").desc()),
            )
        )
        .filter(rank__lte=FEED_COMMENTS)
        .order_by("post_id", "rank")
        .values("post_id", "id", "body", "created_at", username=F("author__username"))
    ):
        comments[comment["post_id"]].append(
            {
                "id": comment["id"],
                "body": comment["body"],
                "created_at": comment["created_at"],
                "author": {"username": comment["username"]},
            }
        )
    return [
        {
            "id": post["id"],
            "title": post["title"],
            "slug": post["slug"],
            "published_at": post["published_at"],
            "author": {
                "username": post["author_username"],
                "profile": {"location": post["author_location"]},
            },
            "category": {"name": post["category_name"], "slug": post["category_slug"]},
            "tags": tags[post["id"]],
            "comment_count": post["comments_total"],
            "recent_comments": comments[post["id"]],
        }
        for post in posts
    ]


def post_feed_db_json(*, limit: int) -> bytes:
    """`{"results": [...]}` for the newest `limit` feed rows, each row's JSON built by
    PostgreSQL. Queries: 1. Raises NeedsPostgreSQLError on another database."""
    return b'{"results":[' + ",".join(post_feed_db_json_rows(limit=limit)).encode() + b"]}"


def post_feed_db_json_rows(*, limit: int) -> list[str]:
    """Each of the newest `limit` feed rows as the JSON text PostgreSQL built. Queries: 1."""
    if connection.vendor != "postgresql":
        raise NeedsPostgreSQLError(
            f"the database-built JSON needs PostgreSQL, not {connection.vendor}"
        )
    from django.contrib.postgres.expressions import ArraySubquery  # noqa: PLC0415 - PostgreSQL only

    tags = (
        Post.tags.through.objects.filter(post=OuterRef("pk"))
        .order_by("tag__name")
        .values(json=OrderedJSONObject(name="tag__name", slug="tag__slug"))
    )
    recent = (
        Comment.objects.filter(post=OuterRef("pk"))
        .newest_first()
        .values(
            json=OrderedJSONObject(
                id="id",
                body="body",
                created_at=PydanticTimestamp("created_at"),
                author=OrderedJSONObject(username="author__username"),
            )
        )[:FEED_COMMENTS]
    )
    # The keys in PostFeedOut's order, and its JSON's formats: a client sees one document.
    document = OrderedJSONObject(
        id="id",
        title="title",
        slug="slug",
        published_at=PydanticTimestamp("published_at"),
        author=OrderedJSONObject(
            username="author__username",
            profile=OrderedJSONObject(location="author__profile__location"),
        ),
        category=OrderedJSONObject(name="category__name", slug="category__slug"),
        tags=ArraySubquery(tags),
        comment_count="comment_count",
        recent_comments=ArraySubquery(recent),
    )
    return list(
        Post.objects.published()
        .newest_first()
        .with_comment_count()
        .annotate(document=Cast(document, output_field=TextField()))
        .values_list("document", flat=True)[:limit]
    )
