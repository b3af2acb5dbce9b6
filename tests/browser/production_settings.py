"""The production settings for a browser test: static files served by WhiteNoise straight from
the apps' folders (its finders), so that a test needs no `collectstatic` of Swagger UI's bundles.
Everything a page is judged by (headers, the Content Security Policy, HTTPS) is production's."""

from __future__ import annotations

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
