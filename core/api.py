"""The API's edge: Pydantic in, Pydantic out, and one error shape (RFC 9457 problem details).

DRF routes, authenticates, throttles and negotiates; it never (de)serializes these bodies. A view
reads its body with `parse_body(request, SomeIn)` and answers with `json_response(ADAPTER, obj)`.
Every error, DRF's own included, leaves as `application/problem+json` through
`problem_exception_handler`, and no error body repeats what the client sent.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, TypeVar

import adrf.views
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, TypeAdapter, ValidationError
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView as DRFAPIView
from rest_framework.views import exception_handler as drf_exception_handler

from .cache_policy import CachePolicyMixin
from .errors import DomainConflictError, DomainValidationError
from .params import InvalidParameterError

PROBLEM_CONTENT_TYPE = "application/problem+json"
InT = TypeVar("InT", bound=BaseModel)


class ProblemError(exceptions.APIException):
    """An error with its own problem type, raised from views and services."""

    def __init__(self, status: int, detail: str, *, errors: list[dict[str, Any]] | None = None):
        super().__init__(detail=detail)
        self.status_code = status
        self.errors = errors


class MethodFirstMixin:
    """Answer a method the endpoint does not have with 405 for everyone, before authentication
    and permissions: DRF checks those first, so an anonymous POST to a read-only endpoint would
    get a 401 that suggests logging in would help."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = (request.method or "").lower()
        if method not in getattr(self, "http_method_names", ()) or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class APIView(CachePolicyMixin, MethodFirstMixin, DRFAPIView):
    """Every API endpoint's base: DRF's APIView, with the method checked first and the view's
    `cache_policy` on every response (core.cache_policy)."""


class AsyncAPIView(CachePolicyMixin, MethodFirstMixin, adrf.views.APIView):  # type: ignore[misc]
    """The same for endpoints with `async def` handlers (adrf: DRF's authentication,
    permissions, throttles and errors, awaited)."""


def problem_body(
    status: int, detail: str, *, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem(status: int, detail: str, *, errors: list[dict[str, Any]] | None = None) -> Response:
    """A problem document from a DRF view."""
    body = problem_body(status, detail, errors=errors)
    return Response(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(status: int, detail: str) -> JsonResponse:
    """A problem document from a plain Django view or middleware."""
    body = problem_body(status, detail)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


@csrf_exempt  # it changes nothing, and a write to a wrong address deserves a 404, not a 403
def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any address under /api/ that no endpoint matches: a problem document, as from the API,
    rather than the site's HTML 404 page (or, with DEBUG on, Django's debug page)."""
    return problem_response(HTTPStatus.NOT_FOUND, "There is no API endpoint at this address.")


def validation_errors(error: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors without `input` or `ctx`: an error body never echoes a value."""
    return [
        {"loc": list(detail["loc"]), "msg": detail["msg"], "type": detail["type"]}
        for detail in error.errors(include_input=False, include_url=False, include_context=False)
    ]


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error the API raises becomes a problem document."""
    # A Pydantic ValidationError that reaches this point was raised while the server built a
    # response (the request's own are turned into problems by parse_body): a bug, so it is not
    # handled here and Django answers 500.
    if isinstance(exc, ProblemError):
        return problem(exc.status_code, str(exc.detail), errors=exc.errors)
    if isinstance(exc, InvalidParameterError):  # a bad query parameter (core.params)
        return problem(HTTPStatus.BAD_REQUEST, str(exc))
    if isinstance(exc, DomainValidationError):
        errors = [{"loc": list(exc.loc), "msg": exc.message, "type": exc.code}]
        conflict = isinstance(exc, DomainConflictError)
        code = HTTPStatus.CONFLICT if conflict else HTTPStatus.UNPROCESSABLE_ENTITY
        return problem(code, exc.message, errors=errors)
    if isinstance(exc, RequestDataTooBig):
        return problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is too large.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: let Django report the bug
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    status = response.status_code
    result = problem(status, str(detail or HTTPStatus(status).description))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def parse_body(request: Request, model: type[InT]) -> InT:
    """Validate the raw JSON body against `model`: 415 for another content type, 400 for
    malformed JSON, 413 past DATA_UPLOAD_MAX_MEMORY_SIZE, 422 for invalid values."""
    # Media types compare without regard to case (RFC 9110, 8.3.1): APPLICATION/JSON is JSON.
    if request.content_type.split(";")[0].strip().lower() != "application/json":
        raise ProblemError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "The request body must be application/json."
        )
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ProblemError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is too large."
        ) from None
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        if any(detail["type"] == "json_invalid" for detail in error.errors()):
            raise ProblemError(
                HTTPStatus.BAD_REQUEST, "The request body is not valid JSON."
            ) from None
        raise ProblemError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "The request body is not valid.",
            errors=validation_errors(error),
        ) from None


class ResponseSchemaError(RuntimeError):
    """A response the server built breaks its own schema (a count that is None, a field the
    queryset forgot): a bug in the server, never the client's fault. Not a DRF or Pydantic
    error, so it escapes the API's exception handler as a 500 (a problem document, logged with
    its traceback) instead of passing for a 422 about the request."""


def json_response(adapter: TypeAdapter[Any], value: Any, *, status: int = 200) -> HttpResponse:
    """Validate `value` (model instances, rows or dicts) into the schema, then serialize it with
    the adapter's compiled serializer: no dicts built by hand. Reading the attributes is what
    triggers lazy loads, so a naive queryset's N+1 happens here, as in a template."""
    try:
        validated = adapter.validate_python(value, from_attributes=True)
    except ValidationError as error:
        raise ResponseSchemaError(
            f"the response breaks {adapter}: {validation_errors(error)}"
        ) from error
    return HttpResponse(
        adapter.dump_json(validated, by_alias=True), status=status, content_type="application/json"
    )
