"""Routes generated from case declarations: `naive/<slug>/` and `optimized/<slug>/`, named
`<slug>-naive` and `<slug>-optimized`, for a case's page (in its app's urls.py) and its endpoint
(in its api_urls.py). The slug is the one word to grep: URL, name, lab page, docs, test id.

An app mounts them only where the lab is enabled (settings.QUERYLAB_ENABLED): never in
production, where the naive variants would be a denial of service by design.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.urls import URLPattern, path
from django.views import View
from django.views.generic import RedirectView

from .case_api import CaseAPIView
from .case_views import CasePageView
from .cases import VARIANTS, AnyCase, Surface


def case_view(case: AnyCase, surface: Surface) -> type[View] | None:
    """The view that serves a case's page or endpoint: the shared one, or the case's own."""
    if surface == "page":
        return CasePageView if case.template is not None else None
    if case.api_view is not None:
        return case.api_view
    return CaseAPIView if case.schema is not None else None


def case_urlpatterns(cases: Iterable[AnyCase], surface: Surface) -> list[URLPattern]:
    """Both variants of every case that has this surface, each mounted with its declaration."""
    patterns = []
    for case in cases:
        view = case_view(case, surface)
        if view is None:
            continue
        # The lab runs write cases in-process inside rolled-back transactions; these routes
        # never exist in production, so they are not throttled (the public endpoints are).
        extra: dict[str, Any] = {"throttle_classes": ()} if case.kind == "write" else {}
        for variant in VARIANTS:
            patterns.append(
                path(
                    f"{variant}/{case.slug}/{case.route}",
                    view.as_view(case=case, variant=variant, **extra),
                    name=f"{case.slug}-{variant}",
                )
            )
    return patterns


class PermanentRedirect(RedirectView):
    """308, not 301: a client that POSTed to the old address POSTs again to the new one."""

    permanent = True
    query_string = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().get(request, *args, **kwargs)
        if isinstance(response, HttpResponsePermanentRedirect):
            response.status_code = 308
        return response


def moved_case_urlpatterns(namespace: str, moved: Mapping[str, str]) -> list[URLPattern]:
    """Redirects from each variant's former route (`naive/posts/`) to its case route
    (`naive/post-list/`): `moved` maps the old route after the variant to the case slug."""
    return [
        path(
            f"{variant}/{old}",
            PermanentRedirect.as_view(pattern_name=f"{namespace}:{slug}-{variant}"),
        )
        for old, slug in moved.items()
        for variant in VARIANTS
    ]
