"""PgBouncer in transaction pooling mode: what breaks, and what the `DATABASE_PGBOUNCER` switch
does about it.

In transaction mode a server connection belongs to a client for one transaction, then goes back
to the pool for any other client. Whatever a client leaves on a server connection past its
transaction (a cursor, a prepared statement, a `SET`) is either gone when it next needs it, or
found by someone else. Each test stages that with two clients: the second takes the server
connection the first just released (PgBouncer hands out the most recently used one), so the
first's next transaction runs on another.

Against the PgBouncer `make test-services` starts (scripts/with-services.sh, WITH_PGBOUNCER=1),
reached through the `pgbouncer` alias of config/settings/test.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import DatabaseError, connections, transaction
from django.test import Client, override_settings

from blog import exports
from blog.models import Post
from querycheck import capture_queries
from tests.factories import PostFactory

BOUNCER = "pgbouncer"
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.pgbouncer,
    pytest.mark.django_db(transaction=True, databases=["default", BOUNCER]),
]


def _conninfo() -> dict[str, object]:
    settings = connections[BOUNCER].settings_dict
    return {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "dbname": settings["NAME"],
    }


@contextmanager
def another_client_in_a_transaction() -> Iterator[psycopg.Connection]:
    """A second client of PgBouncer, inside a transaction: it holds the server connection the
    first client's last transaction used, until the block ends."""
    with psycopg.connect(**_conninfo(), autocommit=True) as other:  # type: ignore[arg-type]
        other.execute("BEGIN")
        other.execute("SELECT 1")
        try:
            yield other
        finally:
            other.execute("ROLLBACK")


@contextmanager
def server_side_cursors() -> Iterator[None]:
    """The alias without the switch's DISABLE_SERVER_SIDE_CURSORS, as Django has it by default."""
    connection = connections[BOUNCER]
    configured = connection.settings_dict
    connection.settings_dict = {**configured, "DISABLE_SERVER_SIDE_CURSORS": False}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = configured


def test_iterator_loses_its_server_side_cursor_between_transactions() -> None:
    """`iterator()` declares a cursor WITH HOLD and fetches from it chunk by chunk, each fetch
    its own transaction: the next chunk is asked of a server connection that has no cursor."""
    PostFactory.create_batch(4)

    with server_side_cursors():
        rows = Post.objects.using(BOUNCER).order_by("pk").iterator(chunk_size=2)
        first = next(rows)
        # Django's error, and then psycopg's own from closing the cursor that is not there.
        with (
            another_client_in_a_transaction(),
            pytest.raises((DatabaseError, psycopg.Error), match=r"cursor .* does not exist"),
        ):
            list(rows)

    assert first.pk is not None


def test_with_the_switch_iterator_reads_every_row() -> None:
    """DISABLE_SERVER_SIDE_CURSORS: the rows are fetched in one transaction, then handed out in
    chunks from memory: no state outlives the transaction."""
    posts = PostFactory.create_batch(4)

    rows = Post.objects.using(BOUNCER).order_by("pk").iterator(chunk_size=2)
    first = next(rows)
    with another_client_in_a_transaction():
        rest = list(rows)

    assert [post.pk for post in [first, *rest]] == sorted(post.pk for post in posts)


def test_the_streaming_export_runs_through_the_bouncer(client: Client) -> None:
    """The export iterates its rows with `iterator()`: with the switch, through PgBouncer,
    every row arrives."""
    PostFactory.create_batch(3)
    bouncer = connections[BOUNCER]
    default = connections["default"]
    # The view reads through the default alias: point it at PgBouncer for this request.
    kept = default.settings_dict
    default.close()
    default.settings_dict = {
        **kept,
        "HOST": bouncer.settings_dict["HOST"],
        "PORT": bouncer.settings_dict["PORT"],
        "DISABLE_SERVER_SIDE_CURSORS": True,
    }
    try:
        response: Any = client.get("/api/v1/posts/export.ndjson")
        lines = b"".join(response.streaming_content).splitlines()
    finally:
        default.close()
        default.settings_dict = kept

    assert response.status_code == 200
    assert len(lines) == 3


def test_a_session_set_leaks_into_another_clients_transaction() -> None:
    """A plain SET stays on the server connection after the transaction: the next client to get
    it inherits the setting (a harmless one here). SET LOCAL ends with its transaction."""
    with connections[BOUNCER].cursor() as cursor:
        cursor.execute("SET work_mem = '7777kB'")
    with another_client_in_a_transaction() as other:
        leaked = other.execute("SHOW work_mem").fetchone()

    with transaction.atomic(using=BOUNCER), connections[BOUNCER].cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '8888kB'")
    with another_client_in_a_transaction() as other:
        scoped = other.execute("SHOW work_mem").fetchone()

    assert leaked == ("7777kB",)
    assert scoped is not None
    assert scoped != ("8888kB",)


def test_a_prepared_statement_is_missing_on_the_next_server_connection() -> None:
    """psycopg prepares a query it has run `prepare_threshold` times, on the server connection
    of that moment; PgBouncer (before 1.21) runs the next execution on another one."""
    with psycopg.connect(**_conninfo(), autocommit=True, prepare_threshold=0) as app:  # type: ignore[arg-type]
        app.execute("SELECT %s::int", [1])  # prepared here
        with (
            another_client_in_a_transaction(),
            pytest.raises(psycopg.errors.InvalidSqlStatementName),
        ):
            app.execute("SELECT %s::int", [2])

    switched = connections[BOUNCER].settings_dict["OPTIONS"]["prepare_threshold"]
    with psycopg.connect(**_conninfo(), autocommit=True, prepare_threshold=switched) as app:  # type: ignore[arg-type]
        for value in range(10):
            if value == 5:
                with another_client_in_a_transaction():
                    assert app.execute("SELECT %s::int", [value]).fetchone() == (value,)
            else:
                assert app.execute("SELECT %s::int", [value]).fetchone() == (value,)


def test_the_export_reads_keyset_chunks_that_hold_nothing_between_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without server-side cursors, `iterator()` would fetch every row at once: the export
    reads chunk after chunk by the last id seen, each chunk its own query, so memory stays
    flat, and another client can take the server connection between two chunks."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    posts = PostFactory.create_batch(5)

    with pinned_alias(BOUNCER), capture_queries() as queries:
        rows = exports.post_export_optimized()
        first = next(rows)
        with another_client_in_a_transaction():
            rest = list(rows)

    assert [row[0] for row in [first, *rest]] == sorted(post.pk for post in posts)
    assert queries.count == 3  # 2 + 2 + 1 rows: the short chunk is the last


@contextmanager
def pinned_alias(alias: str) -> Iterator[None]:
    """Reads through `alias` for the block, as they would with DATABASE_URL on PgBouncer."""

    class Router:
        def db_for_read(self, model: Any, **hints: Any) -> str:
            return alias

    with override_settings(DATABASE_ROUTERS=[Router()]):
        yield
