"""Data of any size for any case (`querylab.datasets`), as a fixture."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from querylab.datasets import build_data
from querylab.registry import Scale


@pytest.fixture
def data_of(db: None) -> Callable[[Scale, int], None]:
    return build_data
