"""The API view both variants of a case share: same parameters, same schema, other selector.

The schema reads the same attributes as the case's template, so the endpoint costs what the page
costs, and the naive and optimized bodies must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter
from pydantic import BaseModel, TypeAdapter, create_model
from rest_framework.request import Request

from .api import APIView, json_response
from .cache_policy import CachePolicy
from .case_output import report_rows
from .case_params import CaseParams
from .case_views import CaseVariantMixin
from .openapi import query_parameters


@cache
def results_model(item: type[BaseModel]) -> type[BaseModel]:
    """`{"results": [item, ...]}`, named after the item for the OpenAPI components."""
    return create_model(f"{item.__name__}List", results=(list[item], ...))  # type: ignore[valid-type]


@cache
def adapter_for(model: type[BaseModel]) -> TypeAdapter[Any]:
    return TypeAdapter(model)


@dataclass(frozen=True)
class RowsEndpoint:
    """What a rows endpoint runs: the selector, the schema of a row (or of the one object,
    `many=False`) and how it reads its request."""

    selector: Callable[..., Any]
    item_model: type[BaseModel]
    many: bool = True
    params: type[CaseParams] = CaseParams

    @property
    def response_model(self) -> type[BaseModel]:
        return results_model(self.item_model) if self.many else self.item_model


class RowsAPIView(APIView):
    """GET `{"results": [...]}` (or one object) from one selector, in one schema. Public
    endpoints mount it with `as_view(selector=..., item_model=...)`; CaseAPIView takes the same
    from a case declaration."""

    selector: Callable[..., Any] | None = None
    item_model: type[BaseModel] | None = None
    many: bool = True
    params: type[CaseParams] = CaseParams

    def endpoint(self) -> RowsEndpoint:
        if self.selector is None or self.item_model is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__}: mount with selector= and item_model="
            )
        return RowsEndpoint(self.selector, self.item_model, self.many, self.params)

    def response_model(self) -> type[BaseModel]:
        return self.endpoint().response_model

    @property
    def query_parameters(self) -> dict[str, list[OpenApiParameter]]:
        return {"GET": query_parameters(self.endpoint().params.query)}

    def get(self, request: Request, **url_kwargs: Any) -> HttpResponse:
        endpoint = self.endpoint()
        params = endpoint.params()
        kwargs = params.read(request, **url_kwargs)
        result = endpoint.selector(**kwargs)
        rows = list(params.rows(result))
        report_rows(rows)
        payload = {"results": rows} if endpoint.many else result
        return json_response(adapter_for(endpoint.response_model), payload)


class CaseAPIView(CaseVariantMixin, RowsAPIView):
    """One variant of a read case as JSON: its selector, in the case's schema."""

    cache_policy = CachePolicy.PUBLIC  # what the public reads show, by other code

    def endpoint(self) -> RowsEndpoint:
        case, variant = self.case_and_variant()
        if case.schema is None:
            raise ImproperlyConfigured(f"{case.slug} declares no schema")
        return RowsEndpoint(case.selectors[variant], case.schema, case.many, case.params)
