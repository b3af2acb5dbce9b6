"""Browser tests: Debian's Chromium driven by Playwright, against the site as `make run` serves it
(runserver, the local settings, the toolbar, the seed's demo data) and as production serves it
(gunicorn, tests/browser/production_settings.py), each on a throwaway SQLite database.

With BROWSER_SCREENSHOTS set to a folder, the tour's tests save their screenshots there (`make
test-browser` writes docs/tour/, which the README shows), so the pictures come from the run that
proves what they show.

Marked `browser`: skipped with a reason where Chromium or Playwright is missing (`make test` on a
machine without them), required by `make test-services` (.ci/run installs Chromium). Playwright's
own browser download is never used: `CHROMIUM` (default /usr/bin/chromium) is launched headless.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import (
    PROJECT_DIR,
    PROXY_HEADERS,
    gunicorn,
    local_environment,
    production_environment,
    runserver,
)
from tests.subprocesses import run_python

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # This machine's network is closed: no background calls to Google's services.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Collects every Content Security Policy violation the page reports, before its own scripts run.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def chromium_path() -> str:
    return os.environ.get("CHROMIUM", "/usr/bin/chromium")


def browser_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(chromium_path()).exists()


@pytest.fixture(scope="session")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn under the production settings (static files from the apps' folders); its URL."""
    tmp = tmp_path_factory.mktemp("production-server")
    (tmp / "static").mkdir()  # WhiteNoise warns about a missing STATIC_ROOT; finders serve
    env = production_environment(
        DJANGO_SETTINGS_MODULE="tests.browser.production_settings",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
    )
    migrated = run_python("manage.py", "migrate", "--noinput", cwd=PROJECT_DIR, env=env)
    assert migrated.returncode == 0, migrated.stderr
    with gunicorn(env) as base:
        yield base


@pytest.fixture(scope="session")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site as `make run` serves it: migrated, seeded with the default demo data, runserver
    under the local settings (the toolbar shows to loopback clients); its URL."""
    tmp = tmp_path_factory.mktemp("local-server")
    env = local_environment(DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}")
    for command in (["migrate", "--noinput"], ["seed", "--if-empty"]):
        done = run_python("manage.py", *command, cwd=PROJECT_DIR, env=env)
        assert done.returncode == 0, done.stderr
    with runserver(env) as base:
        yield base


@pytest.fixture
def screenshot() -> Any:
    """Save a page's screenshot as `name`.png in BROWSER_SCREENSHOTS, when it is set."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")

    def save(page: Any, name: str, *, full_page: bool = False) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)

    return save


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page that reaches the app as the TLS proxy would forward it (so the production
    settings do not redirect to https), recording CSP violations and console errors."""
    context = chromium.new_context(
        extra_http_headers=PROXY_HEADERS, viewport={"width": 1280, "height": 860}
    )
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
