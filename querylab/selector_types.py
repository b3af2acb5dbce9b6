"""Types for the case registry: what a selector of each shape may be, and a naive/optimized pair.

A read case's two selectors must take the same arguments and return the same rows; the registry
says which shape each case has with a `Protocol`, generic over the row type, and `Pair` holds the
two selectors to it:

    Pair[ListSelector[Post]](naive=post_list_naive, optimized=post_list_optimized)

mypy then checks both functions against `(*, limit: int) -> Iterable[Post]`: a selector that
needs another argument, spells `limit` differently or returns other rows is a type error, before
any test runs (tests/querylab/test_registry_typing.py shows the error).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, Literal, Protocol, TypeVar

from blog.models import Post
from blog.schemas import PostImportIn, PostRetitleIn
from blog.selectors import PageRequest, PostPage
from users.models import User

Variant = Literal["naive", "optimized"]
VARIANTS: tuple[Variant, ...] = ("naive", "optimized")

RowT_co = TypeVar("RowT_co", covariant=True)
ResultT_co = TypeVar("ResultT_co", covariant=True)
SelectorT = TypeVar("SelectorT")


class ListSelector(Protocol[RowT_co]):
    """Most read cases: the first `limit` rows, as a list or a lazy QuerySet."""

    def __call__(self, *, limit: int) -> Iterable[RowT_co]: ...


class ViewerSelector(Protocol[RowT_co]):
    """Rows flagged for one viewer (posts-i-commented)."""

    def __call__(self, *, viewer_id: int, limit: int) -> Iterable[RowT_co]: ...


class DetailSelector(Protocol[ResultT_co]):
    """One object by slug, with up to `limit` of its children (post-detail)."""

    def __call__(self, *, slug: str, limit: int | None) -> ResultT_co: ...


class PageSelector(Protocol):
    """A page of the feed from a position (deep-pagination)."""

    def __call__(self, *, request: PageRequest) -> PostPage: ...


# The write cases' services: each takes the arguments its write setup provides.


class ImportService(Protocol):
    def __call__(self, *, author: User, data: PostImportIn) -> list[Post]: ...


class PublishService(Protocol):
    def __call__(self, *, author: User) -> list[Post]: ...


class RetitleService(Protocol):
    def __call__(self, *, author: User, data: PostRetitleIn) -> list[Post]: ...


class ViewService(Protocol):
    def __call__(self, *, slug: str) -> int: ...


class Pair(Mapping[Variant, SelectorT], Generic[SelectorT]):
    """A case's naive and optimized selector, of one declared type; read as a mapping by
    variant, as the lab and the tests do (`case.selectors["naive"]`)."""

    def __init__(self, *, naive: SelectorT, optimized: SelectorT) -> None:
        self._by_variant: dict[Variant, SelectorT] = {"naive": naive, "optimized": optimized}

    def __getitem__(self, variant: Variant) -> SelectorT:
        return self._by_variant[variant]

    def __iter__(self) -> Iterator[Variant]:
        return iter(VARIANTS)

    def __len__(self) -> int:
        return len(VARIANTS)
