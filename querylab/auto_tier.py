"""The auto tier: the naive code, with its lazy foreign-key and one-to-one loads batched across
the rows a queryset fetched, by django-auto-prefetch, as Django 6.1's `FETCH_PEERS` fetch mode
batches them.

django-auto-prefetch batches through descriptors of its own, on instances that know their peers
(the other rows their queryset fetched). The lab puts its descriptors on every foreign key and one-
to-one of the project's apps when it starts (querylab.apps), gated: outside the tier they hand each
access straight to Django's own descriptor, so the naive and optimized variants (and the bench's
figures for them) run Django's code, not a batching descriptor's checks. Inside
`auto_prefetching()`, every queryset of model instances gives its rows their peers, as
`auto_prefetch.QuerySet` does for its own, so the naive code runs unchanged and the first lazy load
of a relation loads it for all the rows at once. Reverse foreign keys and many-to-many managers are
left alone, as `FETCH_PEERS` leaves them, and so are deferred fields (which `FETCH_PEERS` batches
too): what is left is what docs/patterns.md says each case still needs from its developer.

Development only (querylab is installed by the local and test settings): the models themselves
are not changed, and production never loads this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from weakref import WeakValueDictionary

import auto_prefetch
from django.apps import apps
from django.db import models
from django.db.models.fields import related_descriptors
from django.db.models.query import ModelIterable, QuerySet

__all__ = ["auto_prefetching", "install"]

# The apps whose relations the tier batches: the project's own.
PROJECT_APPS = ("users", "blog")

_active: ContextVar[bool] = ContextVar("auto_prefetching", default=False)


@contextmanager
def auto_prefetching() -> Iterator[None]:
    """Run the block as the auto tier: every queryset's rows know their peers, and the first
    lazy load of a foreign key or one-to-one on one of them loads it for all of them."""
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def _with_peers(original: Callable[[QuerySet[Any]], None]) -> Callable[[QuerySet[Any]], None]:
    def fetch_all(self: QuerySet[Any]) -> None:
        fresh = self._result_cache is None
        original(self)
        rows = self._result_cache
        if (
            fresh
            and _active.get()
            and rows is not None
            and issubclass(self._iterable_class, ModelIterable)
            and len(rows) >= 2
        ):
            # What auto_prefetch.QuerySet._fetch_all does for the querysets of its own models.
            peers = WeakValueDictionary((id(row), row) for row in rows)
            for row in peers.values():
                row._peers = peers

    return fetch_all


_installed = False


def install() -> None:
    """Put django-auto-prefetch's descriptors on the project's relations (idempotent)."""
    global _installed  # noqa: PLW0603 - one process-wide installation, at start-up
    if _installed:
        return
    _installed = True
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                _batch(model, field)
    QuerySet._fetch_all = _with_peers(QuerySet._fetch_all)  # type: ignore[method-assign,assignment]


class _Gated:
    """django-auto-prefetch's descriptor inside `auto_prefetching()`, Django's own outside it."""

    _django_get: Callable[..., Any]

    def __get__(self, instance: models.Model | None, owner: type | None = None) -> Any:
        if instance is not None and _active.get():
            return super().__get__(instance, owner)  # type: ignore[misc]
        return self._django_get(instance, owner)


class _ForwardManyToOne(_Gated, auto_prefetch.ForwardManyToOneDescriptor):
    _django_get = related_descriptors.ForwardManyToOneDescriptor.__get__


class _ForwardOneToOne(_Gated, auto_prefetch.ForwardOneToOneDescriptor):
    _django_get = related_descriptors.ForwardOneToOneDescriptor.__get__


class _ReverseOneToOne(_Gated, auto_prefetch.ReverseOneToOneDescriptor):
    _django_get = related_descriptors.ReverseOneToOneDescriptor.__get__


def _batch(model: type[models.Model], field: Any) -> None:
    if isinstance(field, models.OneToOneField):
        setattr(model, field.name, _ForwardOneToOne(field))
        related = field.remote_field
        accessor = related.get_accessor_name()
        if accessor:
            setattr(related.model, accessor, _ReverseOneToOne(related))
    elif isinstance(field, models.ForeignKey):
        setattr(model, field.name, _ForwardManyToOne(field))
