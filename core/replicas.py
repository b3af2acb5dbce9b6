"""Reads from read replicas, writes to the primary, and nobody misses their own write.

A streaming replica replays the primary's changes a little later: usually milliseconds, seconds
under load or while a long query holds replay back. Routing every read to a replica would show a
client the page from before their own comment. So:

- `ReplicaRouter` sends writes to `default` (the primary) and reads to a replica, except when
  the request is pinned to the primary, or a transaction is open on the primary (a read inside
  `transaction.atomic()` or `select_for_update()` must see the transaction's own rows and lock
  them where they are written).
- `ReadYourWritesMiddleware` pins a request to the primary when it writes (any unsafe method),
  and for `DATABASE_REPLICA_PIN_SECONDS` afterwards that client's requests too, through a signed
  cookie: the window in which a replica may still be behind.
- A replica that cannot be reached is left alone for `RETRY_SECONDS`, with a logged warning,
  and reads go to the primary: a client sees a slower page, never an error.

Settings: `DATABASE_REPLICA_URLS` (config/env.py) adds the aliases `replica_1`, `replica_2`, ...
and this router; without replicas, nothing of this is installed.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica_"
PIN_COOKIE = "primary_until"
RETRY_SECONDS = 5.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)
# alias -> monotonic time before which it is not tried again; per process, shared by threads.
_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


@contextmanager
def pinned_to_primary() -> Iterator[None]:
    """Every read in the block goes to the primary."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def is_pinned() -> bool:
    return _pinned.get()


class ReplicaRouter:
    """Reads to a reachable replica, unless pinned or in a transaction; the rest to `default`."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        if _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        replicas = replica_aliases()
        random.shuffle(replicas)  # spread the reads; not for anything secret
        for alias in replicas:
            if _reachable(alias):
                return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, replicated: every alias holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # a replica is read-only: it replays the primary's


def _reachable(alias: str) -> bool:
    """Whether `alias` answers now: connected (after Django's health check, when on) or able to
    connect. One that fails is skipped for RETRY_SECONDS, so a dead replica costs one connection
    attempt every few seconds, not one a query."""
    if _down_until.get(alias, 0.0) > time.monotonic():
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except OperationalError as error:
        _down_until[alias] = time.monotonic() + RETRY_SECONDS
        connection.close()
        logger.warning(
            "replica %s is unreachable, reading from the primary for %ss: %s",
            alias,
            RETRY_SECONDS,
            error,
        )
        return False
    return True


class ReadYourWritesMiddleware:
    """Pin a writing request, and the same client's requests for the pin window after it, to
    the primary (the cookie is signed: a client cannot forge a window, only drop its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        writes = request.method not in SAFE_METHODS
        token = _pinned.set(writes or _cookie_pins(request))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        window = float(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 0))
        if writes and response.status_code < 400 and window > 0:
            response.set_signed_cookie(
                PIN_COOKIE,
                f"{time.time() + window:.3f}",
                salt=PIN_COOKIE,
                max_age=int(window) + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _cookie_pins(request: HttpRequest) -> bool:
    try:
        until = float(request.get_signed_cookie(PIN_COOKIE, salt=PIN_COOKIE) or "")
    except (KeyError, signing.BadSignature, ValueError):
        return False
    return time.time() < until
