"""The OpenAPI document other systems generate their clients from."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_openapi_document_is_valid(document):
    validate(document)  # raises on the first error


def test_every_operation_has_a_summary_and_a_tag(document):
    missing = [
        f"{method} {path}"
        for method, path, operation in _operations(document)
        if not operation.get("summary") or not operation.get("tags")
    ]

    assert missing == []


def test_every_operation_declares_its_refusals(document):
    missing = []
    for method, path, operation in _operations(document):
        expected = {"422", "429"}
        if "{" in path:
            expected.add("404")
        if operation.get("security"):
            expected |= {"401", "403"}
        declared = set(operation["responses"])
        if not expected <= declared:
            missing.append((method, path, sorted(expected - declared)))

    assert missing == []
    assert document["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_keys_and_sessions_are_both_declared(document):
    schemes = document["components"]["securitySchemes"]

    assert schemes["ApiKeyAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_open_operations_say_no_credentials_are_needed(document):
    entities = document["paths"]["/api/v1/ocop/entities"]

    assert {} in entities["get"]["security"]
    assert {} not in entities["post"]["security"]
