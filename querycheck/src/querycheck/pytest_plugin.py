"""The query assertions of `querycheck.testing` as a pytest plugin: markers, an option, ini
settings. Installed, it loads itself (a `pytest11` entry point); otherwise load it with
`pytest_plugins = ["querycheck.pytest_plugin"]` in a conftest. It adds:

- `@pytest.mark.no_n_plus_one(limit=3)`: the test fails when one query shape repeats more than
  `limit` times while its body runs (fixtures are not counted), naming the app line behind it;
- `@pytest.mark.print_queries`, or `--print-queries` for every test: capture without failing and
  print each test's queries grouped by shape at the end of the run;
- `@pytest.mark.strict_loading`: any lazy relation or deferred-field load in the test body raises
  LazyLoadError, naming the relation, the app line and the fix (`querycheck.strict_loading`);
- `querycheck_app_packages = shop config` (ini): the top-level packages that are your code, for
  the file:line each query is attributed to (`querycheck.capture.configure`);
- `n_plus_one_requests = true` (ini): every request made with Django's test `Client` or
  `AsyncClient` runs under the N+1 guard, except paths containing one of `n_plus_one_exempt_paths`
  and tests marked `@pytest.mark.allow_n_plus_one`. `n_plus_one_limit` sets the repeats allowed;
- `strict_loading_requests = true` (ini): every such request also runs under strict loading, with
  the same exempt paths and marker, plus `strict_loading_exempt_paths` (pages whose framework
  loads one object's relations lazily by design, such as the admin's change forms).

Every one of them sees queries on any thread, so they work in `async def` tests too.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import ExitStack
from typing import Any

import pytest
from django.test import AsyncClient, Client

from .capture import capture_queries, configure
from .relations import strict_loading
from .testing import DEFAULT_REPEAT_LIMIT, check_repeats, no_n_plus_one

# The report travels in the test report's user_properties, so under pytest-xdist it reaches the
# controller process that prints the summary.
_PROPERTY = "querycheck_queries"

MARKERS = [
    "no_n_plus_one(limit=3): fail when one query shape repeats more than `limit` times in the test",
    "print_queries: print the test's queries grouped by shape at the end of the run",
    "allow_n_plus_one: exempt the test's client requests from the n_plus_one_requests guard "
    "and from strict_loading_requests",
    "strict_loading: any lazy relation or deferred-field load in the test raises LazyLoadError",
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
        "strict_loading_requests",
        type="bool",
        default=False,
        help="Run every test-client request under strict loading (exempt paths aside).",
    )
    parser.addini(
        "strict_loading_exempt_paths",
        type="linelist",
        default=[],
        help="Request paths containing any of these are not run under strict loading.",
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
    if item.get_closest_marker("strict_loading"):
        with strict_loading():
            return (yield from _guarded_call(item))
    return (yield from _guarded_call(item))


def _guarded_call(item: pytest.Item) -> Generator[None, Any, Any]:
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
    counting = config.getini("n_plus_one_requests")
    strict = config.getini("strict_loading_requests")
    if not (counting or strict) or request.node.get_closest_marker("allow_n_plus_one"):
        return
    exempt = tuple(config.getini("n_plus_one_exempt_paths"))
    lenient = (*exempt, *config.getini("strict_loading_exempt_paths"))
    limit = int(config.getini("n_plus_one_limit"))

    def guards(path: str) -> ExitStack:
        stack = ExitStack()
        if counting and not any(part in path for part in exempt):
            stack.enter_context(no_n_plus_one(limit=limit))
        if strict and not any(part in path for part in lenient):
            stack.enter_context(strict_loading())
        return stack

    sync_request = Client.request
    async_request = AsyncClient.request

    def request_under_guard(self: Client, **environ: Any) -> Any:
        with guards(environ.get("PATH_INFO", "")):
            return sync_request(self, **environ)

    async def arequest_under_guard(self: AsyncClient, **scope: Any) -> Any:
        with guards(scope.get("path", "")):
            return await async_request(self, **scope)

    monkeypatch.setattr(Client, "request", request_under_guard)
    monkeypatch.setattr(AsyncClient, "request", arequest_under_guard)
