"""The figures a bench run gives: per-round ratios with their spread, and the targets.

A ratio is taken round by round: round r of two tiers was measured in the same turn (rotated
order, querylab.measure), so the machine's slow moments fall on both sides of it. The spread of
those ratios is reported as median [lower quartile - upper quartile], and a target is judged on
the quartile on its unfavourable side: the lower one for "at least", the upper for "at most".
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..clocks import quartiles
from .run import BenchRun, Sample

HEADLINE_SIZE = 100
LADDER_SIZE = 1000
Clock = Literal["wall", "cpu"]


@dataclass(frozen=True)
class Spread:
    low: float  # the lower quartile
    median: float
    high: float  # the upper quartile
    rounds: int

    def __str__(self) -> str:
        return f"{self.median:.1f}x [{self.low:.1f}-{self.high:.1f}]"

    def overlaps(self, other: Spread) -> bool:
        return self.low <= other.high and other.low <= self.high


def spread(values: Iterable[float]) -> Spread | None:
    found = [value for value in values if value > 0]
    if not found:
        return None
    low, median, high = quartiles(found)
    return Spread(low, median, high, len(found))


def per_round(found: Sample, clock: Clock = "wall") -> list[float]:
    """Milliseconds a round: wall, or CPU (this process's plus the servers' when read). A run
    written before rounds were kept has its median alone."""
    if clock == "wall":
        return list(found.wall_ms) or [found.median_ms]
    if not found.cpu_ms:
        return []
    if found.server_cpu_ms:
        return [cpu + server for cpu, server in zip(found.cpu_ms, found.server_cpu_ms, strict=True)]
    return list(found.cpu_ms)


def round_ratios(slow: Sequence[float], fast: Sequence[float]) -> list[float]:
    """slow / fast, round by round; a tier cut short by the time budget pairs its first rounds."""
    return [a / b for a, b in zip(slow, fast, strict=False) if b > 0]


def ratio(slow: Sample | None, fast: Sample | None, clock: Clock = "wall") -> Spread | None:
    if slow is None or fast is None:
        return None
    return spread(round_ratios(per_round(slow, clock), per_round(fast, clock)))


def median_of(found: Sample, clock: Clock) -> float | None:
    values = per_round(found, clock)
    return statistics.median(values) if values else None


def sample(
    run: BenchRun, case: str, tier: str, *, size: int | None = None, surface: str = "api"
) -> Sample | None:
    size = headline_size(run) if size is None else size
    for found in run.samples:
        if (found.case, found.tier, found.size) == (case, tier, size) and found.surface in (
            surface,
            "in-process",
        ):
            return found
    return None


def headline_size(run: BenchRun) -> int:
    return min(run.sizes, key=lambda size: abs(size - HEADLINE_SIZE))


@dataclass(frozen=True)
class Steadier:
    label: str  # "a hit in round trips"
    measured: Spread
    unit: str  # "a round trip to the cache 0.119 ms"


@dataclass(frozen=True)
class Target:
    name: str
    goal: float
    measured: Spread | None
    detail: str
    at_most: bool = False  # "≤ goal" (the upper quartile judged) rather than "≥ goal"
    median_goal: float | None = None  # a goal for the median too
    why: str = ""  # what bounds it, when it is missed
    # A figure in units that do not move with the machine (a hit in round trips), with what
    # those units measured in this run, for a ratio whose floor is a round trip.
    steadier: Steadier | None = None

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        if self.at_most:
            return self.measured.high <= self.goal
        median_met = self.median_goal is None or self.measured.median >= self.median_goal
        return self.measured.low >= self.goal and median_met

    @property
    def goal_text(self) -> str:
        if self.name.startswith("optimized query counts"):
            return "all equal"
        text = f"{'≤' if self.at_most else '≥'} {self.goal:g}x"
        return text + (f" (median ≥ {self.median_goal:g}x)" if self.median_goal else "")


def targets(run: BenchRun) -> list[Target]:
    """The goals the project sets itself, measured on one run."""
    n = headline_size(run)
    big = max(run.sizes)
    found = [
        _pair_target(
            run, "post-feed naive / optimized", "post-feed", ("naive", "optimized"), goal=20, size=n
        ),
        _pair_target(
            run, "post-list naive / optimized", "post-list", ("naive", "optimized"), goal=10, size=n
        ),
        _pair_target(
            run,
            f"optimized ORM feed / db-built JSON, {big} rows",
            "post-feed",
            ("optimized", "db-json"),
            goal=3,
            size=big,
            at_most=True,
            why="the ORM side builds a model instance for each row and related row and "
            "validates them with Pydantic; PostgreSQL writes the same JSON in C (its CPU is in "
            "the servers' share)",
        ),
        _pair_target(
            run,
            f"values() feed / db-built JSON, {big} rows",
            "post-feed",
            ("values", "db-json"),
            goal=1.5,
            size=big,
            at_most=True,
            why="values() skips model instances but still assembles nested dicts and validates "
            "them with Pydantic, three queries against one",
        ),
    ]
    found[0] = replace(found[0], median_goal=25, why=f"{found[0].why}; {_fixed_cost(run)}")
    found.append(_serializer_target(run))
    found.append(_stats_target(run))
    page, api = (sample(run, "post-feed", "optimized", surface=s) for s in ("page", "api"))
    found.append(
        Target(
            f"optimized feed: HTML page / its JSON, N = {n}",
            1.5,
            ratio(page, api),
            _pair_detail(page, api, "page", "JSON") if page and api else "not measured",
            at_most=True,
            why=_page_why(run),
        )
    )
    memory = run.extras.get("memory")
    if memory:
        listed, streamed = memory["list"]["peak_bytes"], memory["streaming"]["peak_bytes"]
        single = listed / max(streamed, 1)
        found.append(
            Target(
                "export peak memory, list / streaming",
                20,
                Spread(single, single, single, 1),
                f"{memory['rows']:,} rows: list {_mib(listed)}, streaming {_mib(streamed)} "
                "(one measurement each, in a fresh process)",
            )
        )
    flat = flat_optimized_counts(run)
    if flat and run.environment["database"] == "sqlite":
        flat.append(
            "SQLite allows 999 parameters a statement, so bulk_create and bulk_update split "
            "large batches there"
        )
    one = 1.0 if not flat else 0.0
    found.append(
        Target(
            f"optimized query counts equal at N = {', '.join(map(str, run.sizes))}",
            1,
            Spread(one, one, one, 1),
            "every optimized case" if not flat else "changed: " + "; ".join(flat),
        )
    )
    return found


def _pair_target(
    run: BenchRun,
    name: str,
    case: str,
    tiers: tuple[str, str],
    *,
    goal: float,
    size: int,
    at_most: bool = False,
    why: str | None = None,
) -> Target:
    slow, fast = (sample(run, case, tier, size=size) for tier in tiers)
    if slow is None or fast is None:
        return Target(name, goal, None, "not measured on this database", at_most=at_most)
    return Target(
        name,
        goal,
        ratio(slow, fast),
        _pair_detail(slow, fast, *tiers),
        at_most=at_most,
        why=(_why(run, case) if why is None else why),
    )


def _why(run: BenchRun, case: str) -> str:
    text = WHY.get(case, "")
    if text and run.environment["database"] == "sqlite":
        # In process: a query costs its compilation and SQLite's work, no round trip.
        text += " (SQLite runs inside this process: no round trip, hence its lower ratios)"
    return text


WHY = {
    "post-feed": "the optimized side's floor is Python building a page of model instances and "
    "validating them (the profile below); the naive side's is its queries, each a round trip "
    "(their time in the driver is in the detail above), which a database across a network "
    "multiplies",
    "post-list": "one query against 201: the ratio is the naive side's round trips over one "
    "query's rows turned into instances and JSON",
}


def _fixed_cost(run: BenchRun) -> str:
    """What the optimized feed costs whatever its size, from its smallest and headline runs."""
    small, headline = min(run.sizes), headline_size(run)
    few, many = (sample(run, "post-feed", "optimized", size=size) for size in (small, headline))
    if few is None or many is None or small == headline:
        return "the optimized feed's cost splits into a part per row and a fixed part"
    per_row = (many.median_ms - few.median_ms) / max(many.rows - few.rows, 1)
    fixed = max(few.median_ms - per_row * few.rows, 0.0)
    return (
        f"the optimized feed costs {few.median_ms:.1f} ms at N = {small} and "
        f"{many.median_ms:.1f} ms at N = {headline}: about {fixed:.1f} ms whatever N (the "
        f"request, and compiling and running three queries) and {per_row * 1000:.0f} µs a row"
    )


def _page_why(run: BenchRun) -> str:
    """What the HTML page pays beyond its JSON, from the run's profile of both."""
    text = (
        "the page renders a Django template per card, with a filter or two per field "
        "(truncatechars walks a comment's text character by character, the date filter "
        "translates month names), where the JSON is validated and written by Pydantic's Rust core"
    )
    profiles = run.extras.get("profiles") or {}
    page = next((p for name, p in profiles.items() if name.startswith("page")), None)
    if page is None:
        return text
    shares = dict(page["groups"])
    templates = shares.get("Django templates and their filters", 0.0)
    urls = shares.get("URL reversing", 0.0)
    if not templates:
        return text
    return (
        f"{text}: templates and their filters take {templates:.0%} of the page's profiled "
        f"time and reversing each card's URL {urls:.0%} (the profile below), time the JSON "
        "endpoint does not spend"
    )


