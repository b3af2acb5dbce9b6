"""The case registry: every app's `cases.py`, collected the way the admin collects `admin.py`.

An app declares its cases in its own `cases.py` (`CASES`, a tuple of core.cases.Case); the lab,
`cases.json`, the tests, the bench and docs/patterns.md read them from here. Declaration
mistakes fail when the registry is first imported, not on some page later.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules, module_has_submodule

from core.case_routes import case_view
from core.cases import (
    SURFACES,
    TECHNIQUES,
    VARIANTS,
    AnyCase,
    Case,
    PageTarget,
    Scale,
    Surface,
    Variant,
)

__all__ = [
    "CASES",
    "CASES_BY_SLUG",
    "SURFACES",
    "TECHNIQUES",
    "VARIANTS",
    "AnyCase",
    "Case",
    "PageTarget",
    "Scale",
    "Surface",
    "Variant",
    "collect",
]


def collect() -> tuple[AnyCase, ...]:
    """Every installed app's `cases.CASES`, in INSTALLED_APPS order."""
    autodiscover_modules("cases")
    cases: list[AnyCase] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "cases"):
            cases.extend(import_module(f"{config.name}.cases").CASES)
    return tuple(cases)


def check(cases: tuple[AnyCase, ...]) -> None:
    """What a declaration cannot express in types, checked once for every case."""
    slugs = [case.slug for case in cases]
    problems = [] if len(set(slugs)) == len(slugs) else ["case slugs must be unique"]
    for case in cases:
        if case.grows_with_n != case.naive_queries.grows:
            problems.append(f"{case.slug}: grows_with_n disagrees with the naive formula")
        if case.optimized_queries.grows:
            problems.append(f"{case.slug}: the optimized formula grows with N")
        if not set(case.techniques) <= set(TECHNIQUES):
            problems.append(f"{case.slug}: unknown technique")
        if not case.surfaces:
            problems.append(f"{case.slug}: declares neither a page nor an endpoint")
        if case.kind == "write" and (case.write is None or case_view(case, "api") is None):
            problems.append(f"{case.slug}: a write case needs a write setup and an endpoint")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


CASES: tuple[AnyCase, ...] = collect()
check(CASES)
CASES_BY_SLUG: dict[str, AnyCase] = {case.slug: case for case in CASES}
