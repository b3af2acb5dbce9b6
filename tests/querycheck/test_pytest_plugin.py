"""`querycheck.pytest_plugin`: its markers, option and ini settings, seen from a real pytest run.

One subprocess runs a small test module with the plugin loaded and nothing else of this suite's
configuration; each test here reads one outcome or one printed section of that run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.subprocesses import run_python

PROJECT_DIR = Path(settings.BASE_DIR)

INNER_TESTS = """
import pytest
from blog.models import Post
from querylab.measure import render_page
from querylab.registry import CASES_BY_SLUG
from querylab.datasets import build_data
from users.models import User

FEED = CASES_BY_SLUG["post-feed"]


def feed(variant):
    build_data("posts", 5)
    return FEED.page_url(variant, FEED.target(5), limit=5)


@pytest.mark.django_db
@pytest.mark.no_n_plus_one(limit=1)
def test_marked_optimized():
    render_page(feed("optimized"))


@pytest.mark.django_db
@pytest.mark.no_n_plus_one
def test_marked_naive():
    render_page(feed("naive"))


@pytest.mark.django_db
@pytest.mark.no_n_plus_one(limit=1)
def test_marked_fixture_queries_do_not_count(make_five):
    pass


@pytest.fixture
def make_five(db):
    for _ in range(5):
        Post.objects.exists()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.no_n_plus_one
async def test_marked_async_naive():
    from asgiref.sync import sync_to_async
    from django.db import connections
    await sync_to_async(build_data)("posts", 5)
    try:
        [await User.objects.aget(pk=p.author_id) async for p in Post.objects.all()]
    finally:
        await sync_to_async(connections.close_all)()


@pytest.mark.django_db
@pytest.mark.print_queries
def test_printed(client):
    client.get(feed("naive"))


@pytest.mark.django_db
def test_client_optimized(client):
    build_data("posts", 5)
    assert client.get("/api/v1/posts/?limit=5").status_code == 200


@pytest.mark.django_db
def test_client_naive_not_exempt(client):
    build_data("posts", 5)
    assert client.get("/api/v1/naive/post-list/?limit=5").status_code == 200


@pytest.mark.django_db
def test_client_naive_exempt_path(client):
    build_data("posts", 5)
    assert client.get("/naive/post-feed/?limit=5").status_code == 200


@pytest.mark.django_db
@pytest.mark.allow_n_plus_one
def test_client_naive_allowed(client):
    build_data("posts", 5)
    assert client.get("/api/v1/naive/post-feed/?limit=5").status_code == 200


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_async_client_naive_not_exempt(async_client):
    from asgiref.sync import sync_to_async
    from django.db import connections
    await sync_to_async(build_data)("posts", 5)
    try:
        await async_client.get("/api/v1/naive/post-list/?limit=5")
    finally:
        await sync_to_async(connections.close_all)()
"""

INI = """
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
n_plus_one_requests = true
n_plus_one_exempt_paths =
    /lab/
    /naive/post-feed/
"""


@pytest.fixture(scope="module")
def inner_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plugin_run")
    (folder / "test_inner.py").write_text(INNER_TESTS)
    (folder / "pytest.ini").write_text(INI)
    return folder


def run_inner(folder: Path, *options: str) -> str:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k
            not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "DATABASE_PGBOUNCER_URL", "REDIS_URL"}
        },
        "PYTHONPATH": str(PROJECT_DIR),
    }
    result = run_python(
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "--ds=config.settings.test",
        "-rA",
        "--tb=short",
        *options,
        "test_inner.py",
        cwd=folder,
        env=env,
    )
    assert "test_inner.py" in result.stdout, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def plugin_run(inner_folder: Path) -> str:
    return run_inner(inner_folder)


def printed_section(output: str) -> str:
    return output.split("= queries per test =")[1].split(" short test summary info ", maxsplit=1)[0]


def outcome(output: str, test: str) -> str:
    found = re.search(rf"^(PASSED|FAILED|ERROR) test_inner\.py::{test}\b", output, re.M)
    assert found, f"no outcome for {test} in:\n{output}"
    return found[1]


def failure(output: str, test: str) -> str:
    """The failure section pytest printed for one test."""
    sections = re.split(r"^_{3,} (\S+) _{3,}$", output, flags=re.M)
    found = dict(zip(sections[1::2], sections[2::2], strict=True))
    assert test in found, f"no failure section for {test}"
    return found[test]


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        pytest.param("test_marked_optimized", "PASSED", id="marker-passes-optimized"),
        pytest.param("test_marked_naive", "FAILED", id="marker-fails-naive"),
        pytest.param("test_marked_fixture_queries_do_not_count", "PASSED", id="marker-body-only"),
        pytest.param("test_marked_async_naive", "FAILED", id="marker-fails-async-naive"),
        pytest.param("test_printed", "PASSED", id="print-never-fails"),
        pytest.param("test_client_optimized", "PASSED", id="requests-pass-optimized"),
        pytest.param("test_client_naive_not_exempt", "FAILED", id="requests-fail-naive"),
        pytest.param("test_client_naive_exempt_path", "PASSED", id="requests-exempt-path"),
        pytest.param("test_client_naive_allowed", "PASSED", id="requests-allow-marker"),
        pytest.param("test_async_client_naive_not_exempt", "FAILED", id="async-requests-fail"),
    ],
)
def test_outcomes(plugin_run: str, test: str, expected: str) -> None:
    assert outcome(plugin_run, test) == expected


def test_the_marker_names_the_shape_and_the_app_line(plugin_run: str) -> None:
    section = failure(plugin_run, "test_marked_naive")

    assert "NPlusOneError: N+1: a query shape ran more than 3 times in one block:" in section
    assert 'x5 SELECT COUNT(*) AS "__count" FROM "blog_comment"' in section
    assert "issued from blog/selectors/pairs.py:" in section


def test_the_request_guard_names_the_app_line(plugin_run: str) -> None:
    section = failure(plugin_run, "test_client_naive_not_exempt")

    assert "NPlusOneError" in section
    assert 'x5 SELECT "users_user"' in section
    # Pydantic reading the lazy relations while it serializes the rows: that is where they load.
    assert "issued from core/api.py:" in section


def test_print_queries_prints_the_grouped_queries_at_the_end(plugin_run: str) -> None:
    printed = printed_section(plugin_run)

    assert printed.splitlines()[1] == "test_inner.py::test_printed"
    assert re.search(r"^\d+ queries in \d+ shapes, [\d.]+ ms:$", printed, re.M)
    assert re.search(r'^  x5 +[\d.]+ ms  SELECT COUNT\(\*\) AS "__count"', printed, re.M)
    # Only the marked test is printed without --print-queries.
    assert "test_inner.py::test_marked_optimized" not in printed


@pytest.mark.parametrize(
    "workers",
    [pytest.param([], id="one process"), pytest.param(["-n", "2"], id="pytest-xdist workers")],
)
def test_the_option_prints_every_test(inner_folder: Path, workers: list[str]) -> None:
    output = run_inner(
        inner_folder, *workers, "--print-queries", "-k", "marked_optimized or printed"
    )

    printed = printed_section(output)
    assert sorted(re.findall(r"^test_inner\.py::\S+$", printed, re.M)) == [
        "test_inner.py::test_marked_optimized",
        "test_inner.py::test_printed",
    ]
