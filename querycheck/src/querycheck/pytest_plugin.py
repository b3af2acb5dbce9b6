"""The query assertions of `querycheck.testing` as a pytest plugin: markers, an option, ini
settings. Installed, it loads itself (a `pytest11` entry point); otherwise load it with
`pytest_plugins = ["querycheck.pytest_plugin"]` in a conftest. It adds:

- `@pytest.mark.no_n_plus_one(limit=3)`: the test fails when one query shape repeats more than
  `limit` times while its body runs (fixtures are not counted), naming the app line behind it;
- `@pytest.mark.print_queries`, or `--print-queries` for every test: capture without failing and
  print each test's queries grouped by shape at the end of the run;
- `querycheck_app_packages = shop config` (ini): the top-level packages that are your code, for
  the file:line each query is attributed to (`querycheck.capture.configure`);
- `n_plus_one_requests = true` (ini): every request made with Django's test `Client` or
  `AsyncClient` runs under the N+1 guard, except paths containing one of `n_plus_one_exempt_paths`
  and tests marked `@pytest.mark.allow_n_plus_one`. `n_plus_one_limit` sets the repeats allowed.

Every one of them sees queries on any thread, so they work in `async def` tests too.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from django.test import AsyncClient, Client

from .capture import capture_queries, configure
from .testing import DEFAULT_REPEAT_LIMIT, check_repeats, no_n_plus_one

# The report travels in the test report's user_properties, so under pytest-xdist it reaches the
# controller process that prints the summary.
_PROPERTY = "querycheck_queries"

MARKERS = [
    "no_n_plus_one(limit=3): fail when one query shape repeats more than `limit` times in the test",
    "print_queries: print the test's queries grouped by shape at the end of the run",
    "allow_n_plus_one: exempt the test's client requests from the n_plus_one_requests guard",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "querycheck_app_packages",
        type="args",
        default=[],
        help="Top-level packages that are your code, for the origin of each query.",
    )
    parser.getgroup("querycheck", "query assertions").addoption(
        "--print-queries",
        action="store_true",
        help="Print every test's queries, grouped by shape, at the end of the run.",
    )
    parser.addini(
        "n_plus_one_requests",
        type="bool",
        default=False,
        help="Run every test-client request under the N+1 guard.",
    )
    parser.addini(
        "n_plus_one_exempt_paths",
        type="linelist",
        default=[],
        help="Request paths containing any of these are not guarded (naive variants on purpose).",
    )
    parser.addini(
        "n_plus_one_limit",
        type="string",
        default=str(DEFAULT_REPEAT_LIMIT),
        help="How often one query shape may run in a guarded request.",
    )


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    config.pluginmanager.register(PrintedQueries(), "querycheck-printed-queries")
    packages = config.getini("querycheck_app_packages")
    configure(app_packages=packages or None)


class PrintedQueries:
    """Collects the printed-queries reports from test reports and prints them at the end."""

    def __init__(self) -> None:
        self.reports: list[tuple[str, str]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.reports += [
                (report.nodeid, str(value))
                for name, value in report.user_properties
                if name == _PROPERTY
            ]

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.reports:
            return
        terminalreporter.write_sep("=", "queries per test")
        for nodeid, report in self.reports:
            terminalreporter.write_line(nodeid, bold=True)
            terminalreporter.write_line(report)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    guard = item.get_closest_marker("no_n_plus_one")
    printing = item.config.getoption("--print-queries") or item.get_closest_marker("print_queries")
    if guard is None and not printing:
        return (yield)
    with capture_queries() as captured:
        try:
            outcome = yield
        finally:
            if printing:
                item.user_properties.append((_PROPERTY, captured.report()))
    if guard is not None:
        check_repeats(captured.queries, limit=guard.kwargs.get("limit", DEFAULT_REPEAT_LIMIT))
    return outcome


@pytest.fixture(autouse=True)
def _n_plus_one_guarded_requests(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = request.config
    if not config.getini("n_plus_one_requests"):
        return
    if request.node.get_closest_marker("allow_n_plus_one"):
        return
    exempt = tuple(config.getini("n_plus_one_exempt_paths"))
    limit = int(config.getini("n_plus_one_limit"))

    def guarded(path: str) -> bool:
        return not any(part in path for part in exempt)

    sync_request = Client.request
    async_request = AsyncClient.request

    def request_under_guard(self: Client, **environ: Any) -> Any:
        if not guarded(environ.get("PATH_INFO", "")):
            return sync_request(self, **environ)
        with no_n_plus_one(limit=limit):
            return sync_request(self, **environ)

    async def arequest_under_guard(self: AsyncClient, **scope: Any) -> Any:
        if not guarded(scope.get("path", "")):
            return await async_request(self, **scope)
        with no_n_plus_one(limit=limit):
            return await async_request(self, **scope)

    monkeypatch.setattr(Client, "request", request_under_guard)
    monkeypatch.setattr(AsyncClient, "request", arequest_under_guard)
