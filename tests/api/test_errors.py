"""Every 4xx answer of the API has one shape, documented in OpenAPI; the edges of issue 14."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mentorbridge.core.limits import REQUEST_LINE_MAX_BYTES
from mentorbridge.matching.services import requests as request_services
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def assert_error_shape(body: dict[str, object]) -> None:
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    errors = body["errors"]
    assert isinstance(errors, dict)
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in errors.values())


def test_schema_errors_and_service_errors_have_the_same_shape(
    client_for: Clients, mentee: Person
) -> None:
    client = client_for(mentee)
    schema = client.patch("/api/v1/me", {"bio": 5}, content_type="application/json")
    service = client.patch("/api/v1/me", {"timezone": "Mars/Base"}, content_type="application/json")
    for response in (schema, service):
        assert response.status_code == 422
        assert_error_shape(response.json())
    assert schema.json()["errors"] == {"bio": ["Input should be a valid string"]}
    assert "timezone" in service.json()["errors"]


def test_a_query_parameter_error_names_the_parameter(client_for: Clients, mentee: Person) -> None:
    response = client_for(mentee).get("/api/v1/people?limit=0")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["limit"]


def test_401_403_404_and_413_have_the_shape_too(
    client_for: Clients, mentee: Person, settings: object
) -> None:
    anonymous = Client().get("/api/v1/me")
    assert anonymous.status_code == 401
    assert_error_shape(anonymous.json())
    not_found = client_for(mentee).get("/api/v1/people/NOBODY")
    assert not_found.status_code == 404 and not_found.json()["detail"] == "No such person."
    assert_error_shape(not_found.json())
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(mentee.user)
    refused = csrf.patch("/api/v1/me", {"bio": "x"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert_error_shape(refused.json())


def test_a_body_over_the_size_limit_is_a_413(
    client_for: Clients, mentee: Person, settings: pytest.FixtureRequest
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # type: ignore[attr-defined]
    response = client_for(mentee).patch(
        "/api/v1/me", {"bio": "x" * 2000}, content_type="application/json"
    )
    assert response.status_code == 413
    assert_error_shape(response.json())
    mentee.refresh_from_db()
    assert mentee.bio == ""


@pytest.mark.parametrize("body", ["true", "[]", '"bio"', "null", "3"])
def test_a_body_that_is_not_an_object_is_a_422(
    client_for: Clients, mentee: Person, body: str
) -> None:
    response = client_for(mentee).patch("/api/v1/me", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "must be a JSON object" in response.json()["detail"]


def test_true_is_not_a_request_to_a_mentor(client_for: Clients, mentee: Person) -> None:
    response = client_for(mentee).post(
        "/api/v1/programs/engineering-growth/requests", "true", content_type="application/json"
    )
    assert response.status_code == 422


def test_a_huge_offset_is_a_422_not_a_server_error(client_for: Clients, mentee: Person) -> None:
    client = client_for(mentee)
    for query in ("offset=9223372036854775808", "department_id=9223372036854775808", "level=99"):
        response = client.get(f"/api/v1/people?{query}")
        assert response.status_code == 422, query
        assert_error_shape(response.json())
    assert client.get("/api/v1/people?offset=1000000000").status_code == 200


def test_a_wrong_token_on_a_write_is_a_401_not_a_csrf_403(mentee: Person) -> None:
    response = Client().post(
        "/api/v1/programs/engineering-growth/requests",
        {"focus_area_id": 1, "mentor": "X", "message": "Hi"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer mb_invented",
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_error_shape(response.json())


def test_someone_elses_request_is_a_404_like_one_that_does_not_exist(
    client_for: Clients,
    mentee: Person,
    mentor: Person,
    outsider: Person,
) -> None:
    area = FocusArea.objects.get(enrollment__person=mentee)
    created = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=area, message="Hello"
    )
    client = client_for(outsider)
    theirs = client.get(f"/api/v1/requests/{created.pk}")
    missing = client.get(f"/api/v1/requests/{created.pk + 1000}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert client.post(f"/api/v1/requests/{created.pk}/withdraw").status_code == 404


def test_the_openapi_schema_documents_the_error_answers_of_every_operation(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {"detail", "errors"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"400", "401", "403", "429"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in responses, (method, path)
            for status, answer in responses.items():
                if status.startswith("4") and status != "414":
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOut"


def test_every_operation_documents_the_web_servers_414_as_an_html_page(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            answer = operation["responses"]["414"]
            assert set(answer["content"]) == {"text/html"}, (method, path)
            assert f"{REQUEST_LINE_MAX_BYTES:,} bytes" in answer["description"]


# Path parameters are bounded by the records they name, not by the schema.
PATH_STRING_MAX_CHARS = {
    "slug": Program._meta.get_field("slug").max_length,
    "employee_id": Person._meta.get_field("employee_id").max_length,
}


def _longest_value(schema: dict[str, Any], components: dict[str, Any]) -> int | None:
    """Bytes of the longest value the schema accepts, percent-encoded, each character taken as
    4 bytes of UTF-8 (12 on the wire); None when the schema does not bound it."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        lengths = [_longest_value(option, components) for option in schema["anyOf"]]
        return None if None in lengths else max(n for n in lengths if n is not None)
    if "enum" in schema:
        return max(len(str(value)) * 12 for value in schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        return schema["maxLength"] * 12 if "maxLength" in schema else None
    if kind == "integer":  # record ids are 64-bit at most: 20 characters with the sign
        bounds = [schema.get("minimum", -(2**63)), schema.get("maximum", 2**63 - 1)]
        return max(len(str(b)) for b in bounds)
    if kind == "boolean":
        return len("false")
    if kind == "null":
        return 0
    return None


def test_the_longest_valid_request_of_every_operation_fits_the_web_servers_request_line(
    db: None,
) -> None:
    """So a 414 from the web server only ever answers a parameter over its limit."""
    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            line = len(f"{method.upper()} {path} HTTP/1.1?")
            for parameter in operation.get("parameters", []):
                name, where = parameter["name"], parameter["in"]
                longest = _longest_value(parameter["schema"], components)
                if longest is None and where == "path" and name in PATH_STRING_MAX_CHARS:
                    longest = PATH_STRING_MAX_CHARS[name] * 12
                assert longest is not None, f"{method} {path}: {name} has no upper bound"
                line += longest + (len(name) + 2 if where == "query" else 0)
            assert line <= REQUEST_LINE_MAX_BYTES, (method, path, line)


def test_the_production_server_refuses_request_lines_at_the_documented_limit() -> None:
    import config.gunicorn

    assert config.gunicorn.limit_request_line == REQUEST_LINE_MAX_BYTES


def test_the_docs_page_works_offline(db: None) -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "swagger-ui.css" in page
    addresses = re.findall(r"(?:src|href|data-openapi-url)=\"([^\"]*)\"", page)
    assert len(addresses) == 4
    # Every address the page loads is on this server. The page's CSRF token is
    # random text, so "cdn" is looked for in the addresses only.
    for address in addresses:
        assert address.startswith("/") and not address.startswith("//"), address
        assert "cdn" not in address.lower(), address
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_a_path_no_operation_serves_is_a_404_in_the_same_shape(db: None) -> None:
    response = Client().get("/api/v1/programs/engineering-growth/join")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert_error_shape(response.json())


def test_a_method_a_path_does_not_answer_is_a_405_in_the_same_shape(
    client_for: Clients, mentee: Person
) -> None:
    response = client_for(mentee).delete("/api/v1/me")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}
    assert_error_shape(response.json())


def test_a_field_the_endpoint_does_not_know_is_a_422_naming_it_and_changes_nothing(
    client_for: Clients, mentee: Person
) -> None:
    response = client_for(mentee).patch(
        "/api/v1/me", {"bio": "New bio", "biography": "typo"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert_error_shape(response.json())
    assert "biography" in response.json()["errors"]
    mentee.refresh_from_db()
    assert mentee.bio != "New bio"


def test_the_api_root_says_where_its_docs_are(db: None) -> None:
    """django-ninja's own root view raised a 404: with DEBUG on, Django's debug page listing
    every address of the site."""
    response = Client().get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "name": "MentorBridge API",
        "version": "1",
        "docs": "/api/v1/docs",
        "openapi": "/api/v1/openapi.json",
    }
    assert Client().get(response.json()["openapi"]).status_code == 200
    refused = Client(enforce_csrf_checks=True).post("/api/v1/", "x" * 10_000, "text/plain")
    assert refused.status_code == 405
    assert refused["Allow"] == "GET, HEAD"
    assert_error_shape(refused.json())
