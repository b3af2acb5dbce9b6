"""Bench runs as a terminal table, a markdown page, a chart and the README's headline block.

Everything here is computed from `BenchRun`s (the JSON `bench` writes) by querylab.bench.figures:
no figure is typed by hand.
"""

from __future__ import annotations

import re
import statistics
from typing import Any

from core.postgresql.pool import pool_options

from ..charts import Series, line_chart
from .figures import (
    Spread,
    Target,
    headline_size,
    median_of,
    per_round,
    ratio,
    round_ratios,
    sample,
    serializer_rows,
    spread,
    targets,
)
from .latency import latency_section
from .run import BenchRun, Sample

NOT_MEASURED = "n/a"
HEADLINE_CASES = ("post-feed", "post-list", "user-directory", "tag-cloud", "drf-nested-serializer")
LADDER = (
    "naive",
    "auto",
    "optimized",
    "ninja",
    "values",
    "values-orjson",
    "db-json",
    "cached",
    "304",
)
README_START, README_END = "<!-- bench:headline:start -->", "<!-- bench:headline:end -->"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
COLOURS = {
    "naive": "#c2410c",
    "optimized": "#0c6b58",
    "ninja": "#a16207",
    "values": "#1d4ed8",
    "values-orjson": "#0891b2",
    "db-json": "#7c3aed",
    "cached": "#4b5563",
    "304": "#111827",
}


def database_name(run: BenchRun) -> str:
    vendor = str(run.environment["database"])
    return f"{NAMES.get(vendor, vendor)} {run.environment['database_version']}"


def succeeded(found: Sample) -> bool:
    # A revalidated tier (REVALIDATED_TIERS, a revalidate case) answers 304 by design.
    return 200 <= found.status < 300 or found.status == 304


def speedup(run: BenchRun, case: str, slow: str, fast: str) -> Spread | None:
    """The per-round ratio of two tiers' wall times at the headline size, on the JSON endpoint."""
    return ratio(sample(run, case, slow), sample(run, case, fast))


def _ms(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.2f}"


def _spread(value: Spread | None) -> str:
    return NOT_MEASURED if value is None else str(value)


# The terminal.


def terminal_table(run: BenchRun) -> str:
    header = (
        f"{'case':24} {'tier':10} {'surface':10} {'N':>6} {'queries':>8} {'wall ms':>9} "
        f"{'cpu ms':>8} {'srv ms':>7} {'rounds':>6} {'rows':>6} {'vs naive':>20}"
    )
    lines = [f"{database_name(run)}, up to {run.repeat} rounds", header, "-" * len(header)]
    for found in run.samples:
        naive = sample(run, found.case, "naive", size=found.size, surface=found.surface)
        versus = ratio(naive, found) if naive and found.tier != "naive" else None
        status = "" if succeeded(found) else f"  HTTP {found.status}"
        servers = statistics.median(found.server_cpu_ms) if found.server_cpu_ms else None
        lines.append(
            f"{found.case:24} {found.tier:10} {found.surface:10} {found.size:>6} "
            f"{found.queries:>8} {found.median_ms:>9.2f} {_ms(median_of(found, 'cpu')):>8} "
            f"{_ms(servers):>7} {len(per_round(found)):>6} {found.rows:>6} "
            f"{'' if versus is None else str(versus):>20}{status}"
        )
    lines += [f"skipped: {reason}" for reason in run.skipped]
    return "\n".join(lines)


# The chart.


def time_chart(runs: list[BenchRun], *, case: str | None = None) -> str:
    """Median time against N on the JSON endpoint, per tier and database; of the feed, or of the
    first case measured when the runs have no feed."""
    measured = [s.case for run in runs for s in run.samples if s.surface == "api"]
    case = case or ("post-feed" if "post-feed" in measured else next(iter(measured), "post-feed"))
    series = []
    for run in runs:
        dashed = run.environment["database"] == "sqlite"
        for tier in COLOURS:
            points = [
                (float(found.size), found.median_ms)
                for found in run.samples
                if (found.case, found.tier, found.surface) == (case, tier, "api")
            ]
            if points:
                name = NAMES.get(str(run.environment["database"]), "?")
                series.append(
                    Series(f"{tier}, {name}", COLOURS.get(tier, "#555"), sorted(points), dashed)
                )
    return line_chart(
        series,
        title=f"{case}: median ms per request against N",
        x_label="N (rows rendered; the API's cap of 500 raised for the bench, but on SQLite)",
        y_label="milliseconds",
    )


