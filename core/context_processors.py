"""Template context every page shares."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def querylab(request: HttpRequest) -> dict[str, bool]:
    """Whether the lab and the case pages exist here, so templates link to them only then."""
    return {"querylab_enabled": settings.QUERYLAB_ENABLED}
