from __future__ import annotations

from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from . import signals  # noqa: PLC0415 - models are ready only now

        signals.connect()
