"""Where a request's time went: the wall clock, this process's CPU, and the CPU of the database's
and the cache's server processes.

Wall time on a shared machine moves with whatever else runs; CPU time moves far less, so the
bench reports both. The servers' CPU is read from `/proc/<pid>/schedstat` (nanoseconds on the
CPU, kept by the scheduler) for PostgreSQL's postmaster and every process it started (the
backend serving this connection, or a pool's backends, and its background workers), and for
Redis's server process (`INFO server`'s `process_id`). That works when the servers run on this
machine, as `scripts/with-services.sh` starts them; elsewhere (or on SQLite, which runs inside
this process and is counted in its CPU) the servers' column is absent, never guessed.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import connection

PROC = Path("/proc")


@dataclass(frozen=True)
class Reading:
    cpu_ns: int  # this process, every thread
    servers_ns: dict[int, int] = field(default_factory=dict)  # pid -> ns on the CPU


@dataclass(frozen=True)
class Pass:
    """One timed request."""

    wall_ms: float
    cpu_ms: float  # this process
    server_ms: float | None  # the database's and cache's server processes, when readable


def on_cpu_ns(pid: int) -> int | None:
    """Nanoseconds process `pid` has spent on a CPU (its threads included), or None if gone."""
    try:
        return int((PROC / str(pid) / "schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _parent(pid: int) -> int | None:
    try:
        # The command name is in parentheses and may hold spaces: split after its last ")".
        return int((PROC / str(pid) / "stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.scandir(PROC):
        if entry.name.isdigit() and _parent(int(entry.name)) == parent:
            found.append(int(entry.name))
    return found


class ServerProcesses:
    """The local PostgreSQL and Redis server processes behind this process's connections."""

    def __init__(self, postmaster: int | None, redis: int | None) -> None:
        self.postmaster = postmaster
        self.redis = redis

    @classmethod
    def find(cls) -> ServerProcesses:
        return cls(_postmaster(), _redis_server())

    @property
    def readable(self) -> bool:
        return self.postmaster is not None or self.redis is not None

    def pids(self) -> list[int]:
        # Looked up afresh each time: a pool opens and closes backends as it goes.
        pids = []
        if self.postmaster is not None:
            pids += [self.postmaster, *_children(self.postmaster)]
        if self.redis is not None:
            pids.append(self.redis)
        return pids


def _postmaster() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    if on_cpu_ns(backend) is None:  # the server runs elsewhere
        return None
    return _parent(backend)


def redis_client() -> Any | None:
    """The Redis client behind the default cache (django-redis), or None for another cache."""
    client_of: Callable[..., Any] | None = getattr(
        getattr(cache, "client", None), "get_client", None
    )
    return None if client_of is None else client_of(write=False)


def _redis_server() -> int | None:
    client = redis_client()
    if client is None:  # not django-redis
        return None
    try:
        pid = int(client.info("server")["process_id"])
    except Exception:  # no Redis, or one that does not say: no figure
        return None
    return pid if on_cpu_ns(pid) is not None else None


class Clock:
    """Reads the CPU clocks around a timed request."""

    def __init__(self, servers: ServerProcesses | None = None) -> None:
        self.servers = servers

    def read(self) -> Reading:
        servers = {}
        if self.servers is not None:
            for pid in self.servers.pids():
                spent = on_cpu_ns(pid)
                if spent is not None:
                    servers[pid] = spent
        return Reading(cpu_ns=time.process_time_ns(), servers_ns=servers)

    def time(self, run: Callable[[], Any]) -> Pass:
        before = self.read()
        started = time.perf_counter_ns()
        cpu_started = time.process_time_ns()
        run()
        wall = time.perf_counter_ns() - started
        cpu = time.process_time_ns() - cpu_started
        after = self.read()
        server = (
            _server_delta(before.servers_ns, after.servers_ns)
            if self.servers is not None and self.servers.readable
            else None
        )
        return Pass(wall_ms=wall / 1e6, cpu_ms=cpu / 1e6, server_ms=server)


def _server_delta(before: dict[int, int], after: dict[int, int]) -> float:
    """Milliseconds the servers spent between two readings: a process seen in both counts its
    difference, one started in between all of its time."""
    spent = sum(ns - before.get(pid, 0) for pid, ns in after.items())
    return max(spent, 0) / 1e6


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    """The lower quartile, the median and the upper quartile (inclusive method: with a few
    values, the quartiles stay within what was measured)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    if len(ordered) == 1:
        return ordered[0], ordered[0], ordered[0]
    low, median, high = statistics.quantiles(ordered, n=4, method="inclusive")
    return low, median, high
