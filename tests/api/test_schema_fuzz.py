"""schemathesis against the API's own OpenAPI schema, served by the application itself.

Every operation is called with generated requests, signed in with a personal token of a
program admin who is also enrolled in a program with a request and a round, so that the
generated calls reach real objects. Each response must not be a server error and must
conform to the schema: its status code is documented and its body matches.
Bounded: a fixed number of examples per operation, no shrinking time spent beyond that.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from mentorbridge.accounts.services import api_token_create
from mentorbridge.core.setup import hr_group
from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import rounds as round_services
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory, ProgramFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

EXAMPLES = 15


@pytest.fixture
def connections_kept_open() -> Iterator[None]:
    """Keep the test's connection across requests, as Django's own test client does.

    schemathesis calls the WSGI application directly, so the handler's request signals
    run ``close_old_connections``: inside the test's transaction (autocommit off) that
    closes the connection, and on PostgreSQL the next query fails with "Cannot open a new
    connection in an atomic block" (SQLite's in-memory test database ignores the close).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None, connections_kept_open: None) -> str:
    """A token of Ada: HR, admin of the program, enrolled as a mentee with a request out."""
    program = ProgramFactory(name="Engineering Growth", slug="engineering-growth")
    ada = PersonFactory(first_name="Ada", last_name="Admin", employee_id="E100")
    ada.user.groups.add(hr_group())
    program.admins.add(ada)
    mentor = PersonFactory(first_name="Max", last_name="Mentor", employee_id="E200", level=7)
    EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=2)
    area = FocusAreaFactory(
        enrollment=EnrollmentFactory(program=program, person=ada, role="mentee")
    )
    request_services.request_create(mentee=ada, mentor=mentor, focus_area=area, message="Hi")
    round_services.round_start(program=program, by=ada)
    return api_token_create(user=ada.user, name="schemathesis")


@pytest.mark.django_db
@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_without_server_errors(case: Any, token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
