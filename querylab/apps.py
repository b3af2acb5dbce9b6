from __future__ import annotations

from django.apps import AppConfig


class QuerylabConfig(AppConfig):
    name = "querylab"
    verbose_name = "Query lab"

    def ready(self) -> None:
        # The auto tier's descriptors, inert until the lab asks for the tier (querylab.auto_tier).
        from . import auto_tier  # noqa: PLC0415 - the models are ready only now

        auto_tier.install()