def _pair_detail(slow: Sample, fast: Sample, slow_name: str, fast_name: str) -> str:
    def side(name: str, found: Sample) -> str:
        cpu = median_of(found, "cpu")
        servers = statistics.median(found.server_cpu_ms) if found.server_cpu_ms else None
        text = (
            f"{name} {found.queries} queries, median {found.median_ms:.1f} ms wall over "
            f"{len(per_round(found))} rounds"
        )
        if cpu is not None:
            text += f", CPU {cpu:.1f} ms"
            if servers is not None:
                text += f" (of which the database and cache servers {servers:.1f} ms)"
        return text + f", {found.database_ms:.1f} ms in the driver on the counted request"

    cpu = ratio(slow, fast, "cpu")
    cpu_text = f"; CPU-time ratio {cpu}" if cpu else ""
    return f"N={slow.size}: {side(slow_name, slow)}; {side(fast_name, fast)}{cpu_text}"


def serializer_rows(run: BenchRun) -> list[dict[str, Any]]:
    serializer = run.extras.get("serializer") or {}
    return list(serializer.get("sizes", []))


def _serializer_target(run: BenchRun) -> Target:
    name = "DRF / Pydantic, the same 100 posts, CPU time"
    rows = {row["rows"]: row for row in serializer_rows(run)}
    row = rows.get(HEADLINE_SIZE)
    if row is None:
        return Target(name, 5, None, "not measured")
    measured = spread(round_ratios(row["drf_cpu_ms"], row["pydantic_cpu_ms"]))
    others = ", ".join(
        f"{size} rows {spread(round_ratios(r['drf_cpu_ms'], r['pydantic_cpu_ms']))}"
        for size, r in sorted(rows.items())
        if size != HEADLINE_SIZE
    )
    return Target(
        name,
        5,
        measured,
        f"DRF {statistics.median(row['drf_cpu_ms']):.2f} ms, Pydantic "
        f"{statistics.median(row['pydantic_cpu_ms']):.2f} ms; {others}",
        why="both read the same model instances through Django's descriptors, which costs "
        "Pydantic as much as DRF; DRF's fixed cost per call weighs most on a short list",
    )


