"""The OpenAPI document against the server as it is deployed: schemathesis's own command, every
check it has and every phase (coverage, fuzzing, and the stateful phase that follows the
document's links from a created post to reading, editing and deleting it), against gunicorn under
the production settings on PostgreSQL and Redis. It must report nothing the document does not
declare. (tests/api/test_schema_fuzz.py runs the case endpoints too, in process, on each test
database.)

The server gets a database of its own on the suite's PostgreSQL, seeded, with a staff user whose
token every request carries; it is dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings

from tests.servers import PROJECT_DIR, PROXY_HEADERS, gunicorn, production_environment
from tests.subprocesses import run_python

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SCHEMATHESIS = Path(sys.executable).parent / "st"
MAKE_FUZZER = """
from rest_framework.authtoken.models import Token
from users.models import User
user = User.objects.create_user(
    "fuzzer", "fuzzer@example.com", "a-long-password-123", is_staff=True
)
print(Token.objects.create(user=user).key)
"""


@pytest.fixture
def production_database() -> Iterator[str]:
    """A database of this test's own on the suite's PostgreSQL server; its URL."""
    server_url = os.environ["DATABASE_URL"]
    name = f"schemathesis_{secrets.token_hex(4)}"
    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_the_deployed_api_keeps_to_its_document(production_database: str) -> None:
    env = production_environment(
        DATABASE_URL=production_database,
        REDIS_URL=os.environ["REDIS_URL"],
        # Fuzzing writes hundreds of times a minute; the throttle is tested on its own.
        DJANGO_WRITE_THROTTLE_RATE="1000000/minute",
        EMAIL_URL="dummy:",
    )
    for command in (
        ["manage.py", "migrate", "--noinput"],
        ["manage.py", "seed", "--users=3", "--posts-per-user=3", "--comments-per-post=2"],
    ):
        done = run_python(*command, cwd=PROJECT_DIR, env=env)
        assert done.returncode == 0, done.stderr
    made = run_python("manage.py", "shell", "-c", MAKE_FUZZER, cwd=PROJECT_DIR, env=env)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    examples = hypothesis_settings().max_examples  # the profile's: 25, or 500 for make fuzz

    with gunicorn(env) as base:
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{base}/api/schema/",
                "--checks=all",
                "--phases=coverage,fuzzing,stateful",
                f"--max-examples={examples}",
                # One worker: two threads of it parsing lambdas at once trip CPython 3.11's
                # "AST constructor recursion depth mismatch" inside Hypothesis.
                "--workers=1",
                "--continue-on-failure",
                f"--header=Authorization: Token {token}",
                *(f"--header={name}: {value}" for name, value in PROXY_HEADERS.items()),
            ],
            cwd=PROJECT_DIR,  # schemathesis.toml
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "✅ Stateful" in report  # the links were followed, not skipped
