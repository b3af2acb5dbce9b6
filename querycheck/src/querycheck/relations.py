"""Which relation a query loaded lazily, what would fix it, and strict loading.

The guard and `assert_constant_queries` say where a query repeats and which shape grew; this names
the model and relation behind it (`Post.author`, `Post.tags`, `User.profile`, the deferred field
`Post.body`) and the call that would load it with its rows (`select_related("author__profile")`,
`prefetch_related("tags")`, a `Prefetch(...)` for a filtered or sliced relation, an `only()` that
names the field). `applying(fixes)` adds those calls to the querysets as they are evaluated, so a
test can prove that a suggestion works before anyone edits the code; `strict_loading()` makes any
lazy load an error at the line that does it.

Django loads a relation lazily in four places, each hooked here once, at import:

- a forward foreign key or one-to-one (`post.author`): ForwardManyToOneDescriptor.get_object;
- a reverse one-to-one (`user.profile`): ReverseOneToOneDescriptor.__get__;
- a reverse foreign key or many-to-many manager (`post.comments.all()`, `post.tags.count()`): the
  manager classes Django builds per relation, whose querysets are tagged, so the load is known
  when the query runs (SQLCompiler.execute_sql), whatever was chained onto it;
- a deferred field (`post.body` after `only("title")`): DeferredAttribute.__get__.

Each hook costs a context-variable set and reset on a lazy load, and nothing on a loaded value.
Instances a lazy load returns remember the path that reached them from the queryset that started
it (`comments`, then `author`), so the suggestion is written against that queryset.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ContextDecorator, contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, replace
from typing import Any, Literal

from django.db.models import Model
from django.db.models.fields import related_descriptors
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.db.models.query import ModelIterable, QuerySet
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql.compiler import SQLCompiler

from . import waste
from .origin import app_origin

__all__ = [
    "Fix",
    "LazyLoad",
    "LazyLoadError",
    "applying",
    "current_load",
    "install",
    "strict_loading",
]

Kind = Literal["forward", "reverse_one", "many", "deferred"]
# What a manager query asked for: its rows, or only a number or a yes/no computed from them.
Operation = Literal["rows", "count", "exists"]
# Where the instances came from: the queryset that started it (its model), then each relation
# followed from there, and whether one of those manager queries was filtered, ordered or sliced.
_VIA = "_querycheck_via"
_TAG = "querycheck_load"


class LazyLoadError(Exception):
    """A relation or deferred field was loaded lazily under strict loading."""


@dataclass(frozen=True)
class Step:
    """One relation followed: `Post.comments` is Step("Post", "comments", many=True)."""

    model: str
    accessor: str
    many: bool


@dataclass(frozen=True)
class Via:
    """How instances were reached: the queryset the chain started from (its model), then each
    relation followed, and the index of a filtered, ordered or sliced manager query among them."""

    root: str
    steps: tuple[Step, ...] = ()
    narrowed_at: int | None = None


@dataclass(frozen=True)
class LazyLoad:
    """One lazy load: `model.field`, reached from `via`, and what the query asked for."""

    model: str
    field: str
    kind: Kind
    via: Via
    related_model: str = ""
    operation: Operation = "rows"
    narrowed: bool = False  # a manager query with its own filter, order or slice

    @property
    def relation(self) -> str:
        """`Post.author`, or `Post.body (deferred)` for a field."""
        return f"{self.model}.{self.field}" + (" (deferred)" if self.kind == "deferred" else "")

    @property
    def step(self) -> Step:
        return Step(self.model, self.field, many=self.kind == "many")

    def fix(self) -> Fix:
        return suggest(self)


@dataclass(frozen=True)
class Fix:
    """The call that loads a lazily loaded relation with its rows, on the queryset `target`
    names: a model's queryset (`Post`), or a relation's manager query (`Post.comments`)."""

    target: str
    method: Literal["select_related", "prefetch_related", "only", "annotate", "Prefetch"]
    lookup: str
    text: str
    # Whether `applying()` can add it to the queryset as it is. Annotations and Prefetch objects
    # change what the code reads: the message says which technique fits, and a person writes it.
    appliable: bool = True


def suggest(load: LazyLoad) -> Fix:
    """The fix for one lazy load, written against the queryset the chain started from."""
    via = load.via
    steps = via.steps if load.kind == "deferred" else (*via.steps, load.step)
    target = via.root
    if via.narrowed_at is not None:
        # Reached through a filtered or sliced manager query: the fix belongs on that query.
        narrowed = via.steps[via.narrowed_at]
        target = f"{narrowed.model}.{narrowed.accessor}"
        steps = steps[via.narrowed_at + 1 :]
    lookup = "__".join(step.accessor for step in steps)
    if load.kind == "deferred":
        field = f"{lookup}__{load.field}" if lookup else load.field
        return Fix(
            target,
            "only",
            field,
            f"load {load.model}.{load.field} with its rows: name {field!r} in only(), or take "
            f"it out of defer(), on the {target} queryset",
            appliable=not lookup,
        )
    if load.kind == "many" and load.operation == "count":
        return Fix(
            target,
            "annotate",
            lookup,
            f"annotate({load.field}_count=Count({lookup!r})) on the {target} queryset: a "
            f".count() per row is a query per row (prefetch_related({lookup!r}) would answer it "
            "too, by loading every related row only to count them)",
            appliable=False,
        )
    if load.kind == "many" and load.operation == "exists":
        return Fix(
            target,
            "annotate",
            lookup,
            f"annotate(flag=Exists({load.related_model}.objects.filter(<the same filter>, "
            f"<its link to {load.model}>=OuterRef('pk')))) on the {target} queryset: an "
            ".exists() per row is a query per row, and no prefetch answers it",
            appliable=False,
        )
    if load.kind == "many" and load.narrowed:
        return Fix(
            target,
            "Prefetch",
            lookup,
            f"Prefetch({lookup!r}, queryset={load.related_model}.objects.<the same filter, order "
            f"and slice>, to_attr=...) on the {target} queryset, read from that attribute: a "
            "filtered, ordered or sliced manager query never reads a prefetch (for one row per "
            f"{load.model}, as with .first(), annotate(...=Subquery(...)) reads just its columns)",
            appliable=False,
        )
    if any(step.many for step in steps):
        return Fix(
            target,
            "prefetch_related",
            lookup,
            f"prefetch_related({lookup!r}) on the {target} queryset",
        )
    return Fix(
        target, "select_related", lookup, f"select_related({lookup!r}) on the {target} queryset"
    )


# --- what is loading now -------------------------------------------------------------------

_loading: ContextVar[LazyLoad | None] = ContextVar("querycheck_loading", default=None)
_strict: ContextVar[bool] = ContextVar("querycheck_strict", default=False)
_applying: ContextVar[tuple[Fix, ...]] = ContextVar("querycheck_applying", default=())


def current_load() -> LazyLoad | None:
    """The lazy load the query running now belongs to, if any (read by querycheck.capture)."""
    return _loading.get()


@contextmanager
def _loading_as(load: LazyLoad, *, enforce: bool = True) -> Iterator[None]:
    """Run a lazy load as `load`: refused under strict loading (when `enforce`), else attributed
    to it in every capture that records the query."""
    if enforce and _strict.get():
        raise LazyLoadError(
            f"{load.relation} loaded lazily under strict loading, at "
            f"{app_origin(sys._getframe())}. Fix: {load.fix().text}."
        )
    token = _loading.set(load)
    try:
        yield
    finally:
        _loading.reset(token)


def _via_of(instance: Any) -> Via:
    via = getattr(instance, _VIA, None) if instance is not None else None
    return via if isinstance(via, Via) else Via(root=type(instance).__name__)


def _mark(result: Any, via: Via) -> None:
    if isinstance(result, Model):
        result.__dict__[_VIA] = via


class strict_loading(ContextDecorator):  # noqa: N801 - reads like a function: strict_loading()
    """Inside the block (or the decorated function), any lazy relation load or deferred-field
    load raises LazyLoadError, naming the relation, the app line and the fix.

    `strict_loading(False)` allows lazy loads again inside a strict block: a write that replaces
    a relation's members (`post.comments.set(...)`) reads them first, by design.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._tokens: list[Token[bool]] = []

    def __enter__(self) -> strict_loading:
        self._tokens.append(_strict.set(self.enabled))
        return self

    def __exit__(self, *exc: object) -> None:
        _strict.reset(self._tokens.pop())