def _stats_target(run: BenchRun) -> Target:
    name = "stats computed / cached hit, called directly"
    stats = run.extras.get("stats")
    if not stats:
        return Target(name, 50, None, "not measured")
    measured = spread(round_ratios(stats["computed_ms"], stats["cached_ms"]))
    through = ratio(sample(run, "stats", "optimized"), sample(run, "stats", "cached"))
    cached = statistics.median(stats["cached_ms"])
    floor = stats.get("round_trip_ms") or []
    in_round_trips = spread(round_ratios(stats["cached_ms"], floor)) if floor else None
    floor_text = (
        f", of which a bare round trip to the cache (PING) is {statistics.median(floor):.3f} ms:"
        f" a hit costs {str(in_round_trips).replace('x ', ' ')} round trips, per round"
        if floor
        else " (a cache in this process: no round trip)"
    )
    return Target(
        name,
        50,
        measured,
        f"{stats['posts']} posts: computed {statistics.median(stats['computed_ms']):.3f} ms, "
        f"cached {cached:.3f} ms{floor_text}; through the handler {through or 'n/a'}, bounded "
        "by the request handling both pay",
        why="a hit is one read of the version from the cache: its floor is one round trip",
        steadier=(
            Steadier(
                "a hit in round trips",
                in_round_trips,
                f"a round trip to the cache {statistics.median(floor):.3f} ms",
            )
            if in_round_trips is not None
            else None
        ),
    )


GROWING_TIERS = {"naive", "auto"}


def flat_optimized_counts(run: BenchRun) -> list[str]:
    """Cases whose optimized query count differs between sizes, with the counts. The naive
    variant and the auto tier (the naive code, batched: `4 + 4N` for the feed) grow by design."""
    counts: dict[tuple[str, str], dict[int, int]] = {}
    for found in run.samples:
        if found.tier not in GROWING_TIERS:
            counts.setdefault((found.case, f"{found.tier} {found.surface}"), {})[found.size] = (
                found.queries
            )
    return [
        f"{case} {tier}: " + ", ".join(f"{q} at N={n}" for n, q in sorted(by_size.items()))
        for (case, tier), by_size in counts.items()
        if len(set(by_size.values())) > 1
    ]


def _mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"
