"""Pydantic v2 schemas at the API's edge: `XIn` validates a request body, `XOut` shapes a
response from model instances (`from_attributes`) or `values()` rows alike.

An `XOut` reads exactly the attributes the matching HTML template reads, so a case's naive and
optimized API endpoints cost the same queries as its pages. Adapters are built once, at import.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import Manager
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    TypeAdapter,
    computed_field,
)

# Pydantic needs typing_extensions' TypedDict before Python 3.12.
from typing_extensions import TypedDict

from core.schemas import In, NoNul, Out, PartialUpdateIn, at_most
from users.schemas import ProfileOut

from .models import reading_minutes

MAX_TITLE = 200
MAX_BODY = 100_000
MAX_COMMENT = 10_000
MAX_TAGS = 10


Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE),
    at_most(MAX_TITLE),
    NoNul,
]
Body = Annotated[str, StringConstraints(min_length=1, max_length=MAX_BODY), NoNul]
CommentBody = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT),
    at_most(MAX_COMMENT),
    NoNul,
]
TagName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), at_most(50), NoNul
]
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)]


def _unique_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tags))


Tags = Annotated[list[TagName], Field(max_length=MAX_TAGS), AfterValidator(_unique_tags)]


def _as_list(value: Any) -> Any:
    """A related manager is not a list to Pydantic: read it (prefetched or not) as one."""
    return list(value.all()) if isinstance(value, Manager) else value


class TagOut(Out):
    name: str
    slug: str


def _sorted_by_name(value: Any) -> Any:
    # Tag instances from the ORM, or dicts from values() rows (blog.feed_tiers).
    return sorted(
        _as_list(value), key=lambda tag: tag["name"] if isinstance(tag, dict) else tag.name
    )


# A post's tags, prefetched or not, in name order so every variant returns the same list.
SortedTags = Annotated[list[TagOut], BeforeValidator(_sorted_by_name)]


class CategoryOut(Out):
    name: str
    slug: str


class AuthorOut(Out):
    username: str


# Not "ProfileOut": that is users.schemas' whole profile, and the OpenAPI document keeps one
# component per name (tests/api/test_openapi.py holds names unique).
class AuthorProfileOut(Out):
    """What a post or comment shows of its author's profile."""

    location: str


class AuthorWithProfileOut(Out):
    username: str
    profile: AuthorProfileOut


class CommentOut(Out):
    id: int
    body: str
    created_at: datetime
    author: AuthorOut


class CommentWithProfileOut(Out):
    id: int
    body: str
    created_at: datetime
    author: AuthorWithProfileOut


class PostListItemOut(Out):
    """post-list and drf-nested-serializer."""

    id: int
    title: str
    slug: str
    published_at: datetime | None
    author: AuthorOut
    category: CategoryOut


class PostFeedOut(Out):
    """post-feed and `GET /api/v1/posts/`."""

    # By name too, so the endpoint's own JSON (`tags`) validates back into this model.
    model_config = ConfigDict(from_attributes=True, validate_by_name=True, validate_by_alias=True)

    id: int
    title: str
    slug: str
    published_at: datetime | None
    author: AuthorWithProfileOut
    category: CategoryOut
    # Read from `tag_list`: a Prefetch to_attr on the optimized posts, a list the naive selector
    # sets, a key of the values() rows; written out as `tags`.
    tags: SortedTags = Field(validation_alias="tag_list")
    comment_count: int
    recent_comments: list[CommentOut]


# The same feed rows as TypedDicts, for rows that are dicts already (values(): blog.feed_tiers).
# Pydantic validates a dict into a dict, building no model instance on the way in or out, and
# writes the same JSON as PostFeedOut (tests/api/test_feed_tiers.py holds them byte for byte).
class FeedProfileRow(TypedDict):
    location: str


class FeedAuthorRow(TypedDict):
    username: str
    profile: FeedProfileRow


class FeedNameRow(TypedDict):
    name: str
    slug: str


class FeedCommenterRow(TypedDict):
    username: str


class FeedCommentRow(TypedDict):
    id: int
    body: str
    created_at: datetime
    author: FeedCommenterRow


class PostFeedRow(TypedDict):
    id: int
    title: str
    slug: str
    published_at: datetime | None
    author: FeedAuthorRow
    category: FeedNameRow
    tags: list[FeedNameRow]  # in name order, as the query returns them
    comment_count: int
    recent_comments: list[FeedCommentRow]


class PostFeedRows(TypedDict):
    results: list[PostFeedRow]


FEED_ROWS = TypeAdapter(PostFeedRows)


class PostDetailOut(Out):
    """post-detail, and the body of a created or updated post."""

    id: int
    title: str
    slug: str
    body: str
    status: str
    published_at: datetime | None
    author: AuthorOut
    category: CategoryOut
    tags: SortedTags
    comments: list[CommentWithProfileOut] = Field(validation_alias="comment_list")


class PostTitleOut(Out):
    """post-titles, deferred-trap, deep-pagination and category-latest's posts."""

    title: str
    slug: str
    published_at: datetime | None


class PostBylineOut(Out):
    """eager-everything: a title, its date and who wrote it."""

    title: str
    slug: str
    published_at: datetime | None
    author: AuthorOut


class PostLatestCommentOut(Out):
    """post-latest-comment: each post with its newest comment, when it has one."""

    title: str
    slug: str
    latest_comment_body: str | None
    latest_comment_author: str | None
    latest_comment_at: datetime | None


