"""The bench page's "database across a network" section: naive against optimized for the main
read cases, with the database on loopback and through the latency proxy, as a table and a
chart of the ratio against the measured round trip."""

from __future__ import annotations

import statistics
from typing import Any

from ..charts import Series, line_chart
from .figures import Spread, round_ratios, spread
from .run import BenchRun

COLOURS = {"post-feed": "#c0392b", "post-list": "#2471a3", "post-detail": "#1e8449"}


def latency_runs(runs: list[BenchRun]) -> list[BenchRun]:
    return [run for run in runs if (run.extras.get("latency") or {}).get("cases")]


def latency_chart(runs: list[BenchRun]) -> str:
    """Naive / optimized (median of the per-round ratios) against the measured round trip."""
    series = []
    measured = latency_runs(runs)
    for run in measured:
        for case, points in run.extras["latency"]["cases"].items():
            series.append(
                Series(
                    case,
                    COLOURS.get(case, "#555"),
                    sorted((point["round_trip_ms"], _ratio(point).median) for point in points),
                )
            )
    rows = measured[0].extras["latency"]["rows"] if measured else "?"
    return line_chart(
        series,
        title=f"naive / optimized against the database's round trip, N = {rows}",
        x_label="round trip to PostgreSQL, ms (measured: loopback, then through the proxy)",
        y_label="naive / optimized",
    )


def latency_section(runs: list[BenchRun], *, chart_path: str | None) -> list[str]:
    measured = latency_runs(runs)
    if not measured:
        return []
    run = measured[0]
    figures = run.extras["latency"]
    lines = [
        "The same JSON endpoints with PostgreSQL directly on loopback (round trip 0 set) and "
        "through querylab/latency_proxy.py, a TCP proxy in a process of its own that holds every "
        "chunk for half the round trip each way, as a network would. The round trip column is "
        f"what `SELECT 1` measured through it (the best of five). N = {figures['rows']}; median "
        "wall ms over the rounds; the ratio is per round, median [quartiles]. Each query a naive "
        "request makes waits one round trip, where the optimized request waits a fixed few: "
        "the ratio grows with the round trip towards the ratio of query counts.",
        "",
    ]
    if chart_path:
        lines += [f"![naive / optimized against the round trip]({chart_path})", ""]
    lines += [
        "| case | round trip set | measured | naive ms | optimized ms | naive / optimized |",
        "|---|---|---|---|---|---|",
    ]
    for case, points in figures["cases"].items():
        for point in points:
            lines.append(
                f"| `{case}` | {point['set_ms']:g} ms | {point['round_trip_ms']:.2f} ms | "
                f"{statistics.median(point['naive']):.1f} | "
                f"{statistics.median(point['optimized']):.1f} | {_ratio(point)} |"
            )
    return lines


def _ratio(point: dict[str, Any]) -> Spread:
    found = spread(round_ratios(point["naive"], point["optimized"]))
    if found is None:
        raise ValueError("a latency point without rounds")
    return found
