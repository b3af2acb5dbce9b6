"""The real services `make test-services` runs against are really in use."""

from __future__ import annotations

import os

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()

    assert connection.vendor == "postgresql"
    assert int(version) >= 150000


@pytest.mark.redis
def test_cache_round_trips_through_redis() -> None:
    cache.set("greeting", {"hello": "world"}, timeout=30)

    assert cache.get("greeting") == {"hello": "world"}
    raw = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    keys = raw.keys("*greeting")
    # KEY_PREFIX:VERSION:key, the suite's own prefix ("test", or "testgw0" in an xdist worker).
    assert keys == [f"{settings.CACHES['default']['KEY_PREFIX']}:1:greeting"]


@pytest.mark.redis
def test_clearing_between_tests_spares_other_prefixes() -> None:
    raw = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    raw.set("someone-else:key", "kept", ex=30)
    cache.set("mine", 1)

    cache.delete_pattern("*")  # type: ignore[attr-defined]  # django-redis only

    assert cache.get("mine") is None
    assert raw.get("someone-else:key") == "kept"
    raw.delete("someone-else:key")
