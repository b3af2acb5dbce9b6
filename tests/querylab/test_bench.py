"""The bench: requests through the WSGI handler, counts that match the registry's formulas, a
report computed from the run, and the command end to end on a database of its own."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import QueryDict

from core.params import MAX_LIMIT, InvalidParameterError, LimitQuery, raised_limit_cap
from querylab.bench.figures import ratio, targets
from querylab.bench.latency import latency_chart
from querylab.bench.report import (
    README_END,
    README_START,
    markdown_page,
    readme_block,
    replace_readme_block,
    terminal_table,
    time_chart,
)
from querylab.bench.run import BenchRun, Sample, production_like, run_bench, selected_cases
from querylab.bench.wsgi import WsgiClient
from querylab.registry import CASES, CASES_BY_SLUG
from tests.subprocesses import run_python

PROJECT_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
@pytest.mark.usefixtures("connection_kept_across_requests")
def test_requests_go_through_the_middleware_with_debug_off() -> None:
    with production_like():
        status, body = WsgiClient().get("/api/v1/posts/?limit=2")
        missing, _ = WsgiClient().get("/no-such-page/")

        assert settings.DEBUG is False
    assert status == 200
    assert json.loads(body) == {"results": [], "next": None, "previous": None}
    assert missing == 404


@pytest.mark.django_db
@pytest.mark.usefixtures("connection_kept_across_requests")
def test_run_counts_as_the_registry_says_and_keeps_optimized_flat() -> None:
    cases = selected_cases(["post-list", "stats"])

    with production_like():
        run = run_bench(cases, [2, 4], repeat=1)

    assert run.samples
    post_list = CASES_BY_SLUG["post-list"]
    for found in run.samples:
        assert found.status == 200, found
        assert found.min_ms <= found.median_ms <= found.max_ms
        if found.case == "post-list":
            assert found.rows == found.size
            assert found.queries == post_list.tier_formula(found.tier).at(found.size)
    tiers = {(s.case, s.tier, s.surface) for s in run.samples}
    assert ("post-list", "auto", "page") in tiers  # the naive code, batched
    assert ("stats", "cached", "api") in tiers
    cached = [s for s in run.samples if s.tier == "cached"]
    assert {s.queries for s in cached} == {0}  # a warm hit


def test_no_case_named_means_every_case() -> None:
    nothing_named = (slug for slug in "" if slug)  # what `--cases ""` gives: an empty iterable

    assert selected_cases(nothing_named) == list(CASES)


def test_unknown_cases_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown case: nope"):
        selected_cases(["post-list", "nope"])


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--sizes", "10,ten", "--sizes takes whole numbers separated by commas"),
        ("--sizes", "0,10", "--sizes needs at least one, each 1 or more"),
        ("--latencies", "-1", "--latencies needs at least one, each 0 or more"),
        ("--latencies", "nan", "--latencies needs at least one"),
        ("--latencies", "1ms", "--latencies takes milliseconds separated by commas"),
    ],
)
def test_bad_numbers_are_refused_before_anything_runs(
    option: str, value: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("bench", option, value, "--cases", "post-list")


def sample(
    case: str,
    tier: str,
    size: int,
    ms: float,
    queries: int = 1,
    *,
    rounds: tuple[float, ...] = (1.0, 1.0, 1.0),
    surface: str = "api",
) -> Sample:
    """A sample whose rounds are `ms` times each of `rounds`."""
    return Sample(
        case=case,
        tier=tier,
        surface=surface,
        size=size,
        url="/",
        status=200,
        queries=queries,
        rows=size,
        median_ms=ms,
        min_ms=ms,
        max_ms=ms,
        wall_ms=tuple(ms * factor for factor in rounds),
        cpu_ms=tuple(0.5 * ms * factor for factor in rounds),
    )


@pytest.fixture
def made_up_run() -> BenchRun:
    """A run with made-up figures, to test the report's arithmetic, not the project."""
    samples = []
    for size in (10, 100):
        samples += [
            sample("post-feed", "naive", size, 9.0 * size, queries=1 + 9 * size),
            sample("post-feed", "optimized", size, 0.3 * size, queries=3),
            sample("post-list", "naive", size, 2.0 * size, queries=1 + 2 * size),
            sample("post-list", "optimized", size, 0.5 * size, queries=1 if size == 10 else 2),
        ]
    return BenchRun(
        environment={
            "date": "2026-01-01 00:00 UTC",
            "database": "sqlite",
            "database_version": "3.40.1",
            "python": "3.11",
            "django": "5.2",
            "cpu": "test",
            "cpu_count": 2,
            "platform": "test",
            "cache": "LocMemCache",
        },
        sizes=[10, 100],
        repeat=3,
        samples=samples,
        extras={
            "serializer": {
                "sizes": [
                    {
                        "rows": 100,
                        "drf_cpu_ms": [10.0, 12.0, 8.0],
                        "pydantic_cpu_ms": [1.0, 1.0, 1.0],
                        "same_output": True,
                    }
                ]
            },
            "memory": {
                "rows": 1000,
                "list": {"peak_bytes": 30 * 2**20},
                "streaming": {"peak_bytes": 2**20},
            },
            "stats": {
                "posts": 100,
                "computed_ms": [5.0, 5.0, 5.0],
                "cached_ms": [0.2, 0.2, 0.2],
                "round_trip_ms": [],
                "same_output": True,
            },
        },
    )


