"""Migrations carry a populated database forward: from the schema of the first release with
mentorships and matching (accounts 0001, people 0001, programs 0002, mentorships 0001,
matching 0001, outbox 0001) to today's, every row and value survives and today's code works
on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

EARLIER = [
    ("accounts", "0001_initial"),
    ("people", "0001_initial"),
    ("programs", "0002_enrollment_accepting_requests_and_more"),
    ("mentorships", "0001_initial"),
    ("matching", "0001_initial"),
    ("outbox", "0001_outbox_messages_and_worker_heartbeats"),
]


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def earlier_schema() -> Iterator[MigrationExecutor]:
    """The database at the earlier state; migrated back to today's afterwards, whatever
    happens, so the tests after this one find today's schema."""
    executor = MigrationExecutor(connection)
    executor.migrate(EARLIER)
    try:
        yield MigrationExecutor(connection)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest())


def test_a_populated_database_migrates_forward_with_every_row(
    earlier_schema: MigrationExecutor,
) -> None:
    old = earlier_schema.loader.project_state(EARLIER).apps
    User, Person = old.get_model("accounts", "User"), old.get_model("people", "Person")
    Department, Skill = old.get_model("people", "Department"), old.get_model("people", "Skill")
    Program, Enrollment = (
        old.get_model("programs", "Program"),
        old.get_model("programs", "Enrollment"),
    )
    FocusArea = old.get_model("programs", "FocusArea")
    Mentorship = old.get_model("mentorships", "Mentorship")
    MentorRequest = old.get_model("matching", "MentorRequest")

    department = Department.objects.create(name="Engineering")
    people = {}
    for n, (first, level) in enumerate((("Mia", 3), ("Max", 7), ("Mo", 6))):
        user = User.objects.create(email=f"{first.lower()}@example.com", password="!")
        people[first] = Person.objects.create(
            user=user, employee_id=f"E{n}", first_name=first, last_name="Example",
            department=department, level=level, bio=f"{first} writes Ünïcode bios",
        )  # fmt: skip
    python, _ = Skill.objects.get_or_create(slug="python", defaults={"name": "Python"})
    people["Max"].skills.add(python, through_defaults={"proficiency": 5})
    program = Program.objects.create(name="Engineering Growth", slug="engineering-growth")
    mentee = Enrollment.objects.create(program=program, person=people["Mia"], role="mentee")
    for name in ("Max", "Mo"):
        Enrollment.objects.create(
            program=program, person=people[name], role="mentor", mentor_capacity=2
        )
    areas = [
        FocusArea.objects.create(enrollment=mentee, title=title)
        for title in ("System design", "Public speaking")
    ]
    Mentorship.objects.create(
        program=program, mentee=people["Mia"], mentor=people["Max"], focus_area=areas[0],
        source="request",
    )  # fmt: skip
    MentorRequest.objects.create(
        program=program, mentee=people["Mia"], mentor=people["Mo"], focus_area=areas[1],
        message="Could you help me speak up?", expires_at=timezone.now() + timedelta(days=10),
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest())
    assert not MigrationExecutor(connection).migration_plan(latest())

    from mentorbridge.matching.models import MentorRequest as Request
    from mentorbridge.mentorships.models import Mentorship as Live
    from mentorbridge.mentorships.services import places_taken
    from mentorbridge.people.models import Person as Today
    from mentorbridge.programs.models import Enrollment as Enrolled
    from mentorbridge.programs.models import FocusArea as Area
    from mentorbridge.programs.models import Program as Programs

    assert Today.objects.count() == 3 and Enrolled.objects.count() == 3
    mia = Today.objects.get(employee_id="E0")
    assert mia.bio == "Mia writes Ünïcode bios" and mia.department.name == "Engineering"
    assert Today.objects.get(employee_id="E1").person_skills.get().proficiency == 5
    assert set(Area.objects.values_list("title", flat=True)) == {"System design", "Public speaking"}
    assert all(e.accepting_requests for e in Enrolled.objects.all())  # added with a default
    assert Request.objects.get().message == "Could you help me speak up?"
    live = Live.objects.get()
    assert live.status == "active" and live.mentor == Today.objects.get(employee_id="E1")
    # Today's services work on the migrated rows.
    assert places_taken(Programs.objects.get(), live.mentor) == 1
