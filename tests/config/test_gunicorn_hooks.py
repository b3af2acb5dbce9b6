"""config/gunicorn.py's worker hook: once a worker has started, what it holds is frozen out of
the garbage collector's collections (gc.freeze) and the young generation widened
(core/worker_gc.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from config import gunicorn
from core.worker_gc import THRESHOLDS


@pytest.fixture
def unfrozen() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("unfrozen")
def test_a_started_worker_freezes_what_it_holds() -> None:
    held = [object() for _ in range(1000)]
    assert gc.get_freeze_count() == 0

    gunicorn.post_worker_init(worker=None)

    assert gc.get_freeze_count() >= len(held)
    assert gc.get_threshold() == THRESHOLDS
    assert THRESHOLDS[0] > 700  # CPython's default young generation