def test_targets_are_computed_from_the_run(made_up_run: BenchRun) -> None:
    found = {target.name: target for target in targets(made_up_run)}

    def median(name: str) -> float:
        measured = found[name].measured
        assert measured is not None, name
        return measured.median

    assert median("post-feed naive / optimized") == pytest.approx(30)
    assert found["post-feed naive / optimized"].met
    assert median("post-list naive / optimized") == pytest.approx(4)
    assert found["post-list naive / optimized"].met is False
    assert found["optimized ORM feed / db-built JSON, 100 rows"].measured is None  # not run
    assert median("DRF / Pydantic, the same 100 posts, CPU time") == pytest.approx(10)
    assert median("export peak memory, list / streaming") == pytest.approx(30)
    assert median("stats computed / cached hit, called directly") == pytest.approx(25)
    flat = found["optimized query counts equal at N = 10, 100"]
    assert flat.met is False
    assert "post-list optimized api: 1 at N=10, 2 at N=100" in flat.detail


def test_ratios_are_taken_round_by_round(made_up_run: BenchRun) -> None:
    # The machine slowed in round two for both tiers alike: per round the ratio holds at 10x,
    # where dividing the two sides' medians and quartiles would mix rounds.
    slow = sample("post-feed", "naive", 100, 10.0, rounds=(1.0, 5.0, 2.0, 1.0))
    fast = sample("post-feed", "optimized", 100, 1.0, rounds=(1.0, 5.0, 2.0, 1.0))

    measured = ratio(slow, fast)

    assert measured is not None
    assert (measured.low, measured.median, measured.high) == pytest.approx((10, 10, 10))
    assert measured.rounds == 4


def test_a_target_is_judged_on_its_unfavourable_quartile(made_up_run: BenchRun) -> None:
    # Medians 30x, but one round in four at 15x: the lower quartile falls under 20x.
    made_up_run.samples = [
        found for found in made_up_run.samples if found.case != "post-feed" or found.size != 100
    ] + [
        sample("post-feed", "naive", 100, 900.0, queries=901, rounds=(1.0, 1.0, 1.0, 0.5, 0.5)),
        sample("post-feed", "optimized", 100, 30.0, queries=3, rounds=(1.0, 1.0, 1.0, 1.0, 1.0)),
    ]

    feed = next(t for t in targets(made_up_run) if t.name == "post-feed naive / optimized")

    assert feed.measured is not None
    assert feed.measured.median == pytest.approx(30)
    assert feed.measured.low == pytest.approx(15)
    assert feed.met is False


