"""Requests at the same time, each a thread with its own database connection, and the hold that
makes a race certain instead of likely: every thread waits at a model signal (between its read
and its write) until all have reached it, once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import ModelSignal


def in_parallel(requests: list[Callable[[], Any]]) -> list[Any]:
    """Run each callable in a thread of its own (its own connection), all at once; their
    results, in order."""

    def run(request: Callable[[], Any]) -> Any:
        try:
            return request()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return [future.result(timeout=60) for future in [pool.submit(run, r) for r in requests]]


@contextmanager
def everyone_reads_before_anyone_writes(
    signal: ModelSignal, parties: int, *, model: type[Model]
) -> Iterator[None]:
    """Hold each thread at `signal` for `model` until all `parties` have reached it, once."""
    barrier = threading.Barrier(parties, timeout=20)
    seen = threading.local()

    def hold(sender: Any, **kwargs: Any) -> None:
        if not getattr(seen, "held", False):
            seen.held = True
            barrier.wait()

    signal.connect(hold, sender=model, weak=False)
    try:
        yield
    finally:
        signal.disconnect(hold, sender=model)
