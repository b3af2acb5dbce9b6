"""The OpenAPI document describes every endpoint, and its docs page needs no CDN."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from http import HTTPStatus
from typing import Any

import pytest
from django.urls import URLResolver, get_resolver
from django.views.generic import RedirectView
from pydantic import BaseModel
from pydantic.json_schema import model_json_schema

from core.schemas import Problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict[str, Any]:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == HTTPStatus.OK
    loaded: dict[str, Any] = json.loads(response.content)
    return loaded


def api_paths() -> set[str]:
    paths = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "api/v1/":
            for child in pattern.url_patterns:
                if issubclass(getattr(child.callback, "view_class", object), RedirectView):
                    continue  # a case's former address: not an endpoint, not documented
                # Every endpoint is a DRF (or adrf) view, so DRF's schema sees it.
                assert hasattr(getattr(child, "callback", None), "cls"), child
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", str(child.pattern))  # re_path
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                route = route.lstrip("^").rstrip("$").replace("\\.", ".")
                paths.add(f"/api/v1/{route}")
    return paths


def test_every_endpoint_is_described(schema) -> None:
    assert schema["openapi"].startswith("3.1")
    assert api_paths()
    assert api_paths() == set(schema["paths"])


def test_operations_are_grouped_into_the_api_sections(schema) -> None:
    """/api/docs/ shows the public API first, apart from the forty-odd case variants and the
    feed's tiers."""
    assert [tag["name"] for tag in schema["tags"]] == ["public API", "case variants", "tiers"]
    tags: dict[str, set[str]] = defaultdict(set)
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            (tag,) = operation["tags"]
            tags[tag].add(path)
    assert "/api/v1/posts/" in tags["public API"]
    assert "/api/v1/users/me/" in tags["public API"]
    assert all(
        p.startswith(("/api/v1/naive/", "/api/v1/optimized/")) for p in tags["case variants"]
    )
    assert "/api/v1/naive/post-feed/" in tags["case variants"]
    assert tags["tiers"] == {
        "/api/v1/values/feed/",
        "/api/v1/values-orjson/feed/",
        "/api/v1/db-json/feed/",
        "/api/v1/cached/feed/",
    }
    assert not any("naive/" in p or "optimized/" in p for p in tags["public API"])


def test_writes_document_their_bodies_and_problems(schema) -> None:
    create = schema["paths"]["/api/v1/posts/"]["post"]

    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PostInRequest"
    )
    assert "201" in create["responses"]
    assert "application/problem+json" in create["responses"]["422"]["content"]
    post_in = schema["components"]["schemas"]["PostInRequest"]
    assert post_in["additionalProperties"] is False
    assert set(post_in["required"]) == {"title", "body", "category"}


def declared_models() -> set[type[BaseModel]]:
    """Every Pydantic model an endpoint declares as a body, and the problem document."""
    models: set[type[BaseModel]] = {Problem}
    for view in api_views():
        found = list(getattr(view, "request_models", {}).values())
        for responses in getattr(view, "response_models", {}).values():
            found += list(responses.values())
        if hasattr(view, "response_model"):
            found.append(view.response_model())
        models |= {model for model in found if isinstance(model, type)}
    return {model for model in models if issubclass(model, BaseModel)}


def api_views() -> list[Any]:
    """Every endpoint's view, made as DRF's schema generator makes it: with its mount's
    arguments (a case view's case and variant)."""
    views = []
    pending = list(get_resolver().url_patterns)
    while pending:
        pattern = pending.pop()
        if isinstance(pattern, URLResolver):
            pending += pattern.url_patterns
        elif hasattr(pattern.callback, "cls"):
            views.append(pattern.callback.cls(**getattr(pattern.callback, "initkwargs", {})))
    return views


