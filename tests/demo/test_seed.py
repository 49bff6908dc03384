"""The demo organisation: realistic, documented accounts work, and seeding twice is harmless."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from mentorbridge.accounts.models import User
from mentorbridge.demo.seed import DEMO_PASSWORD, demo_accounts
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program

pytestmark = pytest.mark.django_db


def test_seeding_builds_a_company_with_programs_and_is_idempotent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("seed_demo")
    assert Person.objects.count() == 400
    assert Person.objects.filter(manager__isnull=True).count() == 1
    assert set(Program.objects.values_list("kind", flat=True)) == {"traditional", "reverse"}
    enrollments = Enrollment.objects.count()
    assert enrollments > 100
    snapshot = list(Person.objects.order_by("pk").values_list("pk", "job_title", "manager_id"))
    call_command("seed_demo")
    assert (
        "0 people created, 0 updated, 400 unchanged; 0 enrollments added" in capsys.readouterr().out
    )
    assert Enrollment.objects.count() == enrollments
    assert (
        list(Person.objects.order_by("pk").values_list("pk", "job_title", "manager_id")) == snapshot
    )
    maria = Person.objects.get(user__email__startswith="maria.keller")
    assert maria.requests_received.filter(status="open").count() == 2


def test_every_documented_demo_account_can_sign_in() -> None:
    call_command("seed_demo")
    for account in demo_accounts():
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
    assert User.objects.get(email__startswith="priya.raman").has_perm("people.import_people")
    assert User.objects.get(email__startswith="admin@").is_superuser
