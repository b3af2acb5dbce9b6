"""Check the links in posts: where asyncio concurrency really pays, waiting on other servers.

Unlike queries on the one database connection, requests to other hosts can overlap: a hundred
links that take a second each finish in about a hundred over the concurrency, not a hundred
seconds. A semaphore bounds how many run at once (be polite to the hosts and to this process),
every request has a timeout, one failure never cancels the others (`return_exceptions=True`),
and background checks are tracked so a shutdown can wait for them or cancel them cleanly.

The URLs come from post bodies, which users write: only operators (the `check_links` command)
and staff (the API endpoint) may start a check, since it makes this server fetch what it is told.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
DEFAULT_CONCURRENCY = 10
DEFAULT_TIMEOUT = 5.0


def links_in(texts: Iterable[str]) -> list[str]:
    """Every distinct http(s) URL in the texts, in order of first appearance."""
    found: dict[str, None] = {}
    for text in texts:
        for match in URL.finditer(text):
            found.setdefault(match.group().rstrip(".,;:!?"), None)
    return list(found)


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None
    error: str | None
    milliseconds: float

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


class LinkChecker:
    """Checks URLs at most `concurrency` at a time, each within `timeout` seconds."""

    def __init__(
        self,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._semaphore = asyncio.Semaphore(concurrency)
        self._timeout = httpx.Timeout(timeout)
        self._transport = transport
        self._background: set[asyncio.Task[list[LinkResult]]] = set()
        self.in_flight = 0
        self.most_in_flight = 0

    async def check_all(self, urls: Iterable[str]) -> list[LinkResult]:
        """Check every URL concurrently (within the bound); results in the order given."""
        async with httpx.AsyncClient(
            timeout=self._timeout, follow_redirects=True, transport=self._transport
        ) as client:
            url_list = list(urls)
            outcomes = await asyncio.gather(
                *(self._check(client, url) for url in url_list), return_exceptions=True
            )
        return [
            outcome
            if isinstance(outcome, LinkResult)
            else LinkResult(url, None, type(outcome).__name__, 0.0)
            for url, outcome in zip(url_list, outcomes, strict=True)
        ]

    async def _check(self, client: httpx.AsyncClient, url: str) -> LinkResult:
        async with self._semaphore:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            started = time.perf_counter()
            try:
                response = await client.head(url)
                if response.status_code == 405:  # some servers refuse HEAD
                    response = await client.get(url)
                status, error = response.status_code, None
            except httpx.HTTPError as exc:
                status, error = None, type(exc).__name__
            finally:
                self.in_flight -= 1
            return LinkResult(url, status, error, (time.perf_counter() - started) * 1000)

    def start(self, urls: Iterable[str]) -> asyncio.Task[list[LinkResult]]:
        """Check in the background; the task is tracked until it ends, so `drain()` sees it."""
        task = asyncio.create_task(self.check_all(list(urls)))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    @property
    def running(self) -> int:
        return len(self._background)

    async def drain(self, *, timeout: float) -> None:
        """On shutdown: let background checks finish for up to `timeout` seconds, then cancel
        what is left and wait for the cancellations, so nothing is abandoned mid-request."""
        if not self._background:
            return
        _, pending = await asyncio.wait(set(self._background), timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
