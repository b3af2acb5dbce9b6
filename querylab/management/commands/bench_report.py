"""`manage.py bench_report`: the published page from the JSON of `bench` runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from querylab.bench.latency import latency_chart, latency_runs
from querylab.bench.report import markdown_page, readme_block, replace_readme_block, time_chart
from querylab.bench.run import BenchRun


class Command(BaseCommand):
    help = (
        "Write docs/benchmarks.md, its chart and the README's headline from bench runs' JSON; "
        "--check fails when they differ from what the JSON gives."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("runs", nargs="+", type=Path, help="JSON files written by bench --json")
        parser.add_argument("--markdown", type=Path, default=Path("docs/benchmarks.md"))
        parser.add_argument("--svg", type=Path, default=Path("docs/benchmarks/post-feed.svg"))
        parser.add_argument("--latency-svg", type=Path, default=Path("docs/benchmarks/latency.svg"))
        parser.add_argument("--readme", type=Path, default=Path("README.md"))
        parser.add_argument(
            "--loadtest",
            type=Path,
            default=Path("docs/benchmarks/loadtest.json"),
            help="the figures of `make loadtest`, put on the page when the file exists",
        )
        parser.add_argument(
            "--previous",
            type=Path,
            default=Path("docs/benchmarks/previous"),
            help="a folder with the run before's JSON, under the same names, to compare with",
        )
        parser.add_argument("--check", action="store_true", help="compare, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        base = Path(settings.BASE_DIR)
        earlier = [base / options["previous"] / path.name for path in options["runs"]]
        try:
            runs = [BenchRun.from_json((base / path).read_text()) for path in options["runs"]]
            previous = [BenchRun.from_json(path.read_text()) for path in earlier if path.exists()]
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise CommandError(f"cannot read a bench run: {error}") from None
        markdown, svg, latency_svg, readme = (
            base / options[key] for key in ("markdown", "svg", "latency_svg", "readme")
        )
        loadtest_path = base / options["loadtest"]
        try:
            loadtest = json.loads(loadtest_path.read_text()) if loadtest_path.exists() else None
        except ValueError as error:
            raise CommandError(f"cannot read {options['loadtest']}: {error}") from None
        wanted = {
            markdown: markdown_page(
                runs,
                chart_path=_relative(svg, markdown),
                loadtest=loadtest,
                previous=previous,
                latency_chart_path=_relative(latency_svg, markdown) if latency_runs(runs) else None,
            ),
            svg: time_chart(runs) + "\n",
            readme: replace_readme_block(readme.read_text(), readme_block(runs)),
        }
        if latency_runs(runs):
            wanted[latency_svg] = latency_chart(runs) + "\n"
        stale = [
            path for path, text in wanted.items() if not path.exists() or path.read_text() != text
        ]
        if options["check"]:
            if stale:
                names = ", ".join(str(path.relative_to(base)) for path in stale)
                raise CommandError(f"stale: {names}; run `make bench-report`")
            self.stdout.write("The benchmark page, chart and README headline are up to date.")
            return
        for path in stale:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wanted[path])
            self.stdout.write(f"wrote {path.relative_to(base)}")


def _relative(path: Path, page: Path) -> str:
    """How the page links to `path`: relative when it sits beside or below the page."""
    if path.is_relative_to(page.parent):
        return path.relative_to(page.parent).as_posix()
    return str(path)
