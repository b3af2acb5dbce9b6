"""ASGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

from config.env import EnvironmentConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

try:
    application = get_asgi_application()
except EnvironmentConfigError as error:
    raise SystemExit(f"error: {error}") from None
