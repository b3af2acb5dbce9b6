"""Figures beside the request timings: the serializer alone, an export's peak memory, and the
feed's bytes on the wire, compressed or not, and revalidated.

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
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import brotli
from django.conf import settings
from django.db import connection
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils.text import compress_string
from rest_framework.renderers import JSONRenderer

from blog.drf_serializers import NestedPostSerializer
from blog.schemas import POST_LIST_ITEMS, STATS
from blog.selectors import post_list_optimized
from blog.stats import stats_cached_json, stats_optimized
from core.compression import BROTLI_QUALITY
from core.params import raised_limit_cap
from core.postgresql.pool import pool_options

from ..clocks import redis_client
from ..latency_proxy import database_latency, measured_round_trip_ms
from ..registry import CASES, PageTarget
from .profiles import profile_requests
from .run import bench_limit_cap, fresh_data
from .wsgi import WsgiClient

EXPORT_VARIANTS = ("list", "streaming")


def serializer_comparison(sizes: list[int], *, repeat: int) -> dict[str, Any]:
    """Per size, the same loaded posts turned into JSON bytes by DRF and by Pydantic, timed in
    CPU time (this process: no database, no cache), rounds in rotated order."""
    results = []
    for rows in sizes:
        fresh_data("posts", rows)
        posts = list(post_list_optimized(limit=rows))

        def drf(posts: list[Any] = posts) -> bytes:
            serialized = NestedPostSerializer(posts, many=True).data
            rendered: bytes = JSONRenderer().render(serialized)
            return rendered

        def pydantic(posts: list[Any] = posts) -> bytes:
            return POST_LIST_ITEMS.dump_json(
                POST_LIST_ITEMS.validate_python(posts, from_attributes=True)
            )

        rounds = _rounds({"drf": drf, "pydantic": pydantic}, repeat=repeat)
        results.append(
            {
                "rows": len(posts),
                "drf_cpu_ms": rounds["drf"],
                "pydantic_cpu_ms": rounds["pydantic"],
                "same_output": json.loads(drf()) == json.loads(pydantic()),
            }
        )
    return {"sizes": results}


def stats_comparison(posts: int, *, repeat: int) -> dict[str, Any]:
    """The stats body computed by the optimized queries against a warm cache hit, called
    directly (the HTTP figures are in the run's samples); wall time, round by round."""
    fresh_data("posts", posts)

    def computed() -> bytes:
        return STATS.dump_json(stats_optimized())

    stats_cached_json()  # warm
    runs: dict[str, Callable[[], Any]] = {"computed": computed, "cached": stats_cached_json}
    ping = _round_trip()
    if ping is not None:
        runs["round trip"] = ping
    rounds = _rounds(runs, repeat=repeat, wall=True)
    return {
        "posts": posts,
        "computed_ms": rounds["computed"],
        "cached_ms": rounds["cached"],
        # The floor of a hit on Redis: one PING through the same client, nothing read.
        "round_trip_ms": rounds.get("round trip", []),
        "same_output": json.loads(computed()) == json.loads(stats_cached_json()),
    }


def _round_trip() -> Callable[[], Any] | None:
    """A bare round trip to the cache's server (django-redis), or None for a cache in process."""
    client = redis_client()
    if client is None:
        return None
    ping: Callable[[], Any] = client.ping
    return ping


def _rounds(
    runs: dict[str, Callable[[], Any]], *, repeat: int, wall: bool = False
) -> dict[str, list[float]]:
    """Milliseconds of each callable (CPU time, or wall time with `wall`), one call of each a
    round, rounds in rotated order. A call is short: each round repeats it until a millisecond
    has passed, and reports the mean, so the clocks' resolution never shows."""
    clock = time.perf_counter_ns if wall else time.process_time_ns
    names = list(runs)
    for run in runs.values():
        run()  # warm
    timings: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(max(repeat, 15)):
        start = round_ % len(names)
        for name in names[start:] + names[:start]:
            calls, started = 0, clock()
            while True:
                runs[name]()
                calls += 1
                spent = clock() - started
                if spent >= 1_000_000:
                    break
            timings[name].append(round(spent / calls / 1e6, 5))
    return timings


def connection_comparison(repeat: int) -> dict[str, Any]:
    """The optimized feed and list at 100 rows through the handler, on persistent connections
    (the bench's, `CONN_MAX_AGE`) against the production settings' psycopg pool, which checks a
    connection before lending it (`CONN_HEALTH_CHECKS`: one more round trip a request). Rounds
    alternate the two, each request after a warm one on its own configuration."""
    if connection.vendor != "postgresql":
        return {}
    results: dict[str, Any] = {"rows": 100}
    client = WsgiClient()
    with raised_limit_cap(100):
        for slug in ("post-feed", "post-list"):
            case = next(case for case in CASES if case.slug == slug)
            fresh_data(case.scale, 100)
            url = case.url("api", "optimized", PageTarget(), limit=100)
            timings: dict[str, list[float]] = {"persistent": [], "pool": []}
            for round_ in range(max(repeat, 15)):
                order = ["persistent", "pool"][round_ % 2 :] + ["persistent", "pool"][: round_ % 2]
                for config in order:
                    with connections_as(config):
                        client.get(url)  # the connection made or lent, outside the timing
                        started = time.perf_counter_ns()
                        status, _ = client.get(url, keep_body=False)
                        timings[config].append(round((time.perf_counter_ns() - started) / 1e6, 4))
                    if status != 200:
                        raise RuntimeError(f"{url} answered {status} with the {config} connection")
            results[slug] = timings
    return results


@contextmanager
def connections_as(config: str) -> Iterator[None]:
    """The default connection as the bench keeps it ("persistent") or as production does
    ("pool": psycopg's pool, health-checked, config/env.py's sizes), closed on the way out."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")}
    connection.close()
    if config == "pool":
        # As config/env.py configures a pooled database: no CONN_MAX_AGE, health checks on.
        settings_dict["OPTIONS"] = {**saved["OPTIONS"], "pool": pool_options()}
        settings_dict["CONN_MAX_AGE"] = 0
        settings_dict["CONN_HEALTH_CHECKS"] = True
    try:
        yield
    finally:
        connection.close()
        if config == "pool":
            connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's wrapper
        settings_dict.update(saved)


# The main read cases, each a different shape of N+1: a page of cards, a plain list, one row
# with its children.
LATENCY_CASES = ("post-feed", "post-list", "post-detail")


def latency_comparison(latencies: list[float], *, rows: int, repeat: int) -> dict[str, Any]:
    """Naive and optimized JSON endpoints of the main read cases at `rows` rows, with the
    database directly on loopback (latency 0) and through the latency proxy at each other
    latency (querylab.latency_proxy), on persistent connections, in rotated rounds."""
    if connection.vendor != "postgresql":
        return {}
    client = WsgiClient()
    results: dict[str, Any] = {"rows": rows, "cases": {}}
    with raised_limit_cap(rows):
        for slug in LATENCY_CASES:
            case = next(case for case in CASES if case.slug == slug)
            fresh_data(case.scale, rows)
            target = case.target(rows)
            runs = {
                variant: _getter(client, case.url("api", variant, target, limit=rows))
                for variant in ("naive", "optimized")
            }
            measured = []
            for latency in latencies:
                with _through(latency) as round_trip:
                    timings = _rounds(runs, repeat=repeat, wall=True)
                measured.append({"set_ms": latency, "round_trip_ms": round_trip, **timings})
            results["cases"][slug] = measured
    return results


@contextmanager
def _through(latency: float) -> Iterator[float]:
    """The database as it is (latency 0), or through the proxy; the round trip measured."""
    if latency == 0:
        yield measured_round_trip_ms()
        return
    with database_latency(latency) as round_trip:
        yield round_trip


def _getter(client: WsgiClient, url: str, *, status: int = 200) -> Callable[[], Any]:
    def get() -> None:
        answered, _ = client.get(url, keep_body=False)
        if answered != status:
            raise RuntimeError(f"{url} answered {answered}")

    return get


def feed_profiles(rows: int = 100) -> dict[str, Any]:
    """The optimized feed's page and JSON at `rows` rows, profiled (querylab.bench.profiles)."""
    case = next(case for case in CASES if case.slug == "post-feed")
    fresh_data(case.scale, rows)
    with raised_limit_cap(rows):
        return {
            f"{surface} ({'HTML' if surface == 'page' else 'JSON'})": profile_requests(
                case.url(surface, "optimized", PageTarget(), limit=rows)
            )
            for surface in ("page", "api")
        }


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


# What a client's Accept-Encoding asks for, by the name the page gives it.
CODINGS = {"identity": "identity", "gzip": "gzip", "br": "gzip, deflate, br"}


def compression_comparison(sizes: list[int], *, repeat: int) -> dict[str, Any]:
    """The optimized feed's JSON at each size through the handler (and core.compression): per
    coding, the bytes on the wire (body and headers) and this process's CPU for the whole
    request; the compressor's CPU alone on the same body; and a client that holds the feed
    asking again with its ETag (the 304). Rotated rounds, CPU time."""
    feed = next(case for case in CASES if case.slug == "post-feed")
    results: dict[str, Any] = {"sizes": {}}
    for size in sizes:
        fresh_data(feed.scale, size)
        rows = min(size, bench_limit_cap([size]))
        with raised_limit_cap(rows):
            url = feed.url("api", "optimized", PageTarget(), limit=rows)
            results["sizes"][str(size)] = {"rows": rows, **_compression_at(url, rows, repeat)}
    return results


def _compression_at(url: str, rows: int, repeat: int) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    runs: dict[str, Callable[[], Any]] = {}
    body = b""
    for name, accept in CODINGS.items():
        client = WsgiClient(headers={"Accept-Encoding": accept})
        status, sent = client.get(url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        body = sent if name == "identity" else body
        wire[name] = {"body": len(sent), "headers": client.header_bytes()}
        runs[name] = _getter(client, url)
    revalidate = reverse("api:conditional-get-optimized") + f"?limit={rows}"
    holder = WsgiClient(headers={"Accept-Encoding": CODINGS["br"]})
    holder.get(revalidate)
    holder.headers["If-None-Match"] = holder.header("ETag") or ""
    if holder.get(revalidate)[0] != 304:
        raise RuntimeError(f"{revalidate} did not answer 304 to its own ETag")
    wire["304"] = {"body": 0, "headers": holder.header_bytes()}
    runs["304"] = _getter(holder, revalidate, status=304)
    compressors: dict[str, Callable[[], Any]] = {
        "gzip": partial(compress_string, body, max_random_bytes=GZipMiddleware.max_random_bytes),
        "br": partial(brotli.compress, body, quality=BROTLI_QUALITY),
    }
    return {
        "wire": wire,
        "request_cpu_ms": _rounds(runs, repeat=repeat),
        "compress_cpu_ms": _rounds(compressors, repeat=repeat),
    }
