"""The case vocabulary: what an app writes in its `cases.py` to declare a naive/optimized pair.

One `Case` per pattern, beside the code it compares. The declaration is the only place a pair is
written: routes (`naive/<slug>/`, `optimized/<slug>/`, named `<slug>-naive` / `<slug>-optimized`,
see core.case_routes), the lab's pages and `cases.json`, the parametrized tests, the bench and
docs/patterns.md are all driven from it. The lab (querylab.registry) collects every app's
`cases.py` the way the admin collects `admin.py`.

A read case's two selectors must take the same arguments and return the same rows: `Pair`, with
a selector Protocol generic over the rows, holds both to one declared shape,

    Pair[ListSelector[Post]](naive=post_list_naive, optimized=post_list_optimized)

so a selector that needs another argument or returns other rows is a mypy error, before any test
runs (tests/querylab/test_registry_typing.py shows the error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, get_args
from urllib.parse import urlencode

from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse
from django.views import View
from pydantic import BaseModel

from .case_params import CaseParams
from .formulas import Formula

__all__ = [
    "BENEFITS",
    "SURFACES",
    "TECHNIQUES",
    "VARIANTS",
    "AnyCase",
    "Benefit",
    "Case",
    "DetailSelector",
    "Formula",
    "ListSelector",
    "PageTarget",
    "Pair",
    "Scale",
    "Surface",
    "Technique",
    "Variant",
    "ViewerSelector",
    "WriteSetup",
    "django_docs",
]

Variant = Literal["naive", "optimized"]
VARIANTS: tuple[Variant, ...] = ("naive", "optimized")
Surface = Literal["page", "api"]
SURFACES: tuple[Surface, ...] = ("page", "api")
Kind = Literal["read", "write"]
# What N counts in a case's formulas; the tests build data of each scale at several sizes.
Scale = Literal["posts", "users", "tags", "categories", "comments"]
Technique = Literal[
    "select_related", "prefetch_related", "Prefetch", "sliced_prefetch", "only", "defer",
    "annotate", "aggregate", "Exists", "Subquery", "values", "count_exists", "iterator",
    "streaming", "bulk_create", "bulk_update", "update_F", "cursor_pagination", "cache", "admin",
    "async", "db_json", "conditional_get",
]  # fmt: skip
TECHNIQUES: tuple[str, ...] = get_args(Technique)
# Which figure shows what a case's optimization buys: not always the query count (post-titles
# runs one query either way and saves bytes; deep-pagination saves time, more the deeper it goes).
Benefit = Literal["queries", "bytes", "memory", "time", "concurrency"]
BENEFITS: dict[Benefit, str] = {
    "queries": "the query count",
    "bytes": "the column data fetched: the same single query brings back far fewer bytes",
    "memory": "peak Python memory",
    "time": "the time, and the more so the deeper the page",
    "concurrency": "no lost update under concurrent requests, which one request cannot show: "
    "tests/blog/test_view_counter_concurrency.py proves it",
}


def django_docs(path: str) -> str:
    """A page of the Django documentation for the version this project runs."""
    return f"https://docs.djangoproject.com/en/5.2/{path}"


RowT_co = TypeVar("RowT_co", covariant=True)
ResultT_co = TypeVar("ResultT_co", covariant=True)
SelectorT = TypeVar("SelectorT")


class ListSelector(Protocol[RowT_co]):
    """Most read cases: the first `limit` rows, as a list or a lazy QuerySet."""

    def __call__(self, *, limit: int) -> Iterable[RowT_co]: ...


class ViewerSelector(Protocol[RowT_co]):
    """Rows flagged for one viewer."""

    def __call__(self, *, viewer_id: int, limit: int) -> Iterable[RowT_co]: ...


class DetailSelector(Protocol[ResultT_co]):
    """One object by slug, with up to `limit` of its children."""

    def __call__(self, *, slug: str, limit: int | None) -> ResultT_co: ...


class Pair(Mapping[Variant, SelectorT], Generic[SelectorT]):
    """A case's naive and optimized selector (or service), of one declared type; read as a
    mapping by variant, as the views, the lab and the tests do (`case.selectors["naive"]`)."""

    def __init__(self, *, naive: SelectorT, optimized: SelectorT) -> None:
        self._by_variant: dict[Variant, SelectorT] = {"naive": naive, "optimized": optimized}

    def __getitem__(self, variant: Variant) -> SelectorT:
        return self._by_variant[variant]

    def __iter__(self) -> Iterator[Variant]:
        return iter(VARIANTS)

    def __len__(self) -> int:
        return len(VARIANTS)


@dataclass(frozen=True)
class PageTarget:
    """What a case's URL needs besides `?limit=`: URL kwargs and query parameters per variant."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    params: dict[Variant, dict[str, str]] = field(default_factory=dict)


def no_target(limit: int) -> PageTarget:
    """Most cases need nothing but `?limit=`."""
    return PageTarget()


@dataclass(frozen=True)
class WriteSetup:
    """The data one write measurement needs, made inside the transaction that is rolled back:
    who sends the request, its body and URL kwargs, and how to read back what it changed."""

    user: AbstractBaseUser
    body: Any = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    # What the write changed, in a form two variants' results can be compared by.
    outcome: Callable[[], Any] = lambda: None


# What a case's variants run: usually one of the Protocols above (or an app's own), generic over
# its rows; a strategy object where the variants differ in more than a function (an export).
SelectorT_co = TypeVar("SelectorT_co", covariant=True)


