"""The demo organisation: every demo person can sign in, the documented personas fit the
README, and seeding again changes nothing, whatever was imported in between."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from mentorbridge.accounts.models import User
from mentorbridge.demo.content import COMPANY_DOMAIN
from mentorbridge.demo.seed import DEMO_PASSWORD, demo_accounts, demo_people, reporting_line
from mentorbridge.matching.models import MentorRequest
from mentorbridge.matching.services.requests import request_create
from mentorbridge.people.importing import import_people
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program
from mentorbridge.programs.services import FocusAreaInput, enrollment_join
from tests.kept_rows import SeededRows, database_rows

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NOTHING_CHANGED = "Demo organisation already in place: nothing added or changed"


def snapshot() -> dict[str, object]:
    """Everything the seed makes, and the fields an import may change."""
    return {
        "people": list(
            Person.objects.order_by("pk").values_list(
                "pk", "employee_id", "job_title", "level", "manager_id", "is_active", "bio"
            )
        ),
        "users": list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        "programs": list(Program.objects.order_by("pk").values_list("pk", "slug", "name")),
        "enrollments": list(
            Enrollment.objects.order_by("pk").values_list("pk", "person_id", "role", "status")
        ),
        "focus_areas": list(FocusArea.objects.order_by("pk").values_list("pk", "title")),
        "requests": list(MentorRequest.objects.order_by("pk").values_list("pk", "status")),
    }


def hris_changes() -> bytes:
    """An HRIS export after a reorganisation: 41 new hires, a promotion, a new email, a leaver.

    The new hires are the kind the seed enrolls (juniors and seniors), so a seed that picked
    from the database would enroll some of them.
    """
    people = {p.email.split("@")[0]: p for p in demo_people()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_id", "email", "first_name", "last_name", "job_title",
                     "department", "level", "manager_id", "active"])  # fmt: skip
    maria, sam = people["maria.keller"], people["sam.okafor"]
    for n in range(41):
        writer.writerow([f"N{n:05d}", f"new.hire{n}@{COMPANY_DOMAIN}", "Nuno", f"Hire{n}",
                         "Software Engineer", "Engineering", 2 + (n % 5), maria.employee_id,
                         "yes"])  # fmt: skip
    writer.writerow([sam.employee_id, sam.email, "Sam", "Okafor", "Senior Software Engineer",
                     "Engineering", 4, sam.manager_employee_id, "yes"])  # fmt: skip
    priya = people["priya.raman"]
    writer.writerow([priya.employee_id, f"priya.raman-hr@{COMPANY_DOMAIN}", "Priya", "Raman",
                     priya.job_title, priya.department, priya.level, priya.manager_employee_id,
                     "yes"])  # fmt: skip
    leaver = next(p for p in demo_people() if p.level == 3 and p.department == "Sales")
    writer.writerow([leaver.employee_id, leaver.email, leaver.first_name, leaver.last_name,
                     leaver.job_title, leaver.department, leaver.level,
                     leaver.manager_employee_id, "no"])  # fmt: skip
    return out.getvalue().encode()


def test_seeding_builds_a_company_with_programs_and_a_second_run_changes_nothing(
    demo_seed: Callable[[], SeededRows], capsys: pytest.CaptureFixture[str]
) -> None:
    kept = demo_seed()  # what other tests start from, seeded in an earlier test or just now
    empty = database_rows()
    call_command("seed_demo")
    first = capsys.readouterr().out
    assert "400 people created, 400 demo passwords set, 2 programs created" in first
    assert Person.objects.count() == 400
    assert Person.objects.filter(manager__isnull=True).count() == 1
    assert set(Program.objects.values_list("kind", flat=True)) == {"traditional", "reverse"}
    assert 130 <= Enrollment.objects.count() <= 170
    maria = Person.objects.get(user__email=f"maria.keller@{COMPANY_DOMAIN}")
    assert maria.requests_received.filter(status="open").count() == 2
    before = snapshot()
    # the kept seed other tests start from fills the same tables with as many rows
    now = database_rows()
    assert {table for table in now if now[table] != empty[table]} == set(kept.tables)
    assert {table: len(now[table][1]) for table in kept.tables} == {
        table: len(rows) for table, (_, rows) in kept.tables.items()
    }
    call_command("seed_demo")
    assert NOTHING_CHANGED in capsys.readouterr().out
    assert snapshot() == before


def test_seeding_again_after_an_hris_import_adds_nothing_and_keeps_the_imports_changes(
    demo_organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    report = import_people(hris_changes())
    assert report.ok, report.errors
    assert (report.created, report.updated) == (41, 3)
    after_import = snapshot()
    call_command("seed_demo")
    assert NOTHING_CHANGED in capsys.readouterr().out
    assert snapshot() == after_import  # no enrollment, account or person added or reverted
    sam = Person.objects.get(employee_id__in=[p.employee_id for p in demo_people()],
                             first_name="Sam")  # fmt: skip
    assert (sam.job_title, sam.level) == ("Senior Software Engineer", 4)
    assert not User.objects.filter(email=f"priya.raman@{COMPANY_DOMAIN}").exists()
    assert not Enrollment.objects.filter(person__employee_id__startswith="N").exists()


def test_a_second_seed_gives_the_demo_password_to_people_an_older_seed_left_without_one(
    demo_organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    User.objects.filter(email__startswith="a", person__isnull=False).update(password="!older")
    call_command("seed_demo")
    assert "demo passwords set" in capsys.readouterr().out
    assert not User.objects.filter(password__startswith="!").exists()
    call_command("seed_demo")
    assert NOTHING_CHANGED in capsys.readouterr().out


def test_every_demo_person_can_sign_in_with_the_demo_password(demo_organisation: None) -> None:
    people = list(Person.objects.select_related("user").order_by("employee_id"))
    assert len(people) == 400
    assert len({p.user.password for p in people}) == 1  # hashed once, shared
    for person in [*people[::57], people[-1]]:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": person.user.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, person.user.email
    for account in demo_accounts():
        response = Client().post(
            "/accounts/login/", {"username": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
    assert User.objects.get(email__startswith="priya.raman").has_perm("people.import_people")
    assert User.objects.get(email__startswith="admin@").is_superuser


def test_sam_can_ask_maria_to_be_his_mentor(demo_organisation: None) -> None:
    sam = Person.objects.get(user__email=f"sam.okafor@{COMPANY_DOMAIN}")
    maria = Person.objects.get(user__email=f"maria.keller@{COMPANY_DOMAIN}")
    assert maria not in _chain(sam)
    program = Program.objects.get(slug="engineering-growth")
    enrollment = enrollment_join(
        program=program, person=sam, role="mentee",
        focus_areas=[FocusAreaInput("Grow into a tech lead", "Lead a project.", ["System design"])],
    )  # fmt: skip
    request = request_create(
        mentee=sam, mentor=maria, focus_area=enrollment.focus_areas.get(), message="Hello!"
    )
    assert request.status == "open"


def _chain(person: Person) -> list[Person]:
    chain = []
    while person.manager_id is not None:
        person = Person.objects.get(pk=person.manager_id)
        chain.append(person)
    return chain


def test_maria_is_outside_sams_reporting_line_in_the_generated_company() -> None:
    by_email = {p.email: p for p in demo_people()}
    sam, maria = (
        by_email[f"sam.okafor@{COMPANY_DOMAIN}"],
        by_email[f"maria.keller@{COMPANY_DOMAIN}"],
    )
    assert maria.employee_id not in reporting_line(demo_people(), sam.employee_id)
    assert sam.employee_id not in reporting_line(demo_people(), maria.employee_id)
    assert maria.job_title == "Director of Engineering" and maria.is_manager


@pytest.mark.parametrize("where", ["README.md", "bin/run"])
def test_the_readme_and_the_banner_describe_maria_by_her_title(where: str) -> None:
    maria = next(p for p in demo_people() if p.email.startswith("maria.keller@"))
    text = (ROOT / where).read_text()
    [line] = [line for line in text.splitlines() if "maria.keller@" in line]
    assert maria.job_title in line, line
    assert "VP Engineering" not in line and "engineering director" not in line
    assert re.search(r"[Ee]very demo person", text), "say that everybody can sign in"


def test_seeding_for_the_run_command_leaves_the_accounts_to_its_banner(
    demo_organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("seed_demo", "--no-accounts")
    quiet = capsys.readouterr().out
    assert NOTHING_CHANGED in quiet and "larkfield.example" not in quiet
    call_command("seed_demo")
    assert "priya.raman@larkfield.example" in capsys.readouterr().out