def test_no_two_schemas_share_a_component_name() -> None:
    """The document has one component per name, and drf-spectacular keeps the first model of a
    name it meets: two models of one name would document one endpoint with the other's fields.
    Each model's schema is generated here as the document's is, nested models included."""
    components: dict[str, list[Any]] = defaultdict(list)
    for model in declared_models():
        schema = model_json_schema(
            model, ref_template="#/components/schemas/{model}", mode="serialization"
        )
        for name, nested in schema.pop("$defs", {}).items():
            components[name].append(nested)
        components[model.__name__].append(schema)

    assert len(components) > 40
    clashes = {
        name: len({json.dumps(s, sort_keys=True) for s in schemas})
        for name, schemas in components.items()
    }
    assert {name: count for name, count in clashes.items() if count > 1} == {}


def test_patch_bodies_are_required_and_fields_never_null(schema) -> None:
    operation = schema["paths"]["/api/v1/users/me/"]["patch"]
    body = operation["requestBody"]
    component = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]

    assert body["required"] is True
    properties = schema["components"]["schemas"][component]["properties"]
    assert properties
    for field in properties.values():
        assert "null" not in json.dumps(field), field
    assert properties["email"]["format"] == "email"


def test_read_endpoints_behind_a_login_document_401_and_403(schema) -> None:
    links = schema["paths"]["/api/v1/posts/{slug}/links/"]["get"]["responses"]
    me = schema["paths"]["/api/v1/users/me/"]["get"]["responses"]
    public = schema["paths"]["/api/v1/posts/"]["get"]["responses"]

    assert {"401", "403"} <= set(links) & set(me)
    assert not {"401", "403"} & set(public)


def test_async_endpoints_are_documented(schema) -> None:
    for path in ["/api/v1/naive/async-gather/", "/api/v1/optimized/async-gather/"]:
        assert "200" in schema["paths"][path]["get"]["responses"]
    assert "200" in schema["paths"]["/api/v1/posts/{slug}/links/"]["get"]["responses"]


def test_docs_page_is_served_from_local_files(client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r'src="https?://', html)


def test_docs_page_runs_no_inline_script_or_style(client) -> None:
    """The production policy allows scripts and styles from this origin only: the page's own
    start-up script and styles are files (tests/browser/test_api_docs.py runs it in Chromium)."""
    html = client.get("/api/docs/").content.decode()

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 3
    assert all(" src=" in tag for tag in scripts)
    assert "<style" not in html
    assert " style=" not in html
    start_up = re.findall(r'<script src="([^"]*\?[^"]*script=[^"]*)"', html)
    assert len(start_up) == 1
    script = client.get(start_up[0].replace("&amp;", "&"))
    assert script.status_code == HTTPStatus.OK
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_every_operation_documents_the_outage_answer(schema) -> None:
    operations = [
        operation
        for methods in schema["paths"].values()
        for method, operation in methods.items()
        if method in {"get", "post", "patch", "delete", "put"}
    ]

    assert len(operations) > 40
    for operation in operations:
        assert "503" in operation["responses"], operation["operationId"]


def test_reads_that_revalidate_document_the_header_and_the_304(schema) -> None:
    """The public reads with an ETag (blog.conditional) say how a client asks again."""
    revalidated = {
        path
        for path, methods in schema["paths"].items()
        if "304" in methods.get("get", {}).get("responses", {})
    }

    assert {
        "/api/v1/posts/",
        "/api/v1/posts/{slug}/",
        "/api/v1/posts/{slug}/comments/",
        "/api/v1/stats/",
        "/api/v1/users/",
        "/api/v1/users/{username}/",
        "/api/v1/posts/reading-list/",
        "/api/v1/naive/conditional-get/",
        "/api/v1/optimized/conditional-get/",
        # The stats cases mount the public stats view, ETag included.
        "/api/v1/naive/stats/",
        "/api/v1/optimized/stats/",
        "/api/v1/naive/stats-cache/",
        "/api/v1/optimized/stats-cache/",
    } == revalidated
    for path in revalidated:
        headers = [
            p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "header"
        ]
        assert headers == ["If-None-Match"], path
