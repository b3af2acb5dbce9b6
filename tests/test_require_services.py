"""`--require-services` (what `make test-services` passes) forbids missing services and skips.

Each test runs pytest itself in a subprocess, on a test of this suite, and reads its exit code.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.subprocesses import run_python

PROJECT_DIR = Path(settings.BASE_DIR)
TARGET = "tests/test_services.py::test_database_is_postgresql"
SKIP_ALL_PLUGIN = """
import pytest

def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.skip(reason="skipped on purpose by the test"))
"""


def run_pytest(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python("-m", "pytest", "-p", "no:cacheprovider", *args, cwd=PROJECT_DIR, env=env)


def test_missing_services_are_a_usage_error() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "DATABASE_PGBOUNCER_URL", "REDIS_URL"}
    }

    result = run_pytest("--require-services", TARGET, env=env)

    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "DATABASE_URL must point at PostgreSQL; REDIS_URL must be set" in result.stderr


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.parametrize(
    ("options", "exit_code"),
    [([], pytest.ExitCode.OK), (["--require-services"], pytest.ExitCode.TESTS_FAILED)],
    ids=["skips-allowed", "skips-forbidden"],
)
def test_a_skipped_test_fails_the_run_only_under_require_services(
    tmp_path: Path, options: list[str], exit_code: int
) -> None:
    (tmp_path / "skip_all_plugin.py").write_text(SKIP_ALL_PLUGIN)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    result = run_pytest(*options, "-p", "skip_all_plugin", TARGET, env=env)

    assert "1 skipped" in result.stdout
    assert result.returncode == exit_code, result.stdout
