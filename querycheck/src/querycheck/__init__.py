"""querycheck: query assertions for Django tests.

Capture on every thread and connection (async tests included), an N+1 guard that names the line
of your code behind the repeated query, counts that must not grow with the data, and a pytest
plugin for all of it. Depends on Django and pytest only. See README.md.
"""

from __future__ import annotations

from .capture import CapturedQueries, CapturedQuery, capture_queries, configure
from .relations import Fix, LazyLoad, LazyLoadError, applying, install, strict_loading
from .testing import (
    NPlusOneError,
    QueryCountChangedError,
    QueryCountError,
    assert_constant_queries,
    assert_num_queries,
    no_n_plus_one,
    print_queries,
)
from .waste import WasteError, WasteReport, assert_no_waste, record_waste

# Django's lazy loads are hooked once, on import: a relation manager class Django built before
# would not be tracked (install() also forgets those it finds).
install()

__all__ = [
    "CapturedQueries",
    "CapturedQuery",
    "Fix",
    "LazyLoad",
    "LazyLoadError",
    "NPlusOneError",
    "QueryCountChangedError",
    "QueryCountError",
    "WasteError",
    "WasteReport",
    "applying",
    "assert_constant_queries",
    "assert_no_waste",
    "assert_num_queries",
    "capture_queries",
    "configure",
    "no_n_plus_one",
    "print_queries",
    "record_waste",
    "strict_loading",
]
