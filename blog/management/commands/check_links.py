"""`python manage.py check_links`: check every link in the published posts, concurrently."""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from blog.link_checker import (
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    LinkChecker,
    LinkResult,
    links_in,
)
from blog.models import Post

SHUTDOWN_GRACE = 2.0  # seconds in-flight checks get to finish on Ctrl-C


class Command(BaseCommand):
    help = "Check the links found in published posts, a bounded number at a time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["concurrency"] < 1 or options["timeout"] <= 0:
            raise CommandError("--concurrency must be at least 1 and --timeout positive")
        bodies = Post.objects.published().values_list("body", flat=True).iterator()
        urls = links_in(bodies)
        if not urls:
            self.stdout.write("No links in the published posts.")
            return
        checker = LinkChecker(concurrency=options["concurrency"], timeout=options["timeout"])
        results = asyncio.run(self._run(checker, urls))
        for result in results:
            outcome = result.status if result.status is not None else result.error
            self.stdout.write(f"{outcome!s:>16}  {result.milliseconds:7.0f} ms  {result.url}")
        broken = [result for result in results if not result.ok]
        self.stdout.write(
            f"{len(results)} links checked, {len(broken)} broken, "
            f"at most {checker.most_in_flight} at a time."
        )

    async def _run(self, checker: LinkChecker, urls: list[str]) -> list[LinkResult]:
        task = checker.start(urls)
        try:
            return await task
        except asyncio.CancelledError:
            await checker.drain(timeout=SHUTDOWN_GRACE)
            raise