@dataclass(frozen=True, kw_only=True)
class Case(Generic[SelectorT_co]):
    """One naive/optimized pair: what it is, what it costs, and how each surface serves it."""

    slug: str
    title: str
    app: str  # the app label; also the URL namespace of its pages
    kind: Kind = "read"
    techniques: tuple[Technique, ...]
    naive_queries: Formula
    optimized_queries: Formula
    grows_with_n: bool
    scale: Scale
    why: str
    docs_url: str
    # Pair[ListSelector[Post]](naive=..., optimized=...): mypy holds both to the declared shape.
    selectors: Mapping[Variant, SelectorT_co]
    # The page: the template the shared CasePageView renders for both variants.
    template: str | None = None
    # The endpoint: the schema of each row (the shared CaseAPIView answers {"results": [...]},
    # or one object with many=False), or a view of the case's own, mounted once per variant.
    schema: type[BaseModel] | None = None
    many: bool = True
    api_view: type[View] | None = None
    # How both surfaces read the request (`?limit=` and the URL's arguments by default).
    params: type[CaseParams] = CaseParams
    # URL arguments after `naive/<slug>/`, such as "<slug:slug>/" for a case about one post.
    route: str = ""
    # Pages served by someone else's view (the admin's changelists), by URL name.
    page_url_names: Mapping[Variant, str] = field(default_factory=dict)
    # The representative object a URL needs, from the current data, for a page of `limit`
    # rows; None when the data has none.
    target: Callable[[int], PageTarget | None] = no_target
    # Pages only staff may open (the admin); the lab runs them as the requesting staff user.
    staff_only: bool = False
    # The code the lab and docs show per variant, when more than the selector itself.
    code: Mapping[Variant, tuple[Any, ...]] = field(default_factory=dict)
    # Write cases: the data a batch of N needs, made inside the transaction that is rolled back.
    write: Callable[[int], WriteSetup] | None = None
    # Request each variant once before measuring it: the cache case measures a warm hit.
    warm_up: bool = False
    # Measure a client that already holds the response: request it once, then send its ETag
    # back (If-None-Match) on every measured request (the conditional-get case's 304s).
    revalidate: bool = False
    # A case that saves columns (only, defer, values) names, per table, exactly the columns its
    # optimized variant selects; tests/querylab/test_columns.py reads its SQL and holds it to it.
    optimized_columns: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Which of the lab's figures shows the difference (BENEFITS says what each means).
    benefit: Benefit = "queries"
    # The naive code's count once its lazy foreign-key and one-to-one loads are batched across
    # the rows (the lab's auto tier, django-auto-prefetch, as Django 6.1's FETCH_PEERS does);
    # None for a case with no such loads to batch.
    auto_queries: Formula | None = None
    # False where `?limit=` (the lab's N) changes nothing: the case reads all the data there is
    # (statistics, an export), a page of the admin's own size, or one row (a view count).
    sized_by_limit: bool = True

    @property
    def n_means(self) -> str:
        """What N counts in this case's formulas, in a phrase for the lab's form and pages."""
        if not self.sized_by_limit:
            return f"{self.scale} in the data; set by the data, not by the lab"
        if self.kind == "write":
            return f"{self.scale} in the batch written"
        return f"{self.scale} on the page"

    @property
    def benefit_shown_by(self) -> str:
        return BENEFITS[self.benefit]

    def code_for(self, variant: Variant) -> tuple[Any, ...]:
        return self.code.get(variant) or (self.selectors[variant],)

    def formula(self, variant: Variant) -> Formula:
        return self.naive_queries if variant == "naive" else self.optimized_queries

    def tier_formula(self, tier: str) -> Formula:
        """A variant's formula, or the auto tier's (naive code, batched lazy loads)."""
        if tier == "auto":
            if self.auto_queries is None:
                raise ValueError(f"{self.slug} has no auto tier")
            return self.auto_queries
        return self.formula("naive" if tier == "naive" else "optimized")

    @property
    def has_page(self) -> bool:
        return self.template is not None or bool(self.page_url_names)

    @property
    def has_api(self) -> bool:
        return self.schema is not None or self.api_view is not None

    @property
    def surfaces(self) -> tuple[Surface, ...]:
        """Where both variants can be requested: "page", "api", or both."""
        present = {"page": self.has_page, "api": self.has_api}
        return tuple(surface for surface in SURFACES if present[surface])

    def url_name(self, surface: Surface, variant: Variant) -> str:
        """The namespaced URL name of one variant's page or endpoint."""
        if surface == "page" and variant in self.page_url_names:
            return self.page_url_names[variant]
        return f"{self.app if surface == 'page' else 'api'}:{self.slug}-{variant}"

    def page_url(self, variant: Variant, target: PageTarget | None, *, limit: int | None) -> str:
        return self.url("page", variant, target, limit=limit)

    def url(
        self, surface: Surface, variant: Variant, target: PageTarget | None, *, limit: int | None
    ) -> str:
        """The path of one variant's page or endpoint for `target`, with `?limit=` when given."""
        if surface not in self.surfaces or target is None:
            raise ValueError(f"{self.slug}: the {variant} variant has no {surface} for this data")
        params = dict(target.params.get(variant, {}))
        if limit is not None:
            params["limit"] = str(limit)
        query = urlencode(params)
        path = reverse(self.url_name(surface, variant), kwargs=target.kwargs)
        return path + (f"?{query}" if query else "")


# A case of any selector shape, for code that handles every case alike (the lab, the bench).
AnyCase = Case[Any]
