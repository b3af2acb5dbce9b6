"""What was fetched and never used: relations loaded eagerly and never read, columns never read.

The opposite of an N+1, and as common once a team has learned `select_related`: a queryset that
joins and prefetches everything "just in case", or fetches every column of a row to show its
title. `record_waste()` records, for the rows querysets fetch inside the block:

- each relation loaded eagerly (joined by `select_related`, fetched by `prefetch_related`, or
  into a `Prefetch(to_attr=...)` list) and whether the code then read it;
- each column fetched, its size, and whether the code read it.

Column reads are seen by moving each fetched value out of the instance's `__dict__` into a side
store: Django then asks the field's descriptor for it (the path a deferred field takes), which
records the read and puts the value back, so each field costs one extra step on its first read
only. Recording changes nothing the code can see, and is opt-in: the lab's waste pass, and tests
that assert there is none (`assert_no_waste()`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, SupportsIndex, overload

from django.db.models import Model, Prefetch

__all__ = ["WasteError", "WasteReport", "assert_no_waste", "record_waste", "text_size"]

Eager = Literal["joined", "prefetched"]
_SIDE = "_querycheck_unread"


class WasteError(AssertionError):
    """Something was fetched and never used."""


@dataclass
class _Loaded:
    rows: int = 0
    read: int = 0
    bytes: int = 0


@dataclass
class WasteReport:
    """Per relation and per column (`Post.tags`, `Post.body`), on how many rows it was loaded,
    how many of them read it, and (for columns) how many bytes of text were fetched."""

    relations: dict[tuple[str, Eager], _Loaded] = field(
        default_factory=lambda: defaultdict(_Loaded)
    )
    columns: dict[str, _Loaded] = field(default_factory=lambda: defaultdict(_Loaded))

    def unused_relations(self) -> list[tuple[str, Eager, int]]:
        """(relation, how it was loaded, on how many rows) for those no row's code read."""
        return [(name, how, n.rows) for (name, how), n in self.relations.items() if not n.read]

    def unused_columns(self) -> list[tuple[str, int, int]]:
        """(column, rows, bytes) for the columns fetched and never read, largest first."""
        unused = [(name, n.rows, n.bytes) for name, n in self.columns.items() if not n.read]
        return sorted(unused, key=lambda item: -item[2])

    def lines(self, *, min_bytes: int = 0) -> list[str]:
        lines = [
            f"{how} {name} on {rows} row{'s' if rows != 1 else ''}, never read"
            for name, how, rows in self.unused_relations()
        ]
        lines += [
            f"fetched {name} on {rows} row{'s' if rows != 1 else ''} ({size:,} bytes), never read"
            for name, rows, size in self.unused_columns()
            if size >= min_bytes
        ]
        return lines


_recording: ContextVar[WasteReport | None] = ContextVar("querycheck_waste", default=None)


@contextmanager
def record_waste() -> Iterator[WasteReport]:
    """Record what the querysets evaluated inside the block fetch, and what the code reads."""
    report = WasteReport()
    token = _recording.set(report)
    try:
        yield report
    finally:
        _recording.reset(token)


@contextmanager
def assert_no_waste(
    *, relations: bool = True, columns: bool = True, min_bytes: int = 0
) -> Iterator[WasteReport]:
    """Fail when the block loads a relation it never reads (`relations`) or fetches a column
    of at least `min_bytes` bytes in all that it never reads (`columns`)."""
    with record_waste() as report:
        yield report
    found = [line for line in report.lines(min_bytes=min_bytes) if _kept(line, relations, columns)]
    if found:
        raise WasteError("Fetched and never used:\n" + "\n".join(f"  {line}" for line in found))


def _kept(line: str, relations: bool, columns: bool) -> bool:
    return columns if line.startswith("fetched ") else relations


# --- called by querycheck.relations' hooks -----------------------------------------------------


def recording() -> bool:
    return _recording.get() is not None


def fetched(rows: Iterable[Any], select_related: Any, prefetches: Iterable[Any]) -> None:
    """Rows a queryset fetched: track their columns, what it joined and what it prefetched."""
    report = _recording.get()
    if report is None:
        return
    for row in rows:
        if isinstance(row, Model):
            _track(report, row, select_related)
            _track_prefetched(report, row, prefetches)


