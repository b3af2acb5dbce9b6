"""Where a request's time goes: cProfile over repeated requests, its own time grouped by where
the code lives (Django's ORM, its templates, psycopg, Pydantic, ...), as shares of the total.

Profiling slows Python code more than C code, so the shares lean towards Python; they say where
to look, not how many milliseconds a change would save (the bench's rounds say that).
"""

from __future__ import annotations

import cProfile
import pstats
from collections import Counter
from typing import Any

from .wsgi import WsgiClient

# First match wins: (what the code is, a piece of its file's path or of the function's name).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Django templates and their filters",
        (
            "django/template/",
            "django/utils/html",
            "django/utils/safestring",
            "django/utils/text",  # truncatechars
            "django/utils/dateformat",
            "django/utils/formats",
            "django/utils/timezone",
            "django/utils/translation",  # the date filter's month names, pluralize
            "django/utils/functional",  # lazy translations
            "asgiref/local",  # the active translation, per thread
            "gettext",
            "html/__init__",
            "unicodedata",
        ),
    ),
    ("URL reversing", ("django/urls/",)),
    ("SQL compilation", ("django/db/models/sql/", "django/db/models/expressions", "lookups")),
    ("model instances", ("django/db/models/base.py", "django/db/models/fields/")),
    ("query iteration and prefetching", ("django/db/models/query.py",)),
    ("timestamp decoding", ("datetime.py", "psycopg_any.py")),
    (
        "the database driver",
        ("psycopg", "sqlite3", "SQLiteCursorWrapper", "django/db/backends/", "django/db/utils"),
    ),
    ("Pydantic", ("pydantic", "validate_python", "to_json", "dump_json")),
    ("DRF and middleware", ("rest_framework/", "django/core/handlers/", "middleware")),
    ("the project's code", ("/blog/", "/core/", "/users/")),
)


def _group(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    for group, needles in GROUPS:
        if any(needle in where for needle in needles):
            return group
    return "other"


def profile_requests(url: str, *, requests: int = 20) -> dict[str, Any]:
    """Request `url` `requests` times under cProfile (after one warm request); the shares of the
    profiled time by group, largest first."""
    client = WsgiClient()
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url, keep_body=False)
    profiler.disable()
    stats = pstats.Stats(profiler)
    own: Counter[str] = Counter()
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        own[_group(filename, function)] += row[2]  # tottime: the function's own time
    total = sum(own.values()) or 1.0
    return {
        "url": url,
        "requests": requests,
        "groups": [(group, seconds / total) for group, seconds in own.most_common()],
    }
