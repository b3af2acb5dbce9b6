"""Settings for a deployment: secrets from the environment, pooled PostgreSQL, no toolbar."""

from __future__ import annotations

from config.env import database_config

from .base import *  # noqa: F403
from .base import BASE_DIR, ENV

ENV.require(
    "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", why="the production settings have no default"
)

DEBUG = False
# require() above has stopped start-up if the key is unset.
SECRET_KEY = ENV.DJANGO_SECRET_KEY.get_secret_value() if ENV.DJANGO_SECRET_KEY else ""
ALLOWED_HOSTS = ENV.DJANGO_ALLOWED_HOSTS

# psycopg's pool on PostgreSQL, so each worker reuses a few connections instead of opening one
# per request; SQLite (a demo deployment) keeps Django's default per-request connections.
DATABASES = {
    "default": database_config(
        ENV.DATABASE_URL,
        default_sqlite_path=BASE_DIR / "db.sqlite3",
        pool=True,
        conn_max_age=0,
    )
}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
