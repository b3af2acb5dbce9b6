"""Settings for a deployment: secrets from the environment, pooled PostgreSQL, HTTPS only,
security headers and a Content Security Policy, static files served by WhiteNoise.

`manage.py check --deploy --fail-level WARNING` passes under these settings (`make lint`). The
app is meant to run behind a proxy that terminates TLS and sets `X-Forwarded-Proto`.
"""

from __future__ import annotations

from csp.constants import NONE, SELF

from config.env import database_config, replica_databases

from .base import *  # noqa: F403
from .base import BASE_DIR, ENV, MIDDLEWARE

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
        pgbouncer=ENV.DATABASE_PGBOUNCER,
    ),
    # Pooled like the primary (base.py routes to them and pins writers' reads).
    **replica_databases(ENV, pool=True, conn_max_age=0),
}

# HTTPS: trust the proxy's X-Forwarded-Proto (it must overwrite what clients send), redirect
# plain HTTP, and tell browsers to use HTTPS only for a year, subdomains included. Preloading is
# a commitment that outlives this setting: submit the domain to the preload list deliberately.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Cookies only over HTTPS, and named so a browser refuses them from plain HTTP or a subdomain.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Secure-csrftoken"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The pages load nothing from elsewhere and run no inline script or style, so the policy can be
# strict: everything from this origin, no plugins, no framing, forms posting here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# WhiteNoise serves the collected static files (admin, API docs, the stylesheet) with far-future
# cache headers and compressed copies; `collectstatic` runs at deploy time (the Dockerfile's does).
_SECURITY = "django.middleware.security.SecurityMiddleware"
MIDDLEWARE = [
    _SECURITY,  # first: it redirects plain HTTP before anything else runs
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    *(name for name in MIDDLEWARE if name != _SECURITY),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
