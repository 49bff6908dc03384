from __future__ import annotations

import pytest

from mentorbridge.audit.models import AuditEvent
from mentorbridge.people.models import Person


@pytest.fixture
def empty_log(site_admin: Person, program_admin: Person) -> None:
    """The personas exist, and the events their making recorded are gone."""
    AuditEvent.objects.all().delete()
