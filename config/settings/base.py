"""Settings shared by every environment. Outside configuration comes from `config.env`.

Django's settings reference: https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext

from config.env import (
    cache_config,
    database_config,
    email_config,
    load_environment,
    replica_databases,
)

# Lets generic annotations such as admin.ModelAdmin[Post] run, not only type-check.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

ENV = load_environment()

# Overridden in production, where DJANGO_SECRET_KEY is required.
SECRET_KEY = (
    ENV.DJANGO_SECRET_KEY.get_secret_value()
    if ENV.DJANGO_SECRET_KEY
    else "django-insecure-local-only-key-never-use-in-production"
)
DEBUG = False
ALLOWED_HOSTS = ENV.DJANGO_ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "users",
    "blog",
]

# The comparison machinery: the query lab (`/lab/`), every case's naive and optimized routes
# (`/naive/...`, `/optimized/...`, `/api/v1/naive/...`) and the naive admin. A development tool:
# its naive variants cost thousands of queries by design, so a public server must not have them.
# The local and test settings turn it on (and install `querylab`); production leaves it off, and
# every one of those addresses is a 404 there.
QUERYLAB_ENABLED = False

# The home page is cached for everyone alike (blog.views.home); 0 serves it fresh (local settings).
HOME_PAGE_CACHE_SECONDS = 60

# First: it compresses what every other middleware has finished writing (core/compression.py).
COMPRESSION_MIDDLEWARE = "core.compression.CompressionMiddleware"
MIDDLEWARE = [
    COMPRESSION_MIDDLEWARE,
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: a bad query parameter raised by a view becomes a 400 (core.params).
    "core.middleware.BadParameterMiddleware",
]

ROOT_URLCONF = "config.urls"
# A problem document under /api/, Django's page elsewhere (core/error_views.py).
CSRF_FAILURE_VIEW = "core.error_views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.querylab",
            ],
        },
    },
]

# https://docs.djangoproject.com/en/5.2/ref/databases/
# ATOMIC_REQUESTS stays off: its per-request savepoints would add queries to every count the
# test suite asserts. Writes open their own transactions in the services.
DATABASES = {
    "default": database_config(
        ENV.DATABASE_URL,
        default_sqlite_path=BASE_DIR / "db.sqlite3",
        pool=False,
        conn_max_age=60,
        pgbouncer=ENV.DATABASE_PGBOUNCER,
    )
}
# Read replicas, when DATABASE_REPLICA_URLS names any: reads to them, writes and the reads that
# follow a client's write to the primary (core/replicas.py).
DATABASES.update(replica_databases(ENV, pool=False, conn_max_age=60))
DATABASE_REPLICA_PIN_SECONDS = ENV.DATABASE_REPLICA_PIN_SECONDS
DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"] if ENV.DATABASE_REPLICA_URLS else []
if ENV.DATABASE_REPLICA_URLS:
    # Early: every read after it in the request, and in the views, follows its pin.
    MIDDLEWARE.insert(2, "core.replicas.ReadYourWritesMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# https://docs.djangoproject.com/en/5.2/topics/cache/
CACHES = {"default": cache_config(ENV.REDIS_URL, key_prefix="blog")}
# With IGNORE_EXCEPTIONS in the Redis options: log each error that became a cache miss.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = ENV.DJANGO_STATIC_ROOT or BASE_DIR / "staticfiles"

# Requests larger than this are refused with 413 before their body is read (a post body is at
# most 100,000 characters).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# https://www.django-rest-framework.org/api-guide/settings/
# DRF routes, authenticates, throttles and negotiates; Pydantic reads and writes every body.
REST_FRAMEWORK = {
    # Token first: an anonymous write then gets 401 with a WWW-Authenticate challenge. Session
    # authentication enforces CSRF on writes, as DRF always does for it.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "core.api.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.openapi.PydanticAutoSchema",
    "DEFAULT_THROTTLE_RATES": {"writes": ENV.DJANGO_WRITE_THROTTLE_RATE},
    # Trusted proxies in front of the app; the throttle believes X-Forwarded-For only that far
    # (core.throttling.client_address).
    "NUM_PROXIES": ENV.DJANGO_NUM_PROXIES,
}
# The write throttle counts with django-ratelimit's atomic cache increments. When the cache
# cannot count (Redis is down) the write is allowed: see core.throttling.WriteRateThrottle.
RATELIMIT_FAIL_OPEN = True

# https://drf-spectacular.readthedocs.io/en/latest/settings.html
# The API's sections by the start of their paths after API_PREFIX; the first takes the rest.
API_PREFIX = "/api/v1/"
API_SECTIONS: dict[str, tuple[str, ...]] = {
    "public API": (),
    "case variants": ("naive/", "optimized/"),
    "tiers": ("values/", "values-orjson/", "db-json/", "cached/feed/"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Django ORM performance reference API",
    "DESCRIPTION": "The blog's public endpoints and, where the query lab is enabled (in "
    "development), every case naive and optimized. Errors are RFC 9457 problem documents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Django's `slug` converter, as a pattern: a client (or a fuzzer) sees which values can match.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.document_parameter_rules",
        "core.openapi.tag_operations",
    ],
    # /api/docs/'s sections, in this order (core.openapi.tag_operations files each operation).
    "TAGS": [
        {"name": "public API", "description": "The blog's endpoints, as a client uses them."},
        {
            "name": "case variants",
            "description": "Every case of the query lab, naive and optimized, with the same "
            "schema for both (development only: the lab is not mounted in production).",
        },
        {
            "name": "tiers",
            "description": "The feed past the ORM, beside its optimized variant: values() rows, "
            "and JSON built by PostgreSQL (development only).",
        },
    ],
    "PATH_CONVERTER_OVERRIDES": {
        "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
        # users.converters: a username, never "me" (that address is your own account).
        "username": {"type": "string", "pattern": "^(?!me$)[\\w.@+-]{1,150}$"},
        # blog.converters: the formats an export writes.
        "export_format": {"type": "string", "enum": ["ndjson", "csv"]},
    },
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Pydantic writes JSON Schema 2020-12 ("type": "null" for optional fields): OpenAPI 3.1.
    "OAS_VERSION": "3.1.0",
}

# The packages that are this project's code: a captured query's origin is the innermost frame of
# one of them (querycheck.capture; pytest reads the same list from pyproject.toml).
QUERYCHECK_APP_PACKAGES = ["blog", "users", "core", "config"]

# The seed command creates a `demo` login with a published password only where this is True.
DEMO_LOGIN_ENABLED = False

# Comment notifications (blog.notifications) go through SMTP on localhost unless EMAIL_URL says
# otherwise; a mail server that does not answer must not hold a request for long.
DEFAULT_FROM_EMAIL = ENV.DJANGO_DEFAULT_FROM_EMAIL
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_EMAIL = email_config(ENV.EMAIL_URL)
EMAIL_BACKEND = _EMAIL.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # Django's own console handler would print each of its records a second time, through the
    # root logger above ("Not Found: /x" twice under DEBUG).
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
