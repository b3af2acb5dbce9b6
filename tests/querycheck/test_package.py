"""querycheck works in any Django project: a minimal one is made in a temporary folder (its own
settings, one app, two models, a view with an N+1 and one without), and pytest runs there with
only pytest-django and querycheck loaded. This project's code is not importable there: what
passes proves the package stands alone.
"""

from __future__ import annotations

import os
import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tests.subprocesses import run_python

SETTINGS = """
SECRET_KEY = "a-minimal-project"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
ROOT_URLCONF = "urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""
MODELS = """
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)


class Book(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
VIEWS = """
from django.http import HttpResponse

from .models import Book


def book_list_naive():
    return [f"{book.title} by {book.author.name}" for book in Book.objects.order_by("id")]


def book_list_optimized():
    books = Book.objects.select_related("author").order_by("id")
    return [f"{book.title} by {book.author.name}" for book in books]


def books(request):
    return HttpResponse("\\n".join(book_list_naive()))
"""
URLS = """
from django.urls import path

from shop.views import books

urlpatterns = [path("books/", books)]
"""
PYTEST_INI = """
[pytest]
DJANGO_SETTINGS_MODULE = settings
querycheck_app_packages = shop
n_plus_one_requests = true
n_plus_one_limit = 2
"""
TESTS = """
import pytest
from querycheck import (
    applying,
    assert_constant_queries,
    assert_num_queries,
    capture_queries,
    no_n_plus_one,
)

from shop.models import Author, Book
from shop.views import book_list_naive, book_list_optimized


def make_books(n):
    for i in range(n):
        Book.objects.create(title=f"Book {i}", author=Author.objects.create(name=f"A{i}"))


@pytest.mark.django_db
def test_constant_naive():
    assert_constant_queries([1, 5], make_books, lambda _: book_list_naive())


@pytest.mark.django_db
def test_constant_optimized():
    assert_constant_queries([1, 5, 20], make_books, lambda _: book_list_optimized(), expected=1)


@pytest.fixture
def four_books(db):
    make_books(4)


@pytest.mark.no_n_plus_one(limit=1)
def test_marker_naive(four_books):
    book_list_naive()


@pytest.mark.no_n_plus_one(limit=1)
def test_marker_optimized(four_books):
    book_list_optimized()


def test_guarded_request(client, four_books):
    client.get("/books/")


@pytest.mark.django_db
def test_exact_count():
    make_books(3)
    with assert_num_queries(1):
        book_list_optimized()


@pytest.mark.strict_loading
def test_strict_naive(four_books):
    book_list_naive()


@pytest.mark.strict_loading
def test_strict_optimized(four_books):
    book_list_optimized()


@pytest.mark.django_db
def test_the_suggested_fix_makes_the_naive_list_flat():
    make_books(3)
    with capture_queries() as captured:
        book_list_naive()
    fixes = {query.load.fix() for query in captured.queries if query.load}
    assert [fix.text for fix in fixes] == ["select_related('author') on the Book queryset"]
    with applying(fixes):
        assert_constant_queries([1, 5, 20], make_books, lambda _: book_list_naive(), expected=1)


def test_no_reference_project_here():
    import importlib.util

    for package in ("blog", "users", "core", "querylab", "config"):
        assert importlib.util.find_spec(package) is None, package
"""
EXPECTED = {
    "test_constant_naive": "FAILED",
    "test_constant_optimized": "PASSED",
    "test_marker_naive": "FAILED",
    "test_marker_optimized": "PASSED",
    "test_guarded_request": "FAILED",
    "test_exact_count": "PASSED",
    "test_strict_naive": "FAILED",
    "test_strict_optimized": "PASSED",
    "test_the_suggested_fix_makes_the_naive_list_flat": "PASSED",
    "test_no_reference_project_here": "PASSED",
}


@pytest.fixture(scope="module")
def minimal_project_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("minimal-project")
    (folder / "shop").mkdir()
    for name, text in {
        "settings.py": SETTINGS,
        "urls.py": URLS,
        "pytest.ini": PYTEST_INI,
        "test_shop.py": TESTS,
        "shop/__init__.py": "",
        "shop/models.py": MODELS,
        "shop/views.py": VIEWS,
    }.items():
        (folder / name).write_text(text)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_", "PYTHONPATH"))
    }
    # Only the two plugins a team would add: no hypothesis, xdist or this project's conftest.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    result = run_python(
        "-m", "pytest", "-p", "pytest_django.plugin", "-p", "querycheck.pytest_plugin",
        "-p", "no:cacheprovider", "-rA", "--tb=short", "test_shop.py",
        cwd=folder, env=env,
    )  # fmt: skip
    assert "test_shop.py" in result.stdout, result.stdout + result.stderr
    return result.stdout


def outcome(run: str, test: str) -> str:
    found = re.search(rf"^(PASSED|FAILED|ERROR) test_shop.py::{test}\b", run, re.M)
    assert found, run
    return found.group(1)


def test_each_check_fails_on_the_n_plus_one_and_passes_without_it(minimal_project_run) -> None:
    assert {test: outcome(minimal_project_run, test) for test in EXPECTED} == EXPECTED


def test_the_failures_name_the_line_of_the_apps_code(minimal_project_run) -> None:
    assert "QueryCountChangedError" in minimal_project_run
    assert "grew" in minimal_project_run
    assert "NPlusOneError" in minimal_project_run
    assert re.search(r"issued from shop/views\.py:\d+ in ", minimal_project_run)
    assert "loads Book.author lazily" in minimal_project_run
    assert "fix: select_related('author') on the Book queryset" in minimal_project_run
    assert re.search(
        r"LazyLoadError: Book\.author loaded lazily under strict loading, at shop/views\.py:\d+",
        minimal_project_run,
    )


def test_installed_the_plugin_loads_itself() -> None:
    plugins = {entry.name: entry.value for entry in entry_points(group="pytest11")}

    assert plugins.get("querycheck") == "querycheck.pytest_plugin"


def test_the_readme_shows_the_install_the_ini_and_three_examples() -> None:
    readme = (Path(__file__).resolve().parents[2] / "querycheck" / "README.md").read_text()

    assert "pip install" in readme
    assert "querycheck_app_packages" in readme
    assert len(re.findall(r"^# \d\. ", readme, re.M)) == 3
