"""config/gunicorn.py's worker hook: once a worker has started, what it holds is frozen out of
the garbage collector's full collections (gc.freeze), and what it makes later is not."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from config import gunicorn


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
def test_a_started_worker_freezes_what_it_holds() -> None:
    held = [object() for _ in range(1000)]
    assert gc.get_freeze_count() == 0

    gunicorn.post_worker_init(worker=None)

    assert gc.get_freeze_count() >= len(held)