def relation_read(instance: Model, name: str, *, column: str | None = None) -> None:
    """The code read `instance.name`, a relation (possibly one loaded eagerly); following a
    foreign key reads its `column` too."""
    report = _recording.get()
    if report is None:
        return
    if column is not None:
        column_value(instance, column, name)
    reads = instance.__dict__.setdefault(_READ, set())
    if name in reads:
        return
    reads.add(name)
    for how in ("joined", "prefetched"):
        key = (f"{type(instance).__name__}.{name}", how)
        if key in report.relations and name in instance.__dict__.get(_EAGER, ()):
            report.relations[key].read += 1


def column_value(instance: Model, attname: str, name: str) -> tuple[bool, Any]:
    """For a field missing from `__dict__`: its value from the side store, recorded as read and
    put back, if recording moved it there; `(False, None)` when it was not fetched at all."""
    side = instance.__dict__.get(_SIDE)
    if not side or attname not in side:
        return False, None
    value = side.pop(attname)
    instance.__dict__[attname] = value
    report = _recording.get()
    key = f"{type(instance).__name__}.{name}"
    if report is not None and key in report.columns:
        report.columns[key].read += 1
    return True, value


def counting_aside_as_loaded(original: Callable[[Model], set[str]]) -> Callable[[Model], set[str]]:
    """Model.get_deferred_fields, with the fields moved aside counted as loaded: they are, and
    Django decides what to refresh or save from this set."""

    def get_deferred_fields(self: Model) -> set[str]:
        deferred = original(self)
        side = self.__dict__.get(_SIDE)
        return deferred - side.keys() if side else deferred

    return get_deferred_fields


_READ = "_querycheck_read"
_EAGER = "_querycheck_eager"


def _track(report: WasteReport, row: Model, select_related: Any) -> None:
    if _SIDE in row.__dict__:
        return  # already tracked (a row reached twice)
    model = type(row).__name__
    side: dict[str, Any] = {}
    for model_field in row._meta.concrete_fields:
        attname = model_field.attname
        # The primary key is always fetched (it is the row's identity): not waste.
        if attname in row.__dict__ and not model_field.primary_key:
            side[attname] = row.__dict__.pop(attname)
            loaded = report.columns[f"{model}.{model_field.name}"]
            loaded.rows += 1
            loaded.bytes += text_size(side[attname])
    row.__dict__[_SIDE] = side
    cache = row._state.fields_cache
    joined = cache if select_related is True else (select_related or {})
    for name in joined:
        if name not in cache:
            continue
        row.__dict__.setdefault(_EAGER, set()).add(name)
        report.relations[(f"{model}.{name}", "joined")].rows += 1
        related = cache[name]
        if isinstance(related, Model):
            _track(report, related, True if select_related is True else joined[name])


def _track_prefetched(report: WasteReport, row: Model, prefetches: Iterable[Any]) -> None:
    model = type(row).__name__
    for lookup in prefetches:
        path = lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
        name = path.split("__", 1)[0]
        to_attr = lookup.to_attr if isinstance(lookup, Prefetch) and "__" not in path else None
        if to_attr and to_attr in row.__dict__:
            if not isinstance(row.__dict__[to_attr], _ReadList):
                row.__dict__[to_attr] = _ReadList(row.__dict__[to_attr], row, to_attr)
            name = to_attr
        elif name not in getattr(row, "_prefetched_objects_cache", {}):
            continue
        if name in row.__dict__.get(_EAGER, ()):
            continue
        row.__dict__.setdefault(_EAGER, set()).add(name)
        report.relations[(f"{model}.{name}", "prefetched")].rows += 1


class _ReadList(list[Any]):
    """A `Prefetch(to_attr=...)` list that records the first time the code reads it."""

    def __init__(self, items: Iterable[Any], owner: Model, name: str) -> None:
        super().__init__(items)
        self._owner, self._name = owner, name

    def _read(self) -> None:
        relation_read(self._owner, self._name)

    def __iter__(self) -> Iterator[Any]:
        self._read()
        return super().__iter__()

    def __len__(self) -> int:
        self._read()
        return super().__len__()

    def __bool__(self) -> bool:
        self._read()
        return super().__len__() > 0

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        self._read()
        return super().__getitem__(index)


def text_size(value: Any) -> int:
    """Roughly how many bytes a column value takes: its text's length (an ISO date for a date)."""
    if value is None:
        return 0
    if isinstance(value, datetime | date):
        return len(value.isoformat())
    return len(str(value).encode())