@contextmanager
def applying(fixes: Iterable[Fix]) -> Iterator[None]:
    """Add the appliable fixes to every queryset they target while the block evaluates it:
    `select_related`/`prefetch_related` lookups, a deferred field loaded after all. A test runs the
    code again inside it to prove a suggestion removes the N+1 before the code is changed."""
    token = _applying.set(tuple(fix for fix in fixes if fix.appliable))
    try:
        yield
    finally:
        _applying.reset(token)


# --- the hooks -----------------------------------------------------------------------------


def _forward_get_object(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_object(self: Any, instance: Model) -> Any:
        via = _via_of(instance)
        load = LazyLoad(
            model=type(instance).__name__,
            field=self.field.name,
            kind="forward",
            via=via,
            related_model=self.field.related_model.__name__,
        )
        with _loading_as(load):
            result = original(self, instance)
        _mark(result, _extend(via, load.step))
        return result

    return get_object


def _forward_get(original: Callable[..., Any]) -> Callable[..., Any]:
    def get(self: Any, instance: Any, cls: Any = None) -> Any:
        if instance is not None and waste.recording():
            waste.relation_read(instance, self.field.cache_name, column=self.field.attname)
        return original(self, instance, cls)

    return get


def _reverse_one_get(original: Callable[..., Any]) -> Callable[..., Any]:
    def get(self: Any, instance: Any, cls: Any = None) -> Any:
        if instance is not None and waste.recording():
            waste.relation_read(instance, self.related.cache_name)
        if instance is None or self.related.is_cached(instance) or not instance._is_pk_set():
            return original(self, instance, cls)
        via = _via_of(instance)
        accessor = self.related.get_accessor_name() or self.related.name
        load = LazyLoad(
            model=type(instance).__name__,
            field=accessor,
            kind="reverse_one",
            via=via,
            related_model=self.related.related_model.__name__,
        )
        with _loading_as(load):
            result = original(self, instance, cls)
        _mark(result, _extend(via, load.step))
        return result

    return get


def _deferred_get(original: Callable[..., Any]) -> Callable[..., Any]:
    def get(self: Any, instance: Any, cls: Any = None) -> Any:
        if instance is None or self.field.attname in instance.__dict__:
            return original(self, instance, cls)
        found, value = waste.column_value(instance, self.field.attname, self.field.name)
        if found:  # fetched, and moved aside while waste is recorded: a read, not a load
            return value
        load = LazyLoad(
            model=type(instance).__name__,
            field=self.field.name,
            kind="deferred",
            via=_via_of(instance),
        )
        with _loading_as(load):
            return original(self, instance, cls)

    return get


def _extend(via: Via, step: Step) -> Via:
    return replace(via, steps=(*via.steps, step))


@dataclass(frozen=True)
class _ManagerTag:
    """Set on a relation manager's query: which relation it loads, and the query as the manager
    built it, so that what was chained on afterwards (a filter, an order, a slice) shows."""

    model: str
    field: str
    related_model: str
    via: Via
    where: int
    order_by: tuple[Any, ...]

    def load_for(self, query: Any) -> LazyLoad:
        narrowed = (
            query.is_sliced
            or len(query.where.children) > self.where
            or tuple(query.order_by) != self.order_by
        )
        annotations = getattr(query, "annotations", {})
        operation: Operation = "rows"
        if "__count" in annotations:
            operation = "count"
        elif set(annotations) == {"a"} and not query.default_cols:
            operation = "exists"
        return LazyLoad(
            model=self.model,
            field=self.field,
            kind="many",
            via=self.via,
            related_model=self.related_model,
            operation=operation,
            narrowed=narrowed and operation == "rows",
        )


def _tracked_manager(manager_cls: type[Any], accessor_of: Callable[[Any], str]) -> type[Any]:
    class TrackedManager(manager_cls):  # type: ignore[misc]
        def get_queryset(self) -> Any:
            queryset = super().get_queryset()
            if isinstance(queryset, QuerySet) and queryset._result_cache is not None:
                if waste.recording():  # served from a prefetch: the prefetch was used
                    waste.relation_read(self.instance, accessor_of(self))
            elif isinstance(queryset, QuerySet):
                setattr(
                    queryset.query,
                    _TAG,
                    _ManagerTag(
                        model=type(self.instance).__name__,
                        field=accessor_of(self),
                        related_model=self.model.__name__,
                        via=_via_of(self.instance),
                        where=len(queryset.query.where.children),
                        order_by=tuple(queryset.query.order_by),
                    ),
                )
            return queryset

    TrackedManager.__name__ = TrackedManager.__qualname__ = manager_cls.__name__
    return TrackedManager


# The wrapped factories keep Django's names and signatures, so that other tools that patch them
# by name and read their arguments (django-zeal does) find them where they look.


def _reverse_many_factory(factory: Callable[..., type[Any]]) -> Callable[..., type[Any]]:
    @functools.wraps(factory)
    def create_reverse_many_to_one_manager(superclass: type[Any], rel: Any) -> type[Any]:
        return _tracked_manager(
            factory(superclass, rel),
            lambda manager: manager.field.remote_field.get_accessor_name(),
        )

    return create_reverse_many_to_one_manager


def _many_to_many_factory(factory: Callable[..., type[Any]]) -> Callable[..., type[Any]]:
    @functools.wraps(factory)
    def create_forward_many_to_many_manager(
        superclass: type[Any], rel: Any, reverse: bool
    ) -> type[Any]:
        return _tracked_manager(
            factory(superclass, rel, reverse), lambda manager: manager.prefetch_cache_name
        )

    return create_forward_many_to_many_manager


def _execute_sql(original: Callable[..., Any]) -> Callable[..., Any]:
    def execute_sql(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        query = self.query
        tag = getattr(query, _TAG, None) or getattr(getattr(query, "inner_query", None), _TAG, None)
        if not isinstance(tag, _ManagerTag):
            return original(self, *args, **kwargs)
        # A values() read of a relation (what a many-to-many set() does to diff its members)
        # is attributed, but never refused: strict loading is about model rows loaded lazily.
        with _loading_as(tag.load_for(query), enforce=not query.values_select):
            return original(self, *args, **kwargs)

    return execute_sql


def _fetch_all(original: Callable[..., Any]) -> Callable[..., Any]:
    def fetch_all(self: QuerySet[Any]) -> None:
        fresh = self._result_cache is None  # _fetch_all runs again on every len() and iter()
        if fresh and _applying.get():
            _apply(self, _applying.get())
        original(self)
        if fresh and waste.recording() and self._result_cache:
            waste.fetched(
                self._result_cache,
                self.query.select_related,
                self._prefetch_related_lookups,  # type: ignore[attr-defined]
            )
        tag = getattr(self.query, _TAG, None)
        if isinstance(tag, _ManagerTag) and self._result_cache:
            load = tag.load_for(self.query)
            via = _extend(tag.via, load.step)
            if load.narrowed:
                via = replace(via, narrowed_at=len(via.steps) - 1)
            for row in self._result_cache:
                _mark(row, via)

    return fetch_all


def _apply(queryset: Any, fixes: tuple[Fix, ...]) -> None:
    """Add the fixes aimed at this queryset: a relation's manager query is aimed at by its
    relation (`Post.comments`), any other queryset of model instances by its model (`Post`)."""
    if queryset._iterable_class is not ModelIterable:
        return  # values() rows: nothing to join or prefetch onto
    tag = getattr(queryset.query, _TAG, None)
    aimed = f"{tag.model}.{tag.field}" if isinstance(tag, _ManagerTag) else queryset.model.__name__
    query = queryset.query
    for fix in fixes:
        if fix.target != aimed:
            continue
        if fix.method == "select_related" and query.select_related is not True:
            query.add_select_related([fix.lookup])
        elif fix.method == "prefetch_related":
            if fix.lookup not in queryset._prefetch_related_lookups:
                queryset._prefetch_related_lookups += (fix.lookup,)
        elif fix.method == "only":
            fields, deferring = query.deferred_loading
            changed = fields - {fix.lookup} if deferring else fields | {fix.lookup}
            query.deferred_loading = (frozenset(changed), deferring)


_installed = False


def install() -> None:
    """Hook Django's lazy loads (idempotent; done when querycheck is imported)."""
    global _installed  # noqa: PLW0603 - one process-wide installation
    if _installed:
        return
    _installed = True
    ForwardManyToOneDescriptor.get_object = _forward_get_object(  # type: ignore[method-assign]
        ForwardManyToOneDescriptor.get_object
    )
    ForwardManyToOneDescriptor.__get__ = _forward_get(  # type: ignore[method-assign]
        ForwardManyToOneDescriptor.__get__
    )
    ReverseOneToOneDescriptor.__get__ = _reverse_one_get(  # type: ignore[method-assign]
        ReverseOneToOneDescriptor.__get__
    )
    DeferredAttribute.__get__ = _deferred_get(DeferredAttribute.__get__)  # type: ignore[method-assign]
    related_descriptors.create_reverse_many_to_one_manager = _reverse_many_factory(
        related_descriptors.create_reverse_many_to_one_manager
    )
    related_descriptors.create_forward_many_to_many_manager = _many_to_many_factory(
        related_descriptors.create_forward_many_to_many_manager
    )
    Model.get_deferred_fields = waste.counting_aside_as_loaded(  # type: ignore[method-assign,assignment]
        Model.get_deferred_fields
    )
    SQLCompiler.execute_sql = _execute_sql(SQLCompiler.execute_sql)  # type: ignore[method-assign]
    QuerySet._fetch_all = _fetch_all(QuerySet._fetch_all)  # type: ignore[method-assign]
    _forget_manager_classes()


def _forget_manager_classes() -> None:
    """Drop the relation managers Django built before the hooks (a cached_property on each
    descriptor), so the next access builds a tracked one."""
    from django.apps import apps  # noqa: PLC0415 - only once the app registry exists

    if not apps.ready:
        return
    for model in apps.get_models(include_auto_created=True):
        for attribute in vars(model).values():
            if isinstance(attribute, ReverseManyToOneDescriptor | ManyToManyDescriptor):
                attribute.__dict__.pop("related_manager_cls", None)
