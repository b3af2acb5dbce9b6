"""The environment is validated at start-up, and a bad value is named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.env import (
    EnvironmentConfigError,
    cache_config,
    database_config,
    email_config,
    load_environment,
)


def test_unset_variables_mean_the_embedded_defaults() -> None:
    env = load_environment({})

    assert env.DATABASE_URL is None
    assert env.REDIS_URL is None
    assert env.DJANGO_SECRET_KEY is None
    assert env.DJANGO_ALLOWED_HOSTS == []


def test_empty_values_count_as_unset() -> None:
    env = load_environment({"DATABASE_URL": "", "REDIS_URL": ""})

    assert env.DATABASE_URL is None
    assert env.REDIS_URL is None


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///db.sqlite3",
        "sqlite:////tmp/blog.sqlite3",
        "postgres://blog:secret@db.internal:5432/blog",
        "postgresql://localhost/blog",
    ],
)
def test_supported_database_urls_are_accepted(url: str) -> None:
    env = load_environment({"DATABASE_URL": url})

    assert url == env.DATABASE_URL


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://root:hunter2@localhost/blog", "scheme 'mysql' is not supported"),
        ("just-a-path.sqlite3", "scheme '(none)' is not supported"),
        ("postgres://blog:hunter2@localhost:port/blog", "port is not a number"),
        ("postgres://blog:hunter2@localhost:5432/", "must name the database"),
    ],
)
def test_malformed_database_url_is_named_in_one_line(url: str, reason: str) -> None:
    with pytest.raises(EnvironmentConfigError) as raised:
        load_environment({"DATABASE_URL": url})

    message = str(raised.value)
    assert message.startswith("DATABASE_URL: ")
    assert reason in message
    assert "\n" not in message
    assert "hunter2" not in message


@pytest.mark.parametrize("url", ["http://localhost:6379", "redis://localhost:notaport/0"])
def test_malformed_redis_url_is_named(url: str) -> None:
    with pytest.raises(EnvironmentConfigError, match=r"^REDIS_URL: "):
        load_environment({"REDIS_URL": url})


def test_every_bad_variable_is_reported_together() -> None:
    with pytest.raises(EnvironmentConfigError) as raised:
        load_environment({"DATABASE_URL": "mysql://x/y", "REDIS_URL": "http://x"})

    assert "DATABASE_URL: " in str(raised.value)
    assert "REDIS_URL: " in str(raised.value)


def test_allowed_hosts_are_a_comma_separated_list() -> None:
    env = load_environment({"DJANGO_ALLOWED_HOSTS": "example.com, www.example.com,,"})

    assert env.DJANGO_ALLOWED_HOSTS == ["example.com", "www.example.com"]


def test_write_throttle_rate_defaults_and_is_validated() -> None:
    assert load_environment({}).DJANGO_WRITE_THROTTLE_RATE == "60/minute"
    assert load_environment({"DJANGO_WRITE_THROTTLE_RATE": "5/second"}).DJANGO_WRITE_THROTTLE_RATE

    for bad in ["60", "0/minute", "many/minute", "60/fortnight", "-1/day"]:
        with pytest.raises(EnvironmentConfigError, match=r"^DJANGO_WRITE_THROTTLE_RATE: expected"):
            load_environment({"DJANGO_WRITE_THROTTLE_RATE": bad})


def test_email_url_sets_the_smtp_settings() -> None:
    env = load_environment({"EMAIL_URL": "submission://blog:s3cret@mail.example.com"})

    assert email_config(env.EMAIL_URL) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "blog",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    assert email_config(None) == {}
    assert "s3cret" not in repr(env)


def test_a_bad_email_url_is_named_and_its_password_not_repeated() -> None:
    with pytest.raises(EnvironmentConfigError) as raised:
        load_environment({"EMAIL_URL": "http://blog:s3cret@mail.example.com"})

    assert str(raised.value).startswith("EMAIL_URL: expected smtp://")
    assert "s3cret" not in str(raised.value)


def test_require_names_the_missing_variable() -> None:
    env = load_environment({"DJANGO_ALLOWED_HOSTS": "example.com"})

    with pytest.raises(EnvironmentConfigError, match=r"^DJANGO_SECRET_KEY: must be set"):
        env.require("DJANGO_ALLOWED_HOSTS", "DJANGO_SECRET_KEY", why="production")


def test_without_database_url_the_database_is_a_sqlite_file(tmp_path: Path) -> None:
    config = database_config(
        None, default_sqlite_path=tmp_path / "db.sqlite3", pool=False, conn_max_age=60
    )

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_pooled_postgres_connections_are_not_also_persistent(tmp_path: Path) -> None:
    config = database_config(
        "postgres://blog@localhost:5432/blog",
        default_sqlite_path=tmp_path / "unused.sqlite3",
        pool=True,
        conn_max_age=60,
    )

    assert config["ENGINE"] == "core.postgresql"
    assert config["OPTIONS"]["pool"]["max_size"] > 0
    assert config["CONN_MAX_AGE"] == 0


def test_unpooled_postgres_connections_persist_with_health_checks(tmp_path: Path) -> None:
    config = database_config(
        "postgres://blog@localhost:5432/blog",
        default_sqlite_path=tmp_path / "unused.sqlite3",
        pool=False,
        conn_max_age=60,
    )

    assert "pool" not in config.get("OPTIONS", {})
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_cache_is_local_memory_without_redis_url() -> None:
    assert cache_config(None, key_prefix="blog")["BACKEND"].endswith("LocMemCache")


def test_cache_is_redis_with_short_timeouts_when_redis_url_is_set() -> None:
    config = cache_config("redis://localhost:6379/0", key_prefix="blog")

    assert config["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["LOCATION"] == "redis://localhost:6379/0"
    assert config["OPTIONS"]["SOCKET_TIMEOUT"] < 1


def test_the_switch_applies_what_transaction_mode_needs() -> None:
    """No psycopg pool stacked on PgBouncer's (a pool of pools holds server connections idle),
    persistent connections to PgBouncer instead, no server-side cursors, no prepared
    statements."""
    url = "postgres://app@bouncer:6432/blog"

    switched = database_config(
        url, default_sqlite_path=Path(), pool=True, conn_max_age=0, pgbouncer=True
    )
    direct = database_config(url, default_sqlite_path=Path(), pool=True, conn_max_age=0)

    assert "pool" not in switched["OPTIONS"]
    assert switched["CONN_MAX_AGE"] == 60
    assert switched["CONN_HEALTH_CHECKS"] is True
    assert switched["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert switched["OPTIONS"]["prepare_threshold"] is None
    assert "pool" in direct["OPTIONS"]
    assert direct.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
