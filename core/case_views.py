"""The views every case shares: one page view and one template serve both variants.

A case route is mounted as `CasePageView.as_view(case=case, variant="naive")` (core.case_routes
does it for every declaration), so the page a person compares in the debug toolbar, the lab's
measurement and the tests run the same view and template, and differ only in the selector the
declaration names for that variant.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views import View

from .case_output import report_rows
from .cases import AnyCase, Variant

__all__ = ["CasePageView", "CaseVariantMixin"]


class CaseVariantMixin:
    """A view mounted for one variant of one case: `as_view(case=..., variant=...)`."""

    case: AnyCase | None = None
    variant: Variant | None = None

    def case_and_variant(self) -> tuple[AnyCase, Variant]:
        if self.case is None or self.variant is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__}: mount with as_view(case=, variant=)"
            )
        return self.case, self.variant

    def variant_code(self, mounted: Any = None) -> Any:
        """What this variant runs: its selector (or service) from the declaration, or, on a
        public route mounted without a case, `mounted`."""
        if self.case is None and mounted is not None:
            return mounted
        case, variant = self.case_and_variant()
        return case.selectors[variant]


class CasePageView(CaseVariantMixin, View):
    """Render one variant of a read case: read the request, call the selector, render the
    case's template. The context always has `rows`, the list the page shows, which the view
    reports to the lab (core.case_output) and the tests compare across variants."""

    def get(self, request: HttpRequest, **url_kwargs: Any) -> HttpResponse:
        case, variant = self.case_and_variant()
        if case.template is None:
            raise ImproperlyConfigured(f"{case.slug} declares no template")
        params = case.params()
        result = case.selectors[variant](**params.read(request, **url_kwargs))
        rows = params.rows(result)
        report_rows(rows)
        other: Variant = "optimized" if variant == "naive" else "naive"
        context = {
            "rows": rows,
            "result": result,
            "case_slug": case.slug,
            "variant": variant,
            "other_variant": other,
            "other_variant_url": _other_url(case, other, url_kwargs, request),
        }
        return TemplateResponse(request, case.template, context)


def _other_url(
    case: AnyCase, other: Variant, url_kwargs: dict[str, Any], request: HttpRequest
) -> str | None:
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    try:
        return reverse(case.url_name("page", other), kwargs=url_kwargs) + query
    except NoReverseMatch:
        return None
