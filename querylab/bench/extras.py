"""Figures beside the request timings: the serializer alone, and an export's peak memory.

- The serializer comparison takes the same model instances (the optimized post list, loaded once)
  through DRF (`ModelSerializer` + `JSONRenderer`) and through Pydantic (`TypeAdapter`
  validate + `dump_json`), with no database and no request around them.
- The export's peak memory is measured in a process of its own per variant
  (`manage.py bench_export_memory`), so one variant's garbage and the interpreter's high-water
  mark never count against the other.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from rest_framework.renderers import JSONRenderer

from blog.drf_serializers import NestedPostSerializer
from blog.schemas import POST_LIST_ITEMS, STATS
from blog.selectors import post_list_optimized
from blog.stats import stats_cached_json, stats_optimized

from .run import fresh_data

EXPORT_VARIANTS = ("list", "streaming")


def serializer_comparison(rows: int, *, repeat: int) -> dict[str, Any]:
    """Median milliseconds to turn `rows` posts into JSON bytes, DRF against Pydantic."""
    fresh_data("posts", rows)
    posts = list(post_list_optimized(limit=rows))

    def drf() -> bytes:
        rendered: bytes = JSONRenderer().render(NestedPostSerializer(posts, many=True).data)
        return rendered

    def pydantic() -> bytes:
        return POST_LIST_ITEMS.dump_json(
            POST_LIST_ITEMS.validate_python(posts, from_attributes=True)
        )

    timings = _interleaved({"drf": drf, "pydantic": pydantic}, repeat=repeat)
    return {
        "rows": len(posts),
        "drf_ms": timings["drf"],
        "pydantic_ms": timings["pydantic"],
        "same_output": json.loads(drf()) == json.loads(pydantic()),
    }


def stats_comparison(posts: int, *, repeat: int) -> dict[str, Any]:
    """Median milliseconds for the stats body: computed by the optimized queries, against a warm
    cache hit, called directly (the HTTP figures are in the run's samples)."""
    fresh_data("posts", posts)

    def computed() -> bytes:
        return STATS.dump_json(stats_optimized())

    stats_cached_json()  # warm
    timings = _interleaved({"computed": computed, "cached": stats_cached_json}, repeat=repeat)
    return {
        "posts": posts,
        "computed_ms": timings["computed"],
        "cached_ms": timings["cached"],
        "same_output": json.loads(computed()) == json.loads(stats_cached_json()),
    }


def _interleaved(runs: dict[str, Callable[[], bytes]], *, repeat: int) -> dict[str, float]:
    """Median milliseconds of each callable, run in turn; short runs get more repeats to steady
    the median."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(max(repeat, 5) * 4):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in timings.items()}


def export_memory(rows: int) -> dict[str, Any]:
    """Peak memory of the list-building and the streaming export of `rows` posts, each in a
    child process with a database of its own."""
    results: dict[str, Any] = {"rows": rows}
    for variant in EXPORT_VARIANTS:
        child = subprocess.run(  # noqa: S603 - this project's manage.py, fixed arguments
            [
                sys.executable,
                "manage.py",
                "bench_export_memory",
                f"--variant={variant}",
                f"--rows={rows}",
            ],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": os.environ.get(
                    "DJANGO_SETTINGS_MODULE", "config.settings.local"
                ),
            },
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if child.returncode != 0:
            raise RuntimeError(f"bench_export_memory --variant={variant} failed:\n{child.stderr}")
        results[variant] = json.loads(child.stdout.strip().splitlines()[-1])
    return results
