"""Bench runs as a terminal table, a markdown page, a chart and the README's headline block.

Everything here is computed from `BenchRun`s (the JSON `bench` writes): no figure is typed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..charts import Series, line_chart
from .run import BenchRun, Sample

HEADLINE_SIZE = 100
NOT_MEASURED = "n/a"
HEADLINE_CASES = ("post-feed", "post-list", "user-directory", "tag-cloud", "drf-nested-serializer")
README_START, README_END = "<!-- bench:headline:start -->", "<!-- bench:headline:end -->"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
COLOURS = {"naive": "#c2410c", "optimized": "#0c6b58", "values": "#1d4ed8", "db-json": "#7c3aed"}


def database_name(run: BenchRun) -> str:
    vendor = str(run.environment["database"])
    return f"{NAMES.get(vendor, vendor)} {run.environment['database_version']}"


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


def succeeded(found: Sample) -> bool:
    return 200 <= found.status < 300


def headline_size(run: BenchRun) -> int:
    return min(run.sizes, key=lambda size: abs(size - HEADLINE_SIZE))


def speedup(
    run: BenchRun, case: str, slow: str, fast: str, *, surface: str = "api"
) -> float | None:
    a, b = sample(run, case, slow, surface=surface), sample(run, case, fast, surface=surface)
    if a is None or b is None or b.median_ms <= 0:
        return None
    return a.median_ms / b.median_ms


@dataclass(frozen=True)
class Target:
    name: str
    goal: float
    measured: float | None
    detail: str

    @property
    def met(self) -> bool | None:
        return None if self.measured is None else self.measured >= self.goal


def targets(run: BenchRun) -> list[Target]:
    """The goals the project sets itself, measured on one run."""
    found = [
        _time_target(run, "post-feed naive / optimized", "post-feed", ("naive", "optimized"), 20),
        _time_target(run, "post-list naive / optimized", "post-list", ("naive", "optimized"), 10),
        _time_target(run, "post-feed naive / db-built JSON", "post-feed", ("naive", "db-json"), 50),
    ]
    stats = run.extras.get("stats")
    if stats:
        through_handler = speedup(run, "stats", "optimized", "cached")
        found.append(
            Target(
                "stats computed / cached hit",
                50,
                stats["computed_ms"] / stats["cached_ms"],
                f"called directly, {stats['posts']} posts: computed {stats['computed_ms']:.3f} ms, "
                f"cached {stats['cached_ms']:.3f} ms ({run.environment['cache']}: a hit is two "
                f"cache reads, the version and then the value); through the handler "
                f"{_ratio(through_handler)}, where the request handling both pay bounds it",
            )
        )
    serializer = run.extras.get("serializer")
    if serializer:
        found.append(
            Target(
                "DRF ModelSerializer / Pydantic dump_json",
                5,
                serializer["drf_ms"] / serializer["pydantic_ms"],
                f"{serializer['rows']} posts: DRF {serializer['drf_ms']:.2f} ms, Pydantic "
                f"{serializer['pydantic_ms']:.2f} ms",
            )
        )
    memory = run.extras.get("memory")
    if memory:
        listed, streamed = memory["list"]["peak_bytes"], memory["streaming"]["peak_bytes"]
        found.append(
            Target(
                "export peak memory, list / streaming",
                20,
                listed / max(streamed, 1),
                f"{memory['rows']:,} rows: list {_mib(listed)}, streaming {_mib(streamed)}",
            )
        )
    flat = _flat_optimized_counts(run)
    if flat and run.environment["database"] == "sqlite":
        flat.append(
            "SQLite allows 999 parameters a statement, so bulk_create and bulk_update split "
            "large batches there"
        )
    found.append(
        Target(
            f"optimized query counts equal at N = {', '.join(map(str, run.sizes))}",
            1,
            1.0 if not flat else 0.0,
            "every optimized case" if not flat else "changed: " + "; ".join(flat),
        )
    )
    return found


def _time_target(
    run: BenchRun, name: str, case: str, tiers: tuple[str, str], goal: float
) -> Target:
    slow, fast = tiers
    a, b = sample(run, case, slow), sample(run, case, fast)
    if a is None or b is None:
        return Target(name, goal, None, "not measured on this database")
    ratio = a.median_ms / b.median_ms if b.median_ms > 0 else None
    detail = (
        f"N={a.size}: {slow} {a.queries} queries, {a.median_ms:.1f} ms "
        f"({a.median_ms / max(a.queries, 1):.2f} ms a query); {fast} {b.queries} queries, "
        f"{b.median_ms:.1f} ms, of which {b.database_ms:.1f} ms in the database"
    )
    return Target(name, goal, ratio, detail)


GROWING_TIERS = {"naive", "auto"}


def _flat_optimized_counts(run: BenchRun) -> list[str]:
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


def _ratio(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.1f}x"


# The terminal.


def terminal_table(run: BenchRun) -> str:
    header = (
        f"{'case':24} {'tier':10} {'surface':10} {'N':>6} {'queries':>8} {'median ms':>10} "
        f"{'min':>8} {'max':>8} {'rows':>6} {'vs naive':>9}"
    )
    lines = [f"{database_name(run)}, {run.repeat} timed runs each", header, "-" * len(header)]
    for found in run.samples:
        naive = sample(run, found.case, "naive", size=found.size, surface=found.surface)
        faster = found.tier != "naive" and found.median_ms > 0
        ratio = naive.median_ms / found.median_ms if naive and faster else None
        status = "" if succeeded(found) else f"  HTTP {found.status}"
        lines.append(
            f"{found.case:24} {found.tier:10} {found.surface:10} {found.size:>6} "
            f"{found.queries:>8} {found.median_ms:>10.2f} {found.min_ms:>8.2f} "
            f"{found.max_ms:>8.2f} {found.rows:>6} {'' if ratio is None else _ratio(ratio):>9}"
            f"{status}"
        )
    lines += [f"skipped: {reason}" for reason in run.skipped]
    return "\n".join(lines)


# The chart.


def time_chart(runs: list[BenchRun], *, case: str | None = None) -> str:
    """Median time against N on the JSON endpoint, naive and optimized, per database; of the
    feed, or of the first case measured when the runs have no feed."""
    measured = [s.case for run in runs for s in run.samples if s.surface == "api"]
    case = case or ("post-feed" if "post-feed" in measured else next(iter(measured), "post-feed"))
    series = []
    for run in runs:
        dashed = run.environment["database"] == "sqlite"
        for tier in ("naive", "optimized", "values", "db-json"):
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


def markdown_page(
    runs: list[BenchRun],
    *,
    chart_path: str | None = None,
    loadtest: dict[str, Any] | None = None,
) -> str:
    n = headline_size(runs[0])
    out = [
        "# Benchmarks",
        "",
        "<!-- Generated by `make bench` (querylab/bench/report.py) from the JSON of its runs. "
        "Do not edit by hand. -->",
        "",
        "Every figure here is measured by `python manage.py bench` and written by it. Requests go "
        "through Django's WSGI handler with DEBUG off and without the development middleware; "
        "each tier is requested once to warm up and once with the query capture on (the count), "
        "then timed with the tiers interleaved, so counting never slows a timed request. Times "
        "are medians. This machine is shared and noisy: read the ratios measured within one run, "
        "not absolute times across runs.",
        "",
        "## Machines",
        "",
        "| | " + " | ".join(database_name(run) for run in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for key in ("date", "python", "django", "cpu", "cpu_count", "platform", "cache"):
        out.append(f"| {key} | " + " | ".join(str(run.environment[key]) for run in runs) + " |")
    out.append(
        "| sizes, timed runs | "
        + " | ".join(f"{', '.join(map(str, r.sizes))}; {r.repeat}" for r in runs)
        + " |"
    )
    out += ["", f"## Targets (N = {n})", ""]
    out += ["| target | goal | " + " | ".join(database_name(run) for run in runs) + " |"]
    out += ["|---|---|" + "---|" * len(runs)]
    per_run = [targets(run) for run in runs]
    for index, target in enumerate(per_run[-1]):
        cells = []
        for run_targets in per_run:
            other = run_targets[index] if index < len(run_targets) else None
            cells.append(_target_cell(other) if other else NOT_MEASURED)
        goal = (
            "all equal"
            if target.name.startswith("optimized query counts")
            else f"≥ {target.goal:g}x"
        )
        out.append(f"| {target.name} | {goal} | " + " | ".join(cells) + " |")
    missed = [(run, t) for run, ts in zip(runs, per_run, strict=True) for t in ts if t.met is False]
    if missed:
        out += ["", "Missed, with what was measured:", ""]
        out += [
            f"- {database_name(run)}, {t.name}: {_ratio(t.measured)}. {t.detail}."
            for run, t in missed
        ]
    out += ["", f"## Naive against optimized at N = {n} (JSON endpoints)", ""]
    out += _headline_table(runs)
    if chart_path:
        out += ["", "## Time against N", "", f"![post-feed: time against N]({chart_path})", ""]
        out.append(
            "Log-log axes: a line rising with slope one is time proportional to N (the N+1); "
            "the optimized lines rise only with the rows rendered."
        )
    out += ["", "## Tiers past the ORM", ""]
    out += _tiers_table(runs, n)
    out += [
        "",
        "`values` builds the feed from `values()` rows and `db-json` has PostgreSQL build each "
        "row's JSON (`blog/feed_tiers.py`); `cached` is a warm hit of the versioned stats cache. "
        "The serializer figure takes the same 100 loaded posts through DRF "
        "(`ModelSerializer` + `JSONRenderer`) and Pydantic (`TypeAdapter` validate + "
        "`dump_json`), with no database or request around them. The export's peak is what "
        "Python allocated while one request exported every row (tracemalloc), each variant in "
        "a fresh process of its own (`manage.py bench_export_memory`).",
    ]
    if loadtest:
        out += ["", "## Under load", "", *_loadtest_section(loadtest)]
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
        ".venv/bin/python manage.py bench --sizes 10,100 --cases post-feed,post-list --repeat 5",
        "```",
        "",
        "`bench` builds each data set in a database of its own (created and dropped like a test "
        "database), so it never touches the data `make run` serves. Write cases run in-process "
        "inside a transaction that is rolled back, as in the lab.",
        "",
    ]
    return "\n".join(out)


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
    runs = list(loadtest["variants"].items())
    writes = loadtest.get("writes")
    if writes:
        runs.append(("writes", writes))
    for variant, result in runs:
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
    return lines


def _target_cell(target: Target) -> str:
    if target.measured is None:
        return "not measured"
    if target.name.startswith("optimized query counts"):
        return "met" if target.met else "**missed**: " + target.detail
    return f"{_ratio(target.measured)}" + ("" if target.met else " **missed**")


def _headline_table(runs: list[BenchRun]) -> list[str]:
    head = "| case | " + " | ".join(f"{database_name(run)} queries | time" for run in runs) + " |"
    lines = [head, "|---|" + "---|---|" * len(runs)]
    for case in HEADLINE_CASES:
        cells = []
        for run in runs:
            naive, optimized = sample(run, case, "naive"), sample(run, case, "optimized")
            if naive is None or optimized is None:
                cells += [NOT_MEASURED, NOT_MEASURED]
                continue
            cells.append(f"{naive.queries} → {optimized.queries}")
            cells.append(
                f"{naive.median_ms:.1f} → {optimized.median_ms:.1f} ms "
                f"(**{_ratio(speedup(run, case, 'naive', 'optimized'))}**)"
            )
        lines.append(f"| `{case}` | " + " | ".join(cells) + " |")
    return lines


def _tiers_table(runs: list[BenchRun], n: int) -> list[str]:
    lines = ["| case | tier | " + " | ".join(f"{database_name(run)}" for run in runs) + " |"]
    lines.append("|---|---|" + "---|" * len(runs))
    for case, tiers in (
        ("post-feed", ("naive", "optimized", "values", "db-json")),
        ("stats", ("naive", "optimized", "cached")),
    ):
        for tier in tiers:
            cells = []
            for run in runs:
                found = sample(run, case, tier)
                ratio = speedup(run, case, "naive", tier) if tier != "naive" else None
                versus = f" ({_ratio(ratio)} vs naive)" if ratio else ""
                cells.append(
                    NOT_MEASURED
                    if found is None
                    else f"{found.queries} queries, {found.median_ms:.2f} ms{versus}"
                )
            lines.append(f"| `{case}` | {tier} | " + " | ".join(cells) + " |")
    serializer_cells, export_cells = [], []
    for run in runs:
        serializer, memory = run.extras.get("serializer"), run.extras.get("memory")
        serializer_cells.append(
            f"{serializer['rows']} posts: {serializer['drf_ms']:.2f} → "
            f"{serializer['pydantic_ms']:.2f} ms "
            f"({_ratio(serializer['drf_ms'] / serializer['pydantic_ms'])}), same output: "
            f"{'yes' if serializer['same_output'] else 'NO'}"
            if serializer
            else NOT_MEASURED
        )
        export_cells.append(
            f"{memory['rows']:,} rows: peak {_mib(memory['list']['peak_bytes'])} → "
            f"{_mib(memory['streaming']['peak_bytes'])}"
            if memory
            else NOT_MEASURED
        )
    lines.append("| serializer only | DRF → Pydantic | " + " | ".join(serializer_cells) + " |")
    lines.append("| export | list → streaming | " + " | ".join(export_cells) + " |")
    return lines


def _full_table(run: BenchRun) -> list[str]:
    lines = [
        "| case | tier | surface | N | queries | median ms | min | max | db ms | rows | vs naive |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for found in run.samples:
        naive = sample(run, found.case, "naive", size=found.size, surface=found.surface)
        ratio = (
            naive.median_ms / found.median_ms
            if naive and found.tier != "naive" and found.median_ms > 0
            else None
        )
        lines.append(
            f"| {found.case} | {found.tier} | {found.surface} | {found.size} | {found.queries} | "
            f"{found.median_ms:.2f} | {found.min_ms:.2f} | {found.max_ms:.2f} | "
            f"{found.database_ms:.2f} | {found.rows} | "
            f"{_ratio(ratio) if ratio else ''} |"
        )
    return lines


def readme_block(runs: list[BenchRun]) -> str:
    """The README's headline: each database's naive/optimized ratio on the feed and list."""
    parts = []
    for run in runs:
        figures = ", ".join(
            f"`{case}` {_ratio(speedup(run, case, 'naive', 'optimized'))}"
            for case in ("post-feed", "post-list", "user-directory")
            if speedup(run, case, "naive", "optimized") is not None
        )
        parts.append(f"{database_name(run)}: {figures}")
    n = headline_size(runs[0])
    return (
        f"{README_START}\nMeasured by `make bench` at N = {n} (naive time / optimized time, "
        f"JSON endpoints): {'; '.join(parts)}. Details, targets and how they were measured: "
        f"[docs/benchmarks.md](docs/benchmarks.md).\n{README_END}"
    )


def replace_readme_block(readme: str, block: str) -> str:
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(readme):
        raise ValueError(f"README has no {README_START} ... {README_END} block")
    return pattern.sub(lambda _: block, readme)
