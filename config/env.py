"""The process environment, parsed and validated once, for the settings modules.

Every settings module reads its outside configuration through `load_environment()`, so a missing
or malformed variable stops start-up with one line that names it instead of surfacing later as a
confusing database or cache error in the middle of a request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
)

from core.postgresql.pool import pool_options

SQLITE_SCHEMES = frozenset({"sqlite"})
POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "pgsql"})
REDIS_SCHEMES = frozenset({"redis", "rediss", "unix"})
# dj-email-url's schemes, less `smtps` (deprecated there, and it means STARTTLS, not SSL).
EMAIL_SCHEMES = frozenset({"smtp", "submission", "console", "memory", "dummy"})


class EnvironmentConfigError(ImproperlyConfigured):
    """A variable is missing or malformed; the message names it and never echoes its value."""


def _check_port(value: str) -> None:
    try:
        _ = urlsplit(value).port
    except ValueError:
        raise ValueError("the port is not a number between 0 and 65535") from None


def _validate_database_url(value: str) -> str:
    scheme = urlsplit(value).scheme
    if scheme not in SQLITE_SCHEMES | POSTGRES_SCHEMES:
        raise ValueError(
            f"expected a sqlite:// or postgres:// URL, the scheme {scheme or '(none)'!r} "
            "is not supported"
        )
    _check_port(value)
    if scheme in POSTGRES_SCHEMES and not urlsplit(value).path.strip("/"):
        raise ValueError("a PostgreSQL URL must name the database, e.g. postgres://host:5432/blog")
    return value


def _validate_replica_urls(values: list[str]) -> list[str]:
    for value in values:
        _validate_database_url(value)
        if urlsplit(value).scheme not in POSTGRES_SCHEMES:
            raise ValueError("each replica must be a postgres:// URL (a streaming replica)")
    return values


def _validate_redis_url(value: str) -> str:
    scheme = urlsplit(value).scheme
    if scheme not in REDIS_SCHEMES:
        raise ValueError(
            f"expected a redis://, rediss:// or unix:// URL, the scheme {scheme or '(none)'!r} "
            "is not supported"
        )
    _check_port(value)
    return value


def _validate_email_url(value: SecretStr) -> SecretStr:
    scheme = urlsplit(value.get_secret_value()).scheme
    if scheme not in EMAIL_SCHEMES:
        raise ValueError(
            "expected smtp://user:password@host:port (or submission://, for port 587 with "
            f"STARTTLS), console:, memory: or dummy:; the scheme {scheme or '(none)'!r} is not "
            "supported"
        )
    _check_port(value.get_secret_value())
    return value


def _validate_rate(value: str) -> str:
    # DRF's format: a count, a slash, and a period it reads by its first letter.
    count, _, period = value.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in ("second", "minute", "hour", "day"):
        raise ValueError("expected a rate such as 60/minute (per second, minute, hour or day)")
    return value


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


DatabaseUrl = Annotated[str, AfterValidator(_validate_database_url)]
RedisUrl = Annotated[str, AfterValidator(_validate_redis_url)]
CommaList = Annotated[list[str], BeforeValidator(_split_commas)]
Rate = Annotated[str, AfterValidator(_validate_rate)]
ReplicaUrls = Annotated[
    list[str], BeforeValidator(_split_commas), AfterValidator(_validate_replica_urls)
]
EmailUrl = Annotated[SecretStr, AfterValidator(_validate_email_url)]


class Environment(BaseModel):
    """The variables the project reads. Unset (or empty) means the embedded default."""

    # Validated from a mapping (os.environ by default) rather than pydantic-settings' own
    # sources, so a test can validate exactly the mapping it passes and nothing else.
    model_config = ConfigDict(extra="ignore", frozen=True)

    DATABASE_URL: DatabaseUrl | None = None
    REDIS_URL: RedisUrl | None = None
    # Streaming replicas of DATABASE_URL, comma-separated: reads go to them (core/replicas.py).
    DATABASE_REPLICA_URLS: ReplicaUrls = []
    # How long after a write that client's reads stay on the primary: longer than the replicas
    # ever lag, or a client may not see their own write.
    DATABASE_REPLICA_PIN_SECONDS: Annotated[float, Field(ge=0, le=3600)] = 10.0
    # DATABASE_URL (and the replicas') is a PgBouncer in transaction pooling mode: what that
    # mode needs is applied (database_config, docs/scaling.md).
    DATABASE_PGBOUNCER: bool = False
    DJANGO_SECRET_KEY: SecretStr | None = None
    DJANGO_ALLOWED_HOSTS: CommaList = []
    DJANGO_INTERNAL_IPS: CommaList = ["127.0.0.1", "::1"]
    # Where collectstatic writes and WhiteNoise reads; `staticfiles/` in the project by default.
    DJANGO_STATIC_ROOT: Path | None = None
    # Where comment notifications go (it may hold a password); Django's SMTP on localhost if unset.
    EMAIL_URL: EmailUrl | None = None
    DJANGO_DEFAULT_FROM_EMAIL: str = "blog@localhost"
    # Writes each user (or address) may make; `make loadtest` raises it to measure concurrency.
    DJANGO_WRITE_THROTTLE_RATE: Rate = "60/minute"
    # How many proxies in front of the app append to X-Forwarded-For (and overwrite nothing a
    # client sent before them): the throttle takes the client's address from the entry the
    # outermost one wrote. 0, the default, trusts no header and uses the connection's address.
    DJANGO_NUM_PROXIES: Annotated[int, Field(ge=0, le=10)] = 0

    def check_replicas(self) -> None:
        """Replicas need a PostgreSQL primary to replicate."""
        if self.DATABASE_REPLICA_URLS and (
            self.DATABASE_URL is None or urlsplit(self.DATABASE_URL).scheme not in POSTGRES_SCHEMES
        ):
            raise EnvironmentConfigError(
                "DATABASE_REPLICA_URLS: replicas need DATABASE_URL to be their PostgreSQL primary"
            )

    def require(self, *names: str, why: str) -> None:
        """Stop start-up if any of `names` is unset."""
        for name in names:
            if not getattr(self, name):
                raise EnvironmentConfigError(f"{name}: must be set ({why})")


def load_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """Parse `environ` (the process environment by default) or raise one clear error."""
    source = os.environ if environ is None else environ
    try:
        # An empty value (`DATABASE_URL=` in a compose file) means unset, not malformed.
        return Environment.model_validate(
            {name: value for name, value in source.items() if value != ""}
        )
    except ValidationError as error:
        raise EnvironmentConfigError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    problems = []
    for detail in error.errors(include_input=False, include_url=False):
        name = str(detail["loc"][0]) if detail["loc"] else "environment"
        message = detail["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {message}")
    return "; ".join(problems)


def database_config(
    url: str | None,
    *,
    default_sqlite_path: Path,
    pool: bool,
    conn_max_age: int,
    pgbouncer: bool = False,
) -> dict[str, Any]:
    """Build one `DATABASES` entry from `DATABASE_URL`, or a SQLite file when it is unset.

    A PostgreSQL connection is either pooled (psycopg's pool) or persistent (`conn_max_age`),
    never both: Django refuses the combination, and a pool already keeps connections open.
    Either way health checks are on (tests/config/test_database_restart.py).

    Behind PgBouncer in transaction pooling mode (`pgbouncer`), a server connection is this
    client's for one transaction only, so nothing may outlive a transaction on it:
    - no server-side cursors (`iterator()` declares one and fetches from it in later
      transactions, maybe on another server connection): `DISABLE_SERVER_SIDE_CURSORS`;
    - no prepared statements (prepared on one server connection, executed on another):
      psycopg's `prepare_threshold` off (PgBouncer 1.21+ can track them instead);
    - no psycopg pool stacked on PgBouncer's: persistent connections to PgBouncer, which are
      cheap, and PgBouncer pools the servers (tests/config/test_pgbouncer.py shows each).
    """
    if pgbouncer:
        pool, conn_max_age = False, max(conn_max_age, 60)
    if url is None:
        url = f"sqlite:///{default_sqlite_path}"
    is_postgres = urlsplit(url).scheme in POSTGRES_SCHEMES
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url,
            conn_max_age=0 if (is_postgres and pool) else conn_max_age,
            # Test a reused connection before its first query (persistent connections) or before
            # the pool lends it (Django passes ConnectionPool.check_connection), so one that a
            # PostgreSQL restart or failover has ended is replaced instead of failing a request.
            conn_health_checks=is_postgres and (pool or conn_max_age > 0),
        )
    )
    if is_postgres:
        # Django's backend, with psycopg's C timestamp loader in a UTC session (its docstring).
        config["ENGINE"] = "core.postgresql"
    if is_postgres and pool:
        config.setdefault("OPTIONS", {})["pool"] = pool_options()
    if is_postgres and pgbouncer:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        config.setdefault("OPTIONS", {})["prepare_threshold"] = None
    return config


def replica_databases(
    env: Environment, *, pool: bool, conn_max_age: int
) -> dict[str, dict[str, Any]]:
    """`replica_1`, `replica_2`, ... from DATABASE_REPLICA_URLS, configured like the primary.

    In tests a replica reads the primary's test database under its own name (`TEST.MIRROR`):
    it replicates the whole server, the test database included, so none is created on it.
    """
    env.check_replicas()
    replicas = {}
    for number, url in enumerate(env.DATABASE_REPLICA_URLS, start=1):
        config = database_config(
            url,
            default_sqlite_path=Path(),
            pool=pool,
            conn_max_age=conn_max_age,
            pgbouncer=env.DATABASE_PGBOUNCER,
        )
        config["TEST"] = {"MIRROR": "default"}
        config.setdefault("OPTIONS", {}).update(
            # A replica that does not answer is skipped (core/replicas.py), after this long.
            {"connect_timeout": 2}
        )
        replicas[f"replica_{number}"] = config
    return replicas


def cache_config(redis_url: str | None, *, key_prefix: str) -> dict[str, Any]:
    """Build the default `CACHES` entry: Redis when `REDIS_URL` is set, local memory otherwise."""
    if redis_url is None:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": key_prefix,
        }
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            # Short timeouts: a hung Redis must not hang every request that touches the cache.
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
            # A cache that is down is a cache miss, logged, never a 500: the database answers.
            "IGNORE_EXCEPTIONS": True,
        },
    }


def email_config(email_url: SecretStr | None) -> dict[str, Any]:
    """The `EMAIL_*` settings `EMAIL_URL` names (dj-email-url), or none to keep Django's."""
    if email_url is None:
        return {}
    parsed = dj_email_url.parse(email_url.get_secret_value())
    return {name: value for name, value in parsed.items() if value is not None and value != ""}
