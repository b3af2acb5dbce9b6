"""Settings for `make run`: DEBUG, the debug toolbar for loopback clients, a demo login."""

from __future__ import annotations

import socket
from pathlib import Path

from .base import *  # noqa: F403
from .base import COMPRESSION_MIDDLEWARE, ENV, INSTALLED_APPS, MIDDLEWARE

DEBUG = True

QUERYLAB_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "querylab", "debug_toolbar"]
# Compression stays outermost: the toolbar writes into the page, which must not be compressed
# yet (the toolbar's docs). Then the toolbar, so it sees every query the rest of the stack
# issues; outside it, the query-count headers, which see every query and add to the toolbar's
# Server-Timing header instead of being overwritten by it.
MIDDLEWARE = [
    COMPRESSION_MIDDLEWARE,
    "querylab.middleware.QueryCountHeadersMiddleware",
    "debug_toolbar.middleware.DebugToolbarMiddleware",
    *(name for name in MIDDLEWARE if name != COMPRESSION_MIDDLEWARE),
    # A lazy relation or deferred-field load is an error page naming the fix (querycheck).
    "querycheck.middleware.StrictLoadingMiddleware",
    # Innermost: each case page shows what its view and template cost, on the page itself.
    "querylab.page_measurement.CasePageMeasurementMiddleware",
]
# Where loading lazily is the point (the naive variants, and the lab that runs them) or the
# framework's design (the admin's change forms load one object's many-to-many values).
QUERYCHECK_STRICT_LOADING_EXEMPT_PATHS = ["/naive/", "/lab/", "/admin/"]
INTERNAL_IPS = list(ENV.DJANGO_INTERNAL_IPS)
if Path("/.dockerenv").exists():
    # Under docker compose the host's browser reaches the app from the bridge network's gateway
    # (the container's own address with a last octet of 1), not from 127.0.0.1.
    _hostname, _aliases, container_ips = socket.gethostbyname_ex(socket.gethostname())
    INTERNAL_IPS += [ip.rsplit(".", 1)[0] + ".1" for ip in container_ips]

# Collapsed to its handle until clicked, so it covers no page; off on the lab's own pages, whose
# measurements it would slow (querylab/toolbar.py).
DEBUG_TOOLBAR_CONFIG = {
    "SHOW_COLLAPSED": True,
    "SHOW_TOOLBAR_CALLBACK": "querylab.toolbar.show_toolbar",
}

# The home page is served fresh here, so the toolbar shows the queries it runs; elsewhere it is
# cached for a minute (blog.views.home, and the test that holds it).
HOME_PAGE_CACHE_SECONDS = 0

DEMO_LOGIN_ENABLED = True

# Mail is printed to the runserver console, not sent.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
