"""The measuring engine's rounds and clocks: each round starts one tier further on, every timed
pass reads wall and CPU time, and on PostgreSQL and Redis the servers' CPU is read too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from querylab.clocks import Clock, ServerProcesses, quartiles
from querylab.measure import Instrument, measure_tiers


@dataclass(frozen=True)
class Answer:
    status_code: int = 200
    n: int = 1
    rows: list[Any] = field(default_factory=list)


def test_rounds_rotate_and_every_pass_is_timed_on_both_clocks() -> None:
    order: list[str] = []

    def tier(name: str) -> Any:
        def run(instrument: Instrument[Answer]) -> Any:
            def request(keep_body: bool) -> Answer:
                order.append(name)
                sum(range(20_000))  # something for the CPU clock to see
                return Answer()

            return instrument(request)

        return run

    results = measure_tiers(
        {name: tier(name) for name in "abc"}, repeat=3, memory=False, warm_up=False
    )

    timed = order[3:]  # after the count pass
    assert timed == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    for result in results.values():
        assert len(result.passes) == 3
        assert all(p.wall_ms > 0 and p.cpu_ms > 0 for p in result.passes)


def test_quartiles_stay_within_what_was_measured() -> None:
    assert quartiles([4.0]) == (4.0, 4.0, 4.0)
    assert quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (2.0, 3.0, 4.0)


@pytest.mark.django_db
def test_the_servers_cpu_is_read_where_they_run_here() -> None:
    servers = ServerProcesses.find()
    clock = Clock(servers)

    def work() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM generate_series(1, 200000)")
        cache.set("clocks", b"x" * 100_000)
        cache.get("clocks")

    if connection.vendor != "postgresql":
        assert servers.postmaster is None  # SQLite runs in this process: its CPU is ours
        if servers.redis is None:
            # Nothing to read: no figure, and no guess.
            assert clock.time(lambda: cache.get("clocks")).server_ms is None
        return
    assert servers.postmaster is not None
    assert servers.redis is not None
    timed = clock.time(work)
    assert timed.server_ms is not None
    assert timed.server_ms > 1.0  # the count ran in the server's backend, not here
