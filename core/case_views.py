"""The view both variants of a case share: the URL injects the selector, nothing else differs.

Mounted twice per case, as `<case>-naive` and `<case>-optimized` (see urls.py), so the page a
person compares in the debug toolbar, the lab's measurement and the tests all run the same view
and template, and differ only in the selector's queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views import View

DEFAULT_LIMIT = 20
MAX_LIMIT = 500
# A number as JSON writes it, ASCII digits only: no spaces, underscores or other scripts' digits.
JSON_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


class InvalidParameterError(ValueError):
    """A query parameter the client sent is malformed; the message says which and why."""


def int_parameter(query: QueryDict, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """`?name=N`: a whole number within the bounds, `default` when absent or empty.

    Written as JSON would write it (`20`, `20.0`, `2e1`), as the schema's `integer` allows; the
    bounds are checked before the number is built, so `1e999999999` costs nothing.
    """
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not JSON_NUMBER.fullmatch(raw):
        raise InvalidParameterError(f"{name} must be a whole number")
    number = Decimal(raw)
    if number != number.to_integral_value():
        raise InvalidParameterError(f"{name} must be a whole number")
    if not minimum <= number <= maximum:
        # The message names the rule, never the value: error bodies do not echo input.
        raise InvalidParameterError(f"{name} must be between {minimum} and {maximum}")
    return int(number)


def parse_limit(query: QueryDict) -> int:
    """`?limit=N`: how many rows to show, 1 to 500, 20 when absent."""
    return int_parameter(query, "limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)


class CaseParams:
    """How a case reads its request and finds its rows; shared by its page and its API view.

    The default is `?limit=` plus the URL's own arguments; a case whose selector needs more (a
    viewer, a cursor) overrides `selector_kwargs`, and one whose rows are not the selector's
    result itself (a post's comments, a page's rows) overrides `rows`.
    """

    def selector_kwargs(self, request: HttpRequest, **url_kwargs: Any) -> dict[str, Any]:
        return {"limit": parse_limit(request.GET), **url_kwargs}

    def rows(self, result: Any) -> Any:
        return result


class CasePageView(CaseParams, View):
    """Render one variant of a read case: parse the request, call the selector, render.

    Subclasses set `template_name`. The context always has `rows`: the list the page shows,
    which the lab measures and the tests compare across variants.
    """

    selector: Callable[..., Any] | None = None
    template_name: ClassVar[str] = ""

    def get(self, request: HttpRequest, **url_kwargs: Any) -> HttpResponse:
        if self.selector is None:
            raise ImproperlyConfigured(f"{type(self).__name__}: mount with as_view(selector=...)")
        try:
            selector_kwargs = self.selector_kwargs(request, **url_kwargs)
        except InvalidParameterError as error:
            return render(request, "bad_request.html", {"message": str(error)}, status=400)
        result = self.selector(**selector_kwargs)
        context = {"rows": self.rows(result), "result": result, **self.case_context(request)}
        return TemplateResponse(request, self.template_name, context)

    def case_context(self, request: HttpRequest) -> dict[str, Any]:
        """Which case and variant this is, and the URLs of the other variant and the lab."""
        match = request.resolver_match
        if match is None or not match.url_name:
            raise ImproperlyConfigured("a case page needs a URL name <case>-<variant>")
        case, _, variant = match.url_name.rpartition("-")
        other = "optimized" if variant == "naive" else "naive"
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return {
            "case_slug": case,
            "variant": variant,
            "other_variant": other,
            "other_variant_url": _reverse_or_none(
                f"{match.namespace}:{case}-{other}", match.kwargs, query
            ),
        }


def _reverse_or_none(name: str, kwargs: Mapping[str, Any], query: str) -> str | None:
    try:
        return reverse(name, kwargs=dict(kwargs)) + query
    except NoReverseMatch:
        return None
