"""Settings for `make run`: DEBUG, the debug toolbar for loopback clients, a demo login."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import ENV, INSTALLED_APPS, MIDDLEWARE

DEBUG = True

INSTALLED_APPS = [*INSTALLED_APPS, "debug_toolbar"]
# The toolbar's middleware goes first so it sees every query the rest of the stack issues.
MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware", *MIDDLEWARE]
INTERNAL_IPS = ENV.DJANGO_INTERNAL_IPS

DEMO_LOGIN_ENABLED = True
