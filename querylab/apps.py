from __future__ import annotations

from django.apps import AppConfig


class QuerylabConfig(AppConfig):
    name = "querylab"
    verbose_name = "Query lab"