def test_a_quartile_that_rounds_to_the_goal_is_shown_closer(made_up_run: BenchRun) -> None:
    # Lower quartile 19.96x: "20.0x" on the page, and missed; the page says by how much.
    made_up_run.samples = [
        found for found in made_up_run.samples if found.case != "post-feed" or found.size != 100
    ] + [
        sample("post-feed", "naive", 100, 900.0, queries=901, rounds=(1, 1, 1, 0.6654, 0.6654)),
        sample("post-feed", "optimized", 100, 30.0, queries=3, rounds=(1, 1, 1, 1, 1)),
    ]

    page = markdown_page([made_up_run])

    assert (
        "| post-feed naive / optimized | ≥ 20x (median ≥ 25x) | 30.0x [20.0-30.0] **missed** "
        "(lower quartile 19.96) |"
    ) in page


def test_the_page_says_what_was_missed_and_by_how_much(made_up_run: BenchRun) -> None:
    page = markdown_page([made_up_run], chart_path="benchmarks/post-feed.svg")

    assert "| post-list naive / optimized | ≥ 10x | 4.0x [4.0-4.0] **missed** |" in page
    assert (
        "- SQLite 3.40.1, post-list naive / optimized: 4.0x [4.0-4.0], **missed**. N=100: "
        "naive 201 queries, median 200.0 ms wall over 3 rounds, CPU 100.0 ms" in page
    )
    assert "![post-feed: time against N](benchmarks/post-feed.svg)" in page
    assert (
        "| `post-feed` | 901 → 3 | 900.0 → 30.0 ms (**30.0x [30.0-30.0]**) | 30.0x [30.0-30.0] |"
        in page
    )


def test_the_page_compares_with_the_run_before(made_up_run: BenchRun) -> None:
    before = BenchRun.from_json(made_up_run.to_json())
    before.samples = [
        replace(found, wall_ms=tuple(ms * 2 for ms in found.wall_ms))
        if (found.case, found.tier) == ("post-list", "naive")
        else found
        for found in before.samples
    ]

    page = markdown_page([made_up_run], previous=[before])

    assert "## Against the run before" in page
    assert (
        "| SQLite 3.40.1 | post-feed naive / optimized | 30.0x [30.0-30.0] | 30.0x [30.0-30.0] "
        "| yes |" in page
    )
    assert "| post-list naive / optimized | 4.0x [4.0-4.0] | 8.0x [8.0-8.0] | **no** |" in page


def test_a_ratio_over_one_round_trip_is_compared_in_round_trips_too(
    made_up_run: BenchRun,
) -> None:
    """The stats hit is one round trip to Redis: when the machine's round trip moves between
    runs, the ratio moves with it, and the page says whether the hit in round trips agrees."""
    made_up_run.extras["stats"]["round_trip_ms"] = [0.1, 0.1, 0.1]
    before = BenchRun.from_json(made_up_run.to_json())
    before.extras["stats"]["cached_ms"] = [0.4, 0.4, 0.4]
    before.extras["stats"]["round_trip_ms"] = [0.2, 0.2, 0.2]

    page = markdown_page([made_up_run], previous=[before])

    assert (
        "| stats computed / cached hit, called directly | 25.0x [25.0-25.0] | 12.5x [12.5-12.5] "
        "| **no**: its floor moved (a round trip to the cache 0.100 ms, a round trip to the "
        "cache 0.200 ms before); a hit in round trips, 2.0 [2.0-2.0] and 2.0 [2.0-2.0]: yes |"
    ) in page

    before.extras["stats"]["round_trip_ms"] = [0.1, 0.1, 0.1]
    page = markdown_page([made_up_run], previous=[before])
    assert "a hit in round trips, 2.0 [2.0-2.0] and 4.0 [4.0-4.0]: no |" in page


def sqlite_run_without_latency(run: BenchRun) -> BenchRun:
    """A copy of `run` as the SQLite run of a bench is: no latency figure (no network)."""
    copy = BenchRun.from_json(run.to_json())
    copy.extras.pop("latency", None)
    return copy


