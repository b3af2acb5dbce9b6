"""The API docs under the production Content Security Policy: Swagger UI must run, with no
inline script or style for the policy to block."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_under_the_production_policy(production_server, page, tmp_path) -> None:
    response = page.goto(f"{production_server}/api/docs/")

    assert response is not None
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # Swagger UI has fetched the schema and drawn an entry per operation.
    page.wait_for_selector(".opblock", timeout=15_000)
    operations = page.locator(".opblock").count()
    assert operations >= 15  # the public API: posts, comments, users, stats, exports, ...
    assert page.evaluate("window.cspViolations") == []
    assert not [error for error in page.console_errors if "Content Security Policy" in error]
