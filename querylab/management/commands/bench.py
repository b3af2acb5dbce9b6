"""`manage.py bench`: measure every case through the WSGI handler and publish the numbers."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core.worker_gc import settle_worker
from querylab.bench import extras
from querylab.bench.database import throwaway_database
from querylab.bench.report import markdown_page, succeeded, terminal_table, time_chart
from querylab.bench.run import production_like, run_bench, selected_cases

Number = TypeVar("Number", int, float)


def _comma_list(
    text: str, parse: Callable[[str], Number], *, option: str, what: str, least: Number
) -> list[Number]:
    """`text` as sorted distinct numbers, at least one, none under `least`; else a clear error."""
    try:
        numbers = sorted({parse(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise CommandError(f"{option} takes {what} separated by commas, not {text!r}") from None
    if not numbers or not all(math.isfinite(number) for number in numbers) or numbers[0] < least:
        raise CommandError(f"{option} needs at least one, each {least:g} or more")
    return numbers


def _sizes(text: str, option: str = "--sizes") -> list[int]:
    return _comma_list(text, int, option=option, what="whole numbers", least=1)


def _latencies(text: str) -> list[float]:
    return _comma_list(text, float, option="--latencies", what="milliseconds", least=0.0)


class Command(BaseCommand):
    help = (
        "Measure every case's naive and optimized variants (and the tiers past the ORM) at "
        "several sizes through the WSGI handler, on a database made for the run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", default="10,100,1000", help="N values, e.g. 10,100,1000")
        parser.add_argument("--cases", default="", help="case slugs, comma-separated (all)")
        parser.add_argument("--repeat", type=int, default=15, help="timed rounds per measurement")
        parser.add_argument("--json", type=Path, help="write the run as JSON here")
        parser.add_argument("--markdown", type=Path, help="write a results page here")
        parser.add_argument("--svg", type=Path, help="write the time-against-N chart here")
        parser.add_argument(
            "--serializer-rows",
            default="10,100,1000",
            help="posts for the serializer figure, at each of these sizes",
        )
        parser.add_argument(
            "--stats-posts", type=int, default=100, help="posts for the stats cache figure"
        )
        parser.add_argument(
            "--export-rows", type=int, default=100_000, help="rows for the export memory figure"
        )
        parser.add_argument(
            "--latencies",
            default="0,0.5,1,5",
            help="round trips in ms to put between Django and PostgreSQL (0: direct)",
        )
        parser.add_argument(
            "--latency-rows", type=int, default=25, help="rows for the latency figure"
        )
        parser.add_argument(
            "--compression-rows",
            default="100,1000",
            help="feed rows for the compression and 304 figure, at each of these sizes",
        )
        parser.add_argument(
            "--no-extras", action="store_true", help="skip the serializer and memory figures"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = _sizes(options["sizes"])
        latencies = _latencies(options["latencies"])  # refused before a minute is spent
        compression_rows = _sizes(options["compression_rows"], "--compression-rows")
        if options["repeat"] < 1:
            raise CommandError("--repeat must be 1 or more")
        try:
            cases = selected_cases(s.strip() for s in options["cases"].split(",") if s.strip())
        except ValueError as error:
            raise CommandError(str(error)) from None
        steps = len(cases) * len(sizes)
        # What a gunicorn worker does once started (config/gunicorn.py): the timings are a
        # worker's, with its garbage collector settings (core/worker_gc.py).
        settle_worker()
        with throwaway_database(), production_like():
            with tqdm(total=steps, unit="case", disable=options["verbosity"] == 0) as bar:

                def advance(step: str) -> None:
                    bar.set_postfix_str(step)
                    bar.update()

                run = run_bench(cases, sizes, repeat=options["repeat"], progress=advance)
            if not options["no_extras"]:
                run.extras["serializer"] = extras.serializer_comparison(
                    _sizes(options["serializer_rows"], "--serializer-rows"),
                    repeat=options["repeat"],
                )
                run.extras["stats"] = extras.stats_comparison(
                    options["stats_posts"], repeat=options["repeat"]
                )
                run.extras["connections"] = extras.connection_comparison(options["repeat"])
                run.extras["profiles"] = extras.feed_profiles()
                run.extras["latency"] = extras.latency_comparison(
                    latencies,
                    rows=options["latency_rows"],
                    repeat=options["repeat"],
                )
                run.extras["compression"] = extras.compression_comparison(
                    compression_rows, repeat=options["repeat"]
                )
        if not options["no_extras"]:
            self.stderr.write(
                f"Export memory, {options['export_rows']:,} rows, one process per variant..."
            )
            run.extras["memory"] = extras.export_memory(options["export_rows"])
        self.stdout.write(terminal_table(run))
        if options["json"]:
            options["json"].write_text(run.to_json())
        if options["svg"]:
            options["svg"].write_text(time_chart([run]))
        if options["markdown"]:
            chart = str(options["svg"]) if options["svg"] else None
            options["markdown"].write_text(markdown_page([run], chart_path=chart))
        failed = [s for s in run.samples if not succeeded(s)]
        if failed:
            raise CommandError(
                "non-200 responses: "
                + ", ".join(f"{s.case} {s.tier} N={s.size} HTTP {s.status}" for s in failed)
            )
