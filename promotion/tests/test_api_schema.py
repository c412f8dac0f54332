"""The public API against its own OpenAPI description (schemathesis): every documented operation, with values
generated from the description and outside it, answers no 500 and only responses the description gives, each
with the documented JSON body (429 included)."""
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _description():
    """The description the API serves at /api/v1/openapi.json (no database needed to write it)."""
    from django.test import RequestFactory

    from promotion.views.public import openapi_document

    return openapi_document(RequestFactory().get("/api/v1/openapi.json"))


schema = schemathesis.openapi.from_dict(_description())
schema.app = get_wsgi_application()


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The requests go through Django's real WSGI handler, whose request_started and request_finished signals
    close a connection left in a transaction: the test's own (PostgreSQL). Django's test client holds that back
    the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api(demo_full, settings, wsgi_keeps_the_test_connection):
    settings.OCOP_API_RATE = 10**9  # the 429 has its own test below


@schema.parametrize()
@hypothesis_settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 40)), deadline=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_its_description(case, api):
    case.call_and_validate(checks=CHECKS)


def test_the_served_description_is_the_one_tested(client):
    assert client.get("/api/v1/openapi.json").json() == _description()


def test_the_429_is_the_json_the_description_gives(demo_full, settings, wsgi_keeps_the_test_connection):
    from django.core.cache import cache

    cache.clear()
    settings.OCOP_API_RATE = 1
    operation = schema["/products/"]["GET"]
    first = operation.Case().call()
    assert first.status_code == 200
    refused = operation.Case().call()
    headers = {k.lower(): v for k, v in refused.headers.items()}
    assert refused.status_code == 429 and headers["content-type"] == ["application/json"]
    assert refused.json() == {"error": "too many requests from this address", "retry_after": 60}
    operation.validate_response(refused)  # raises when the body does not match the description