class PostReadingOut(Out):
    """`GET /api/v1/posts/reading-list/`: titles with a reading time, computed from the body's
    length counted by the database (`Length("body")`, selectors.post_reading_list), so the list
    never loads a body. Compare PostReadingFromPropertyOut, the trap this avoids."""

    title: str
    slug: str
    published_at: datetime | None
    # Read from the annotation, used by the computed field, left out of the output.
    body_length: int = Field(exclude=True)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented stacking
    @property
    def reading_time_minutes(self) -> int:
        return reading_minutes(self.body_length)


class PostReadingFromPropertyOut(Out):
    """The same output through `Post.reading_time_minutes`, a model property that reads the body:
    validating a list whose body is deferred (only()) runs one query per post to load it, an N+1
    that no view or template shows. tests/blog/test_computed_field_trap.py measures both."""

    title: str
    slug: str
    published_at: datetime | None
    reading_time_minutes: int


class PostRowOut(Out):
    """post-values: validated from instances and `values()` dicts alike."""

    id: int
    title: str
    slug: str
    published_at: datetime | None
    author_name: str


class PostFlagOut(Out):
    title: str
    slug: str
    viewer_commented: bool


class TagCountOut(Out):
    name: str
    slug: str
    post_count: int


class CategoryLatestOut(Out):
    name: str
    slug: str
    latest_posts: list[PostTitleOut]


class PostPageOut(Out):
    """deep-pagination: a page and the query string of the next one."""

    rows: list[PostTitleOut] = Field(serialization_alias="results")
    next_query: dict[str, str] | None = Field(serialization_alias="next")


class FeedPageOut(BaseModel):
    """`GET /api/v1/posts/`: keyset pages, with links to the neighbours."""

    results: list[PostFeedOut]
    next: str | None
    previous: str | None


class PostIn(In):
    """`POST /api/v1/posts/`. The author is the requesting user, never a field."""

    title: Title
    body: Body
    tags: Tags = []
    category: Slug
    status: Literal["draft", "published"] = "draft"


class PostPatchIn(PartialUpdateIn):
    """`PATCH /api/v1/posts/{slug}/`: any subset of PostIn's fields."""

    title: Title | None = None
    body: Body | None = None
    tags: Tags | None = None
    category: Slug | None = None
    status: Literal["draft", "published"] | None = None


class CommentIn(In):
    body: CommentBody


class CommentListOut(BaseModel):
    results: list[CommentOut]


POST_DETAIL = TypeAdapter(PostDetailOut)
COMMENT = TypeAdapter(CommentOut)
FEED_PAGE = TypeAdapter(FeedPageOut)
COMMENTS_PAGE = TypeAdapter(CommentListOut)
POST_LIST_ITEMS = TypeAdapter(list[PostListItemOut])


MAX_IMPORT = 500


class PostImportRow(In):
    title: Title
    body: Body
    tags: Tags = []
    category: Slug


class PostImportIn(In):
    """`POST /api/v1/posts/import/`: up to 500 drafts, all written or none."""

    posts: Annotated[list[PostImportRow], Field(min_length=1, max_length=MAX_IMPORT)]


class PostRetitleRow(In):
    slug: Slug
    title: Title


class PostRetitleIn(In):
    """`POST /api/v1/posts/retitle/`: new titles for up to 500 of your posts."""

    posts: Annotated[list[PostRetitleRow], Field(min_length=1, max_length=MAX_IMPORT)]


class WriteResultOut(BaseModel):
    """What a bulk write did: how many rows, and which posts (by slug, in request order)."""

    count: int
    slugs: list[str]


class ViewCountOut(BaseModel):
    view_count: int


WRITE_RESULT = TypeAdapter(WriteResultOut)
VIEW_COUNT = TypeAdapter(ViewCountOut)


# The author directory and public profiles (blog.authors): users joined to their posts.


class LocationOut(Out):
    location: str


class UserDirectoryOut(Out):
    """user-directory and `GET /api/v1/users/`."""

    username: str
    profile: LocationOut
    published_post_count: int
    latest_post_title: str | None


class UserDetailOut(Out):
    """`GET /api/v1/users/{username}/`."""

    username: str
    first_name: str
    last_name: str
    date_joined: datetime
    profile: ProfileOut
    published_post_count: int
    comment_count: int


USER_DETAIL = TypeAdapter(UserDetailOut)


# Bodies of the statistics, the async counts, the export and the link check.


class Totals(BaseModel):
    posts: int
    comments: int
    users: int


class AuthorCount(BaseModel):
    username: str
    published_posts: int


class TagCount(BaseModel):
    name: str
    slug: str
    posts: int


class StatsOut(BaseModel):
    totals: Totals
    top_authors: list[AuthorCount]
    top_tags: list[TagCount]


STATS = TypeAdapter(StatsOut)


class PostCounts(BaseModel):
    posts: int
    published: int
    comments: int
    authors: int


POST_COUNTS = TypeAdapter(PostCounts)


class PostExportRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    slug: str
    author: str
    category: str
    published_at: datetime | None


EXPORT_ROW = TypeAdapter(PostExportRow)


class LinkResultOut(BaseModel):
    """One checked link: its HTTP status, or why it could not be fetched."""

    url: str
    status: int | None
    error: str | None
    milliseconds: float


class LinkResultListOut(RootModel[list[LinkResultOut]]):
    """Every link of the post, in order of first appearance."""


LINK_RESULTS = TypeAdapter(LinkResultListOut)