def test_the_latency_section_gives_the_ratio_against_the_round_trip(
    made_up_run: BenchRun,
) -> None:
    made_up_run.extras["latency"] = {
        "rows": 25,
        "cases": {
            "post-list": [
                {"set_ms": 0, "round_trip_ms": 0.1, "naive": [10.0, 12.0], "optimized": [2.0] * 2},
                {"set_ms": 5, "round_trip_ms": 5.2, "naive": [260.0] * 2, "optimized": [7.0, 8.0]},
            ]
        },
    }

    page = markdown_page([made_up_run], latency_chart_path="benchmarks/latency.svg")
    chart = latency_chart([made_up_run])

    assert "## The database across a network" in page
    assert "![naive / optimized against the round trip](benchmarks/latency.svg)" in page
    assert "| `post-list` | 0 ms | 0.10 ms | 11.0 | 2.0 | 5.5x [5.2-5.8] |" in page
    assert "| `post-list` | 5 ms | 5.20 ms | 260.0 | 7.5 | 34.8x [33.7-36.0] |" in page
    assert "post-list" in chart
    assert "N = 25" in latency_chart([sqlite_run_without_latency(made_up_run), made_up_run])
    assert "no data" not in chart
    del made_up_run.extras["latency"]
    assert "## The database across a network" not in markdown_page([made_up_run])


def test_the_load_section_says_whether_writes_were_lost(made_up_run: BenchRun) -> None:
    def loadtest(unmatched: dict[str, Any]) -> dict[str, Any]:
        figures = {"requests_per_second": 10.0, "p50_ms": 5.0, "p99_ms": 9.0, "failures": 0}
        return {
            "users": 4,
            "seconds": 3,
            "workers": 2,
            "cpu_count": 2,
            "variants": {"optimized": {**figures, "requests": 30}},
            "writes": {
                **figures,
                "requests": 40,
                "kept": {"comment": 20, "view": 19},
                "unmatched": unmatched,
            },
        }

    kept = markdown_page([made_up_run], loadtest=loadtest({}))
    lost = markdown_page([made_up_run], loadtest=loadtest({"view": {"succeeded": 20, "kept": 19}}))

    assert "| writes | 10.0 | 5 | 9 | 40 | 0 |" in kept
    assert "held 20 new comments and 19 more views: one for every request that succeeded" in kept
    assert "**not** one for every request that succeeded" in lost


def test_the_load_section_counts_server_connections(made_up_run: BenchRun) -> None:
    figures = {"requests_per_second": 10.0, "p50_ms": 5.0, "p99_ms": 9.0, "failures": 0}
    measured = {"server_connections_peak": 6, "server_connections_median": 4}
    loadtest = {
        "users": 4,
        "seconds": 3,
        "workers": 3,
        "cpu_count": 2,
        "variants": {"optimized": {**figures, "requests": 30}},
        "connections": {
            "workers": 3,
            "max_connections": 100,
            "configurations": {
                "psycopg pool (production)": {**figures, **measured},
                "PgBouncer, transaction mode": {
                    **figures,
                    "server_connections_peak": 2,
                    "server_connections_median": 1,
                },
            },
        },
    }

    page = markdown_page([made_up_run], loadtest=loadtest)
    without = markdown_page([made_up_run], loadtest={**loadtest, "connections": None})

    assert "| psycopg pool (production) | 10.0 | 9 | 6 | 4 | 0 |" in page
    assert "| PgBouncer, transaction mode | 10.0 | 9 | 2 | 1 | 0 |" in page
    assert "`max_connections` (100 here)" in page
    assert "budget H * W * 10 for its worst case" in page
    assert "Server connections" not in without


def test_the_terminal_table_and_chart(made_up_run: BenchRun) -> None:
    table = terminal_table(made_up_run)
    chart = time_chart([made_up_run])

    assert re.search(r"post-feed\s+optimized\s+api\s+100\s+3\s+30\.00", table)
    assert table.count("30.0x [30.0-30.0]") == 2
    assert chart.startswith("<svg")
    assert chart.count("<polyline") == 2  # naive and optimized post-feed


