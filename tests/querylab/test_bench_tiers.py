"""The feed's ladder in the bench: every tier answers with the optimized feed's rows, django-ninja
(the peer framework, querylab.bench.ninja_feed) included, and a bench run measures them all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from blog.schemas import PostFeedOut
from config.env import database_config
from core.case_api import results_model
from querylab.bench.extras import connections_as
from querylab.bench.run import production_like, run_bench, selected_cases
from querylab.bench.wsgi import WsgiClient
from querylab.datasets import build_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("connection_kept_across_requests")]

FEED_PAGE = results_model(PostFeedOut)


def test_ninja_serves_the_optimized_feeds_rows_in_three_queries(django_assert_num_queries) -> None:
    build_data("posts", 8)
    with production_like():
        client = WsgiClient()
        _, optimized = client.get("/api/v1/optimized/post-feed/?limit=6")
        with django_assert_num_queries(3):
            status, ninja = client.get(reverse("bench-ninja:feed") + "?limit=6")

    assert status == 200
    page = FEED_PAGE.model_validate_json(ninja)
    assert len(page.results) == 6  # type: ignore[attr-defined]
    assert page == FEED_PAGE.model_validate_json(optimized)


def test_a_bench_run_measures_every_tier_of_the_feed() -> None:
    with production_like():
        run = run_bench(selected_cases(["post-feed"]), [3], repeat=2)

    found: dict[str, Any] = {s.tier: s for s in run.samples if s.surface == "api"}
    expected = {"naive", "auto", "optimized", "values", "values-orjson", "cached", "ninja", "304"}
    if connection.vendor == "postgresql":
        expected.add("db-json")
    assert set(found) == expected
    for tier, measured in found.items():
        # The 304 tier is a client that holds the feed: its ETag sent back, no body, no query.
        assert measured.status == (304 if tier == "304" else 200), tier
        assert measured.rows == 3, tier
        assert len(measured.wall_ms) == len(measured.cpu_ms) == 2, tier
    assert found["304"].queries == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # the bench closes and reopens connections: committed
def test_the_pool_the_bench_measures_is_the_production_settings_pool() -> None:
    build_data("posts", 3)
    production = database_config(
        "postgres://blog@localhost/blog", default_sqlite_path=Path(), pool=True, conn_max_age=60
    )
    with production_like(), connections_as("pool"):
        status, _ = WsgiClient().get("/api/v1/optimized/post-list/?limit=3")
        measured = dict(connection.settings_dict)
        pooled = connection.pool is not None  # type: ignore[attr-defined]

    assert status == 200
    assert pooled
    assert measured["OPTIONS"]["pool"] == production["OPTIONS"]["pool"]
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        assert measured[key] == production[key], key
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is False  # the bench's own, back
