"""Data built once and read by every test of a module: the pytest form of `setUpTestData`.

A module-scoped fixture opens a transaction, builds the rows and yields; every test then runs in a
savepoint inside it (pytest-django's `db` fixture nests), so a test that writes is rolled back to
the shared rows, and the shared rows themselves are rolled back after the module's last test.

Safe when:
- the module's tests use `db` (the default `django_db` mark), never `transactional_db` or
  `django_db(transaction=True)`: those flush tables, shared rows included;
- the fixture hands out values (URLs, primary keys), not model instances a test could change in
  memory and leak into the next test (what `setUpTestData` deep-copies for TestCase classes).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def shared_data(django_db_blocker: Any) -> Iterator[None]:
    """Inside a module-scoped fixture: `with shared_data(django_db_blocker): build(); yield ...`."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