def test_the_readme_block_is_replaced_in_place(made_up_run: BenchRun) -> None:
    readme = f"# Title\n\n{README_START}\nold\n{README_END}\n\nMore.\n"

    updated = replace_readme_block(readme, readme_block([made_up_run]))

    assert "old" not in updated
    assert "SQLite 3.40.1: `post-feed` 30.0x, `post-list` 4.0x" in updated
    assert updated.endswith(f"{README_END}\n\nMore.\n")
    with pytest.raises(ValueError, match="no <!-- bench:headline:start -->"):
        replace_readme_block("# Title\n", "block")


def test_a_run_survives_its_json(made_up_run: BenchRun) -> None:
    again = BenchRun.from_json(made_up_run.to_json())

    assert again == made_up_run
    assert replace(again.samples[0], median_ms=1.0) != made_up_run.samples[0]


def test_the_published_page_is_what_the_committed_runs_give() -> None:
    result = run_python(
        "manage.py",
        "bench_report",
        "docs/benchmarks/sqlite.json",
        "docs/benchmarks/postgresql.json",
        "--check",
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )

    assert result.returncode == 0, result.stderr


def test_the_command_end_to_end_on_a_database_of_its_own(tmp_path: Path) -> None:
    env: dict[str, Any] = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "DATABASE_PGBOUNCER_URL", "REDIS_URL"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

    result = run_python(
        "manage.py",
        "bench",
        "--sizes=2,3",
        "--cases=post-list,post-import",
        "--repeat=1",
        "--serializer-rows=3",
        "--export-rows=40",
        "--compression-rows=3",
        f"--json={tmp_path / 'run.json'}",
        f"--markdown={tmp_path / 'page.md'}",
        f"--svg={tmp_path / 'chart.svg'}",
        "-v",
        "0",
        cwd=PROJECT_DIR,
        env=env,
    )

    assert result.returncode == 0, result.stderr
    assert re.search(r"^post-list +naive +api +3 +7 ", result.stdout, re.M)
    run = BenchRun.from_json((tmp_path / "run.json").read_text())
    assert {s.case for s in run.samples} == {"post-list", "post-import"}
    assert run.extras["memory"]["list"]["rows"] == 40
    serializer = run.extras["serializer"]["sizes"]
    assert [row["rows"] for row in serializer] == [3]
    assert serializer[0]["same_output"] is True
    assert len(serializer[0]["drf_cpu_ms"]) >= 15  # rounds, at least 15 whatever --repeat says
    timed = [found for found in run.samples if found.tier == "optimized"]
    assert timed
    assert all(len(found.wall_ms) == len(found.cpu_ms) == 1 for found in timed)
    page = (tmp_path / "page.md").read_text()
    assert page.startswith("# Benchmarks")
    assert (tmp_path / "chart.svg").read_text().startswith("<svg")
    # The feed on the wire: compressed smaller than as it is, and a 304 with no body at all.
    wire = run.extras["compression"]["sizes"]["3"]["wire"]
    assert wire["br"]["body"] < wire["gzip"]["body"] < wire["identity"]["body"]
    assert wire["304"]["body"] == 0 < wire["304"]["headers"]
    assert "## The feed on the wire: compressed, and revalidated" in page
    assert re.search(r"^\| 3 \| 304 \| [\d,]+ \| \d+\.\d%", page, re.M)


@pytest.mark.django_db
@pytest.mark.usefixtures("connection_kept_across_requests")
def test_the_bench_renders_n_rows_past_a_clients_cap() -> None:
    """N is the rows rendered: at N = 510 the bench's own requests show 510 rows on PostgreSQL,
    where a client asking for ?limit=510 gets a 400. SQLite keeps the API's cap: it refuses the
    IN list that prefetching 1,000 rows' relations needs."""
    size = MAX_LIMIT + 10
    with production_like():
        run = run_bench(selected_cases(["post-titles"]), [size], repeat=1)

    rendered = size if connection.vendor == "postgresql" else MAX_LIMIT
    assert {(s.tier, s.rows) for s in run.samples} == {("naive", rendered), ("optimized", rendered)}
    with pytest.raises(InvalidParameterError, match=f"between 1 and {MAX_LIMIT}"):
        LimitQuery.from_query(QueryDict(f"limit={size}"))
    with raised_limit_cap(size):
        assert LimitQuery.from_query(QueryDict(f"limit={size}")).limit == size