# The markdown page and the README block.

METHOD = (
    "Every figure here is measured by `python manage.py bench` and written by it. Requests go "
    "through Django's WSGI handler with DEBUG off and without the development middleware, on "
    "persistent connections (a gunicorn worker's, `CONN_MAX_AGE`; the production pool is "
    "measured beside them below), with the garbage collector set as a started gunicorn worker "
    "sets it (`gc.freeze()` and a wider young generation, core/worker_gc.py). Each tier of a "
    "case is requested once to warm up and once with the query capture on (the count), then "
    "timed in rounds: one request of every tier of the case (both surfaces) a round, each "
    "round starting one tier further on, so a slow moment of this shared machine falls on "
    "every tier alike. A tier whose timed requests pass 12 s in all stops after 5 rounds (the "
    "naive variants at N = 1000).\n\n"
    "Each request is timed three ways: wall time; this process's CPU time; and the CPU time "
    "of the PostgreSQL and Redis server processes (read from `/proc/<pid>/schedstat` for the "
    "postmaster and every process it started, and Redis's server), which wall time includes "
    "and this process's CPU does not. SQLite runs inside this process. A ratio is taken round "
    "by round and reported as median [lower quartile-upper quartile]; a target is met when "
    "the quartile on its unfavourable side meets it (the lower one for ≥, the upper for ≤). "
    '"In the driver" is the time inside the database driver\'s execute of the one counted '
    "request: on loopback mostly round trips. Compare ratios within one run, not absolute "
    "times across runs."
)


