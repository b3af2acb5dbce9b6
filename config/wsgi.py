"""WSGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from config.env import EnvironmentConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

try:
    application = get_wsgi_application()
except EnvironmentConfigError as error:
    raise SystemExit(f"error: {error}") from None
