"""OpenAPI for views whose bodies are Pydantic models rather than DRF serializers.

A view declares `request_models = {"POST": PostIn}` and `response_models = {"POST": {201:
PostDetailOut}}` (or a case view, its `response_model()`); drf-spectacular's Pydantic extension
turns each model into a component. Every operation also documents the problem document its
errors come as.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from .conditional import revalidates
from .params import QueryParams
from .schemas import Problem

# A view's `response_models`: per method, per status (or (status, media type)), the body's model.
ResponseModels = dict[str, dict[Any, Any]]

ERROR_STATUSES = {
    "GET": (400, 404),
    "POST": (400, 401, 403, 404, 409, 413, 415, 422, 429),
    "PATCH": (400, 401, 403, 404, 409, 413, 415, 422, 429),
    "DELETE": (401, 403, 404, 429),
}
# A read behind a login (staff only, your own account): who may not, is told so.
AUTHENTICATION_STATUSES = (401, 403)
# Any operation, while the database cannot be reached (core/error_views.py), with Retry-After.
UNAVAILABLE = 503


def _denies_anonymous(view: Any, method: str) -> bool:
    """Whether one of the view's permissions refuses an anonymous `method` request."""
    request = Request(APIRequestFactory().generic(method, "/"))
    request.user = AnonymousUser()
    return not all(
        permission.has_permission(request, view) for permission in view.get_permissions()
    )


NO_NUL_PATTERN = "^[^\\x00]*$"
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of the copy you hold: a 304 with no body if it is still current.",
)


class PydanticAutoSchema(AutoSchema):
    def get_operation_id(self) -> str:
        # `posts/` and `posts/{slug}/` would both be "posts_retrieve": keep the parameters.
        path = re.sub(r"\{(\w+)\}", r"by_\1", self.path)
        parts = [part.replace("-", "_") for part in path.split("/") if part and part != "api"]
        return "_".join([*parts, self.method.lower()])

    def get_request_serializer(self) -> Any:
        return getattr(self.view, "request_models", {}).get(self.method)

    def _get_request_body(self, direction: str = "request") -> Any:
        # Every body this API reads is required: parse_body refuses an empty one (415 without a
        # content type, 400 for no JSON), PATCH included, although every field of it is optional.
        body = super()._get_request_body(direction)  # type: ignore[no-untyped-call]
        if body is not None and self.get_request_serializer() is not None:
            body["required"] = True
        return body

    def get_response_serializers(self) -> Any:
        declared = getattr(self.view, "response_models", None)
        if declared is None and hasattr(self.view, "response_model"):
            declared = {"GET": {200: self.view.response_model()}}
        responses: dict[Any, Any] = dict((declared or {}).get(self.method, {}))
        statuses = {*ERROR_STATUSES.get(self.method, ()), UNAVAILABLE}
        if _denies_anonymous(self.view, self.method):
            statuses.update(AUTHENTICATION_STATUSES)
        for status in sorted(statuses):
            responses[(status, "application/problem+json")] = Problem
        if self.method == "GET" and revalidates(self.view):
            responses[304] = None  # the client's copy is current: no body
        return responses

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: Any,
        media_types: Any = None,
        direction: str = "response",
    ) -> Any:
        # OpenAPI links: what a response lets a client (or schemathesis's stateful phase) do
        # next, e.g. read, edit and delete the post a POST created, by the slug it answered.
        response = super()._get_response_for_code(  # type: ignore[no-untyped-call]
            serializer, status_code, media_types, direction
        )
        declared = getattr(self.view, "response_links", {})
        links = declared.get((self.method, str(status_code)))
        if links:
            response["links"] = links
        return response

    def get_override_parameters(self) -> list[Any]:
        declared = getattr(self.view, "query_parameters", {})
        conditional = [IF_NONE_MATCH] if self.method == "GET" and revalidates(self.view) else []
        return [*super().get_override_parameters(), *declared.get(self.method, ()), *conditional]


def slug_links(*operation_ids: str, pointer: str = "$response.body#/slug") -> dict[str, Any]:
    """OpenAPI links from a response holding a post's slug to the operations that take it."""
    return {
        operation_id: {"operationId": operation_id, "parameters": {"slug": pointer}}
        for operation_id in operation_ids
    }


def query_parameters(model: type[QueryParams]) -> list[OpenApiParameter]:
    """The OpenAPI parameters of a query model: each field's JSON schema (bounds, default,
    description), so what a view enforces and what the document says are one declaration."""
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", ()))
    parameters = []
    for name, declared in schema["properties"].items():
        field = dict(declared)
        field.pop("title", None)
        description = field.pop("description", "")
        # `X | None = None`: absent is the None; the parameter itself is an X.
        options = [option for option in field.pop("anyOf", ()) if option.get("type") != "null"]
        if options:
            field |= options[0]
        parameters.append(
            OpenApiParameter(
                name,
                field,
                OpenApiParameter.QUERY,
                required=name in required,
                description=description,
            )
        )
    return parameters


def document_parameter_rules(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: state two rules every view shares in the schema.

    An optional query parameter with an empty value (`?limit=`) reads as absent, as from an HTML
    form's empty field. And no parameter may hold a NUL character:
    `core.middleware.RejectNulMiddleware` refuses those with a 400 before any view runs.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
                schema = parameter.get("schema", {})
                if (
                    schema.get("type") == "string"
                    and "pattern" not in schema
                    and "enum" not in schema
                ):
                    schema["pattern"] = NO_NUL_PATTERN
    return result


def tag_operations(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: file each operation under one of the sections
    settings.API_SECTIONS names, by the start of its path after the API's prefix, and the rest
    under the first section (the public API), so /api/docs/ shows them apart."""
    sections: dict[str, tuple[str, ...]] = settings.API_SECTIONS
    default = next(iter(sections))
    for path, operations in result.get("paths", {}).items():
        relative = path.removeprefix(settings.API_PREFIX)
        tag = next(
            (name for name, starts in sections.items() if relative.startswith(starts)),
            default,
        )
        for operation in operations.values():
            operation["tags"] = [tag]
    return result
