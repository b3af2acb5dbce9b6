"""Every answer under /api/ keeps the error contract: a problem document, whoever produced the
error (a view, DRF, or Django itself), and a 503 with Retry-After when the database cannot answer.
Elsewhere the site keeps Django's HTML pages."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.test import Client

from tests.api.conftest import assert_problem, row_counts

pytestmark = pytest.mark.django_db

ERROR_URLS = "tests.api.error_urls"


@pytest.fixture
def failing_client(settings) -> Client:
    """The test client without re-raising, so the response Django sends is what is checked."""
    settings.ROOT_URLCONF = ERROR_URLS
    return Client(raise_request_exception=False)


def test_a_host_outside_allowed_hosts_is_a_problem_under_api(client) -> None:
    response = client.get("/api/v1/posts/", HTTP_HOST="attacker.example")

    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert "attacker" not in json.dumps(body)


def test_a_host_outside_allowed_hosts_is_a_page_elsewhere(client) -> None:
    response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"].startswith("text/html")


def test_a_bug_is_a_problem_under_api_and_a_page_elsewhere(failing_client) -> None:
    api = failing_client.get("/api/v1/test-bug/")
    page = failing_client.get("/test-bug/")

    body = assert_problem(api, HTTPStatus.INTERNAL_SERVER_ERROR)
    assert "details" not in json.dumps(body)
    assert page.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_response_that_breaks_its_schema_is_a_500_not_the_clients_fault(
    failing_client, caplog, method
) -> None:
    response = getattr(failing_client, method)("/api/v1/test-broken-response/")

    body = assert_problem(response, HTTPStatus.INTERNAL_SERVER_ERROR)
    assert "request" not in body["detail"]
    assert "Internal Server Error: /api/v1/test-broken-response/" in caplog.text


def test_a_broken_query_is_a_bug_not_an_outage(failing_client) -> None:
    response = failing_client.get("/api/v1/test-missing-table/")

    assert_problem(response, HTTPStatus.INTERNAL_SERVER_ERROR)
    assert "Retry-After" not in response


@pytest.mark.postgres
def test_a_database_that_cannot_answer_is_a_503_with_retry_after(failing_client) -> None:
    api = failing_client.get("/api/v1/test-statement-timeout/")
    page = failing_client.get("/test-statement-timeout/")

    assert_problem(api, HTTPStatus.SERVICE_UNAVAILABLE)
    assert api["Retry-After"] == "5"
    assert page.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert page["Content-Type"].startswith("text/html")
    assert page["Retry-After"] == "5"
    assert b"try again" in page.content


def test_unknown_api_addresses_are_problems(client) -> None:
    for path in ["/api/v1/nothing-here/", "/api/v2/posts/", "/api/v1/posts"]:
        assert_problem(client.get(path), HTTPStatus.NOT_FOUND)
        assert_problem(client.post(path), HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize(
    "content_type",
    ["APPLICATION/JSON", "Application/Json; charset=UTF-8", "application/json ; charset=utf-8"],
)
def test_media_types_compare_without_case(author_client, news, content_type) -> None:
    body = {"title": "A post", "body": "Its body.", "category": news.slug}

    response = author_client.post("/api/v1/posts/", json.dumps(body), content_type=content_type)

    assert response.status_code == HTTPStatus.CREATED, response.content


def test_another_media_type_is_still_refused(author_client, news) -> None:
    before = row_counts()

    response = author_client.post("/api/v1/posts/", "title=x", content_type="text/plain")

    assert_problem(response, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    assert row_counts() == before


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v1/naive/async-gather/", "/api/v1/optimized/async-gather/", "/api/v1/stats/"]
)
def test_a_method_an_endpoint_lacks_is_a_405_problem_for_everyone(author, method, path) -> None:
    """Before the async endpoints were DRF views, a browser session's POST met Django's HTML
    CSRF page; and DRF checks a login before the method, so an anonymous one got a 401."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)

    for client in (browser, Client()):
        response = getattr(client, method)(path)
        assert_problem(response, HTTPStatus.METHOD_NOT_ALLOWED)
        assert response["Allow"].startswith("GET")