def markdown_page(
    runs: list[BenchRun],
    *,
    chart_path: str | None = None,
    loadtest: dict[str, Any] | None = None,
    previous: list[BenchRun] | None = None,
    latency_chart_path: str | None = None,
) -> str:
    n = headline_size(runs[0])
    out = [
        "# Benchmarks",
        "",
        "<!-- Generated by `make bench` (querylab/bench/report.py) from the JSON of its runs. "
        "Do not edit by hand. -->",
        "",
        METHOD,
        "",
        "## Machines",
        "",
        "| | " + " | ".join(database_name(run) for run in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for key in ("date", "python", "django", "cpu", "cpu_count", "platform", "cache"):
        out.append(f"| {key} | " + " | ".join(str(run.environment[key]) for run in runs) + " |")
    out.append(
        "| sizes, rounds | "
        + " | ".join(f"{', '.join(map(str, r.sizes))}; up to {r.repeat}" for r in runs)
        + " |"
    )
    per_run = [targets(run) for run in runs]
    out += ["", "## Targets", ""]
    out += ["| target | goal | " + " | ".join(database_name(run) for run in runs) + " |"]
    out += ["|---|---|" + "---|" * len(runs)]
    for index, target in enumerate(per_run[-1]):
        cells = [
            _target_cell(run_targets[index]) if index < len(run_targets) else NOT_MEASURED
            for run_targets in per_run
        ]
        out.append(f"| {target.name} | {target.goal_text} | " + " | ".join(cells) + " |")
    out += ["", "What each was measured as, and what bounds the ones missed:", ""]
    for run, run_targets in zip(runs, per_run, strict=True):
        for target in run_targets:
            if target.measured is None:
                continue
            verdict = {True: "met", False: "**missed**", None: ""}[target.met]
            bound = f" Bound: {target.why}." if target.met is False and target.why else ""
            out.append(
                f"- {database_name(run)}, {target.name}: {_target_value(target)}, {verdict}. "
                f"{target.detail}.{bound}"
            )
    if previous:
        out += ["", "## Against the run before", "", *_agreement(runs, previous)]
    out += ["", f"## Naive against optimized at N = {n} (JSON endpoints)", ""]
    out += _headline_table(runs)
    if chart_path:
        out += ["", "## Time against N", "", f"![post-feed: time against N]({chart_path})", ""]
        out.append(
            "Log-log axes: a line rising with slope one is time proportional to N (the N+1); "
            "the optimized lines rise only with the rows rendered."
        )
    out += ["", "## The feed, tier by tier", "", *_ladder(runs)]
    out += ["", "## DRF against Pydantic, the same posts", "", *_serializers(runs)]
    out += _measured_beside(runs, loadtest=loadtest, latency_chart_path=latency_chart_path)
    out += ["", "## Every case, every size", ""]
    for run in runs:
        out += [
            f"<details><summary>{database_name(run)}</summary>",
            "",
            *_full_table(run),
            "",
            "</details>",
            "",
        ]
    skipped = [(run, reason) for run in runs for reason in run.skipped]
    if skipped:
        out += (
            ["Not measured:", ""]
            + [f"- {database_name(run)}: {reason}" for run, reason in skipped]
            + [""]
        )
    out += [
        "## Reproduce",
        "",
        "```sh",
        "make bench   # SQLite, then PostgreSQL and Redis (scripts/with-services.sh)",
        ".venv/bin/python manage.py bench --sizes 10,100 --cases post-feed,post-list --repeat 15",
        "```",
        "",
        "`bench` builds each data set in a database of its own (created and dropped like a test "
        "database), so it never touches the data `make run` serves. Write cases run in-process "
        "inside a transaction that is rolled back, as in the lab. `make bench` keeps the run "
        "before in `docs/benchmarks/previous/`, which the section above compares with.",
        "",
    ]
    return "\n".join(out)


def _measured_beside(
    runs: list[BenchRun], *, loadtest: dict[str, Any] | None, latency_chart_path: str | None
) -> list[str]:
    """The sections measured beside the cases' rounds, for the runs that have them."""
    out: list[str] = []
    connections = [run for run in runs if run.extras.get("connections")]
    if connections:
        out += ["", "## Persistent connections against the production pool", ""]
        out += _connections(connections)
    across = latency_section(runs, chart_path=latency_chart_path)
    if across:
        out += ["", "## The database across a network", "", *across]
    compressed = [run for run in runs if run.extras.get("compression")]
    if compressed:
        out += ["", "## The feed on the wire: compressed, and revalidated", ""]
        out += _compression(compressed)
    profiled = [run for run in runs if run.extras.get("profiles")]
    if profiled:
        out += ["", "## Where the optimized feed's time goes", "", *_profiles(profiled)]
    if loadtest:
        out += ["", "## Under load", "", *_loadtest_section(loadtest)]
    return out


def _target_value(target: Target) -> str:
    if target.name.startswith("optimized query counts"):
        return "all equal" if target.met else "not all equal"
    return _spread(target.measured)


def _target_cell(target: Target) -> str:
    if target.measured is None:
        return "not measured"
    if target.name.startswith("optimized query counts"):
        return "met" if target.met else "**missed**: " + target.detail
    if target.met:
        return _spread(target.measured)
    judged = target.measured.high if target.at_most else target.measured.low
    close = f"{judged:.1f}" == f"{target.goal:.1f}"
    # A quartile that rounds to the goal: say by how much it missed.
    side = "upper" if target.at_most else "lower"
    return (
        _spread(target.measured)
        + " **missed**"
        + (f" ({side} quartile {judged:.2f})" if close else "")
    )


def _agreement(runs: list[BenchRun], previous: list[BenchRun]) -> list[str]:
    """Each target's spread in this run beside the run before's: they agree when their quartile
    ranges overlap."""
    lines = [
        "Two consecutive runs agree on a figure when their quartile ranges overlap (a figure "
        "measured once a run, when the two are within 10% of each other). A ratio whose fast "
        "side is one round trip (a stats hit on Redis) moves with the machine's round trip, "
        "which on a shared machine can double between runs: where it disagrees, the table "
        "compares the hit in round trips too, each measured in its own run.",
        "",
        "| database | target | this run | the run before | agree |",
        "|---|---|---|---|---|",
    ]
    before_by_database = {run.environment["database"]: run for run in previous}
    for run in runs:
        before = before_by_database.get(run.environment["database"])
        if before is None:
            continue
        earlier = {target.name: target for target in targets(before)}
        for target in targets(run):
            other = earlier.get(target.name)
            if target.measured is None or target.name.startswith("optimized query counts"):
                continue
            if other is None or other.measured is None:
                verdict, shown = "not measured before", NOT_MEASURED
            elif target.measured.rounds == other.measured.rounds == 1:
                # One measurement each (the export's peak memory): no spread to overlap.
                close = abs(target.measured.median - other.measured.median) <= 0.1 * max(
                    target.measured.median, other.measured.median
                )
                verdict = "yes (one measurement each, within 10%)" if close else "**no**"
                shown = str(other.measured)
            else:
                verdict = _verdict(target, other)
                shown = str(other.measured)
            lines.append(
                f"| {database_name(run)} | {target.name} | {target.measured} | {shown} | "
                f"{verdict} |"
            )
    return lines


def _verdict(target: Target, other: Target) -> str:
    """Whether two runs' spreads overlap; when a ratio whose floor is a round trip does not,
    whether its figure in round trips does, and what a round trip measured in each run."""
    if target.measured is None or other.measured is None:
        return "not measured before"
    if target.measured.overlaps(other.measured):
        return "yes"
    steady, before = target.steadier, other.steadier
    if steady is None or before is None:
        return "**no**"
    agree = "yes" if steady.measured.overlaps(before.measured) else "no"
    figure = str(steady.measured).replace("x ", " ")
    figure_before = str(before.measured).replace("x ", " ")
    return (
        f"**no**: its floor moved ({steady.unit}, {before.unit} before); {steady.label}, "
        f"{figure} and {figure_before}: {agree}"
    )


def _headline_table(runs: list[BenchRun]) -> list[str]:
    head = "| case | " + " | ".join(f"{database_name(run)} queries | wall | CPU" for run in runs)
    lines = [head + " |", "|---|" + "---|---|---|" * len(runs)]
    for case in HEADLINE_CASES:
        cells = []
        for run in runs:
            naive, optimized = sample(run, case, "naive"), sample(run, case, "optimized")
            if naive is None or optimized is None:
                cells += [NOT_MEASURED] * 3
                continue
            cells.append(f"{naive.queries} → {optimized.queries}")
            cells.append(
                f"{naive.median_ms:.1f} → {optimized.median_ms:.1f} ms "
                f"(**{_spread(ratio(naive, optimized))}**)"
            )
            cells.append(_spread(ratio(naive, optimized, "cpu")))
        lines.append(f"| `{case}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Wall: median milliseconds per request, and the per-round ratio, median [quartiles]. "
        "CPU: the same ratio of CPU time, this process's plus the servers'.",
    ]
    return lines


def _ladder(runs: list[BenchRun]) -> list[str]:
    """The feed's tiers at every size: per page (median wall and CPU ms) and per row (µs)."""
    lines = [
        "The same feed rows, the same JSON, by each rung: the naive ORM; the auto tier (the "
        "naive code with lazy foreign keys batched); the optimized ORM with Pydantic "
        "(`/api/v1/optimized/post-feed/`); the same queryset served by django-ninja, the "
        "framework a team would otherwise pick for Pydantic at the edge "
        "(querylab/bench/ninja_feed.py); `values()` rows validated as TypedDicts "
        "(`/api/v1/values/feed/`); the same rows written by orjson, unvalidated "
        "(`values-orjson`); PostgreSQL building the JSON (`db-json`); the bytes from the "
        "cache (`cached`, blog/feed_cache.py); and a client that holds the feed asking again with "
        "its ETag (`304`, blog/conditional.py: no query, no body; its N is the copy's). Per "
        "page: median wall ms (CPU ms, this process's "
        "plus the servers'); per row: wall µs. On SQLite N = 1000 renders 500 rows (the API's "
        "cap, kept there: SQLite refuses the IN list of 1,000 rows' prefetches).",
        "",
    ]
    for run in runs:
        sizes = run.sizes
        lines += [
            f"{database_name(run)}:",
            "",
            "| tier | queries | " + " | ".join(f"N = {size} page | row" for size in sizes) + " |",
            "|---|---:|" + "---:|---:|" * len(sizes),
        ]
        for tier in LADDER:
            found = [sample(run, "post-feed", tier, size=size) for size in sizes]
            if not any(found):
                continue
            cells = []
            for measured in found:
                if measured is None or not measured.rows:
                    cells += [NOT_MEASURED, NOT_MEASURED]
                    continue
                cpu = median_of(measured, "cpu")
                cells.append(
                    f"{measured.median_ms:.1f}" + (f" ({cpu:.1f})" if cpu is not None else "")
                )
                cells.append(f"{measured.median_ms * 1000 / measured.rows:.0f}")
            counts = sorted({m.queries for m in found if m is not None})
            queries = ", ".join(map(str, counts)) if len(counts) > 1 else str(counts[0])
            lines.append(f"| {tier} | {queries} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines + _ninja(runs)


def _ninja(runs: list[BenchRun]) -> list[str]:
    """django-ninja against the project's endpoint, size by size: where each is faster, and why."""
    found = []
    for run in runs:
        for size in run.sizes:
            versus = ratio(
                sample(run, "post-feed", "ninja", size=size),
                sample(run, "post-feed", "optimized", size=size),
            )
            if versus is not None:
                found.append(f"{database_name(run)} N = {size}: {versus}")
    if not found:
        return []
    return [
        "django-ninja's time over the project's endpoint's, same queryset, same rows "
        "(above 1.0x the project's endpoint is faster): " + "; ".join(found) + ".",
        "",
        "Where they differ, and what it would take to match: ninja's fixed cost a request is the "
        "lower (its router calls the function; DRF's APIView negotiates content, runs "
        "authentication and throttle classes, wraps the request), so on a short page it can be "
        "ahead; its cost a row is the higher, since it dumps the validated schema to Python "
        "objects and writes them with the standard library's `json`, where the project's "
        "endpoint writes JSON from the schema in Pydantic's Rust core (`dump_json`). Matching "
        "ninja's fixed cost means a plain Django view, giving up DRF's authentication and "
        "throttles for that endpoint; ninja matches the project's cost a row with a renderer "
        "that calls the schema's `dump_json`.",
        "",
    ]


def _serializers(runs: list[BenchRun]) -> list[str]:
    lines = [
        "The same loaded posts (the optimized post list) turned into JSON bytes by DRF "
        "(`ModelSerializer` + `JSONRenderer`) and by Pydantic (`TypeAdapter` validate + "
        "`dump_json`), with no database and no request around them; CPU time of this process, "
        "median ms, and the per-round ratio.",
        "",
        "| database | posts | DRF ms | Pydantic ms | DRF / Pydantic | same output |",
        "|---|---:|---:|---:|---|---|",
    ]
    for run in runs:
        for row in serializer_rows(run):
            lines.append(
                f"| {database_name(run)} | {row['rows']} | "
                f"{statistics.median(row['drf_cpu_ms']):.2f} | "
                f"{statistics.median(row['pydantic_cpu_ms']):.2f} | "
                f"{_spread(spread(round_ratios(row['drf_cpu_ms'], row['pydantic_cpu_ms'])))} | "
                f"{'yes' if row['same_output'] else '**no**'} |"
            )
    return lines


def _connections(runs: list[BenchRun]) -> list[str]:
    lines = [
        "The optimized JSON endpoints at 100 rows on the bench's persistent connections and on "
        "the production settings' psycopg pool, which checks each connection before lending it "
        "(one more round trip a request). Rounds alternate the two; median wall ms, and the "
        "per-round ratio pool / persistent.",
        "",
        "| database | case | persistent ms | pool ms | pool / persistent |",
        "|---|---|---:|---:|---|",
    ]
    for run in runs:
        figures = run.extras["connections"]
        for case in ("post-feed", "post-list"):
            if case not in figures:
                continue
            persistent, pool = figures[case]["persistent"], figures[case]["pool"]
            versus = spread(round_ratios(pool, persistent))
            lines.append(
                f"| {database_name(run)} | `{case}` | {statistics.median(persistent):.2f} | "
                f"{statistics.median(pool):.2f} | {_spread(versus)} |"
            )
    return lines


def _compression(runs: list[BenchRun]) -> list[str]:
    """Per database and size: each coding's bytes on the wire and CPU a request, the
    compressor's CPU alone, and the 304."""
    lines = [
        "The optimized feed's JSON through the handler and core/compression.py, anonymous (so "
        "public, so compressed): as it is, gzipped (Django's, with its random padding) and as "
        "Brotli (quality 5), and the 304 a client that holds it gets for its ETag. Bytes: body "
        "plus status line and headers. CPU: this process's, a whole request (median ms), and "
        "the compressor alone on the same body.",
        "",
    ]
    for run in runs:
        lines += [
            f"{database_name(run)}:",
            "",
            "| rows | sent as | bytes on the wire | of identity | CPU a request | compressor |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        # Rows, not the size asked for: SQLite renders at most the API's cap (bench_limit_cap).
        for found in run.extras["compression"]["sizes"].values():
            wire, cpu = found["wire"], found["request_cpu_ms"]
            whole = {name: sent["body"] + sent["headers"] for name, sent in wire.items()}
            for name in ("identity", "gzip", "br", "304"):
                compressor = found["compress_cpu_ms"].get(name)
                lines.append(
                    f"| {found['rows']} | {name} | {whole[name]:,} | "
                    f"{whole[name] / whole['identity']:.1%} | "
                    f"{statistics.median(cpu[name]):.2f} ms | "
                    + (f"{statistics.median(compressor):.2f} ms" if compressor else "")
                    + " |"
                )
        lines.append("")
    return lines


def _profiles(runs: list[BenchRun]) -> list[str]:
    lines = [
        "cProfile over repeated requests of the optimized feed at 100 rows, the functions' own "
        "time grouped by where their code lives (querylab/bench/profiles.py). Profiling slows "
        "Python code more than C: read the shares, not milliseconds.",
        "",
    ]
    for run in runs:
        profiles = run.extras["profiles"]
        names = list(profiles)
        groups = sorted({group for p in profiles.values() for group, _ in p["groups"]})
        shares = {name: dict(profiles[name]["groups"]) for name in names}
        groups.sort(key=lambda group: -max(shares[name].get(group, 0) for name in names))
        lines += [
            f"{database_name(run)}:",
            "",
            "| where | " + " | ".join(names) + " |",
            "|---|" + "---:|" * len(names),
        ]
        for group in groups:
            cells = [f"{shares[name].get(group, 0):.0%}" for name in names]
            lines.append(f"| {group} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def _loadtest_section(loadtest: dict[str, Any]) -> list[str]:
    lines = [
        f"`make loadtest`: gunicorn ({loadtest['workers']} workers, production settings) on "
        f"PostgreSQL and Redis on loopback, {loadtest['users']} locust users requesting one page "
        f"of 20 feed rows as fast as it is answered, {loadtest['seconds']} s a variant, client "
        f"and server sharing {loadtest['cpu_count']} CPUs. Any response outside 2xx is a failure.",
        "",
        "| variant | requests/s | p50 ms | p99 ms | requests | failed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    measured = list(loadtest["variants"].items())
    writes = loadtest.get("writes")
    if writes:
        measured.append(("writes", writes))
    for variant, result in measured:
        lines.append(
            f"| {variant} | {result['requests_per_second']:.1f} | {result['p50_ms']:.0f} | "
            f"{result['p99_ms']:.0f} | {result['requests']} | {result['failures']} |"
        )
    if writes:
        kept = writes["kept"]
        lines += [
            "",
            f"The writes: every user, each with an account of its own, comments on the same post "
            f"and counts a view of it, as fast as answered. The database then held "
            f"{kept['comment']} new comments and {kept['view']} more views: "
            + (
                "one for every request that succeeded, none lost."
                if not writes["unmatched"]
                else f"**not** one for every request that succeeded: {writes['unmatched']}."
            ),
        ]
    if loadtest.get("connections"):
        lines += ["", *_connection_budget(loadtest["connections"], users=loadtest["users"])]
    return lines


def _connection_budget(budget: dict[str, Any], *, users: int) -> list[str]:
    """Server connections under the same load in each configuration, and the arithmetic."""
    workers, pool_max = budget["workers"], pool_options()["max_size"]
    lines = [
        f"Server connections: the optimized feed under the same load ({users} users) in each "
        "configuration, counting the connections PostgreSQL had open for the database every "
        "50 ms (`pg_stat_activity`).",
        "",
        "| configuration | requests/s | p99 ms | server connections, peak | median | failed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, result in budget["configurations"].items():
        lines.append(
            f"| {name} | {result['requests_per_second']:.1f} | {result['p99_ms']:.0f} | "
            f"{result['server_connections_peak']} | {result['server_connections_median']} | "
            f"{result['failures']} |"
        )
    lines += [
        "",
        f"The arithmetic for `max_connections` ({budget['max_connections']} here), with H "
        f"hosts of W sync workers (W = {workers} here): persistent connections open one per "
        "worker, H * W; psycopg's pool opens at least `min_size` and at most `max_size` per "
        f"worker ({pool_max} here), so budget H * W * {pool_max} for its worst case, though a "
        "sync worker uses one at a time; PgBouncer opens at most `default_pool_size` per "
        "database and user, whatever H and W, and the workers' connections to it cost a few "
        "kilobytes each. Leave room for migrations, the admin's shell and replication "
        "([docs/scaling.md](scaling.md)).",
    ]
    return lines


def _full_table(run: BenchRun) -> list[str]:
    lines = [
        "| case | tier | surface | N | queries | wall ms | min | max | CPU ms | servers ms | "
        "rounds | rows | vs naive |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for found in run.samples:
        naive = sample(run, found.case, "naive", size=found.size, surface=found.surface)
        versus = ratio(naive, found) if naive and found.tier != "naive" else None
        servers = statistics.median(found.server_cpu_ms) if found.server_cpu_ms else None
        lines.append(
            f"| {found.case} | {found.tier} | {found.surface} | {found.size} | {found.queries} | "
            f"{found.median_ms:.2f} | {found.min_ms:.2f} | {found.max_ms:.2f} | "
            f"{_ms(median_of(found, 'cpu'))} | {_ms(servers)} | {len(per_round(found))} | "
            f"{found.rows} | {versus or ''} |"
        )
    return lines


def readme_block(runs: list[BenchRun]) -> str:
    """The README's headline: each database's naive/optimized ratio on the feed and list."""
    parts = []
    for run in runs:
        figures = ", ".join(
            f"`{case}` {found.median:.1f}x"
            for case in ("post-feed", "post-list", "user-directory")
            if (found := speedup(run, case, "naive", "optimized")) is not None
        )
        parts.append(f"{database_name(run)}: {figures}")
    n = headline_size(runs[0])
    return (
        f"{README_START}\nMeasured by `make bench` at N = {n} (naive time / optimized time, "
        f"JSON endpoints, the median of per-round ratios): {'; '.join(parts)}. Details, "
        f"targets and how they were measured: [docs/benchmarks.md](docs/benchmarks.md)."
        f"\n{README_END}"
    )


def replace_readme_block(readme: str, block: str) -> str:
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(readme):
        raise ValueError(f"README has no {README_START} ... {README_END} block")
    return pattern.sub(lambda _: block, readme)
