"""The API against its own OpenAPI document, by schemathesis: every operation, authenticated.

For each operation in `/api/schema/`, schemathesis generates requests from the schema (valid ones,
and invalid ones that break a type, a bound or a required field) and checks every response: no
5xx, a status and content type the schema documents, a body that validates against the
documented schema, valid requests accepted and invalid ones refused. It calls the WSGI
application in process, so the rows it reads and writes live in the test database.

The acceptance rules (`schemathesis.toml`): a schema-valid request may still get a 422 when it
names a category that does not exist or a post that is not yours, and a 400 when its cursor is a
well-formed string this API never issued. Examples per operation come from the Hypothesis profile
(`HYPOTHESIS_PROFILE=thorough` for a long run; see tests/conftest.py). The deployed stack, with
every check and the stateful phase, is tests/api/test_schema_production.py.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from config.wsgi import application
from tests.factories import PostFactory, UserFactory

# Loaded once at collection: the document does not depend on the data.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def token(db: None) -> str:
    """A user with a token, and some of their posts with tags and comments to read back."""
    author = UserFactory.create()
    PostFactory.create_batch(3, author=author, tags=2, comments=2)
    key: str = Token.objects.create(user=author).key
    return key


@schema.parametrize()
@pytest.mark.usefixtures("connection_kept_across_requests")
# schemathesis sets its own Hypothesis settings over the profile's; the fixture's rows are shared
# by every example on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_to_the_schema(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {token}"})
