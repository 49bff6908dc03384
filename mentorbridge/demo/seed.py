"""Build the demo organisation: a realistic company, two programs and their enrollments.

Everything goes through the same paths real data takes (the HRIS import, the program and
enrollment services), and running it again changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from mentorbridge.accounts.models import User
from mentorbridge.core.setup import hr_group
from mentorbridge.demo.content import (
    COMPANY_DOMAIN,
    DemoPerson,
    focus_area_goals_for,
    generate_people,
)
from mentorbridge.demo.workspaces import seed_workspaces
from mentorbridge.matching.models import MentorRequest
from mentorbridge.matching.rules import pair_problem
from mentorbridge.matching.services.requests import request_create
from mentorbridge.people.importing import ALL_COLUMNS, ImportReport, import_people
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program
from mentorbridge.programs.services import FocusAreaInput, enrollment_join, program_create

DEMO_PASSWORD = "mentorbridge"
DEMO_SIZE = 400
DEMO_SEED = 7


@dataclass(frozen=True)
class DemoAccount:
    """A documented sign-in for trying MentorBridge."""

    email: str
    role: str


def demo_accounts() -> list[DemoAccount]:
    """The accounts the README and the run command tell people to use."""
    return [
        DemoAccount(f"priya.raman@{COMPANY_DOMAIN}", "program admin (HR)"),
        DemoAccount(f"sam.okafor@{COMPANY_DOMAIN}", "employee, junior engineer (mentee)"),
        DemoAccount(f"maria.keller@{COMPANY_DOMAIN}", "employee, engineering director (mentor)"),
        DemoAccount(f"admin@{COMPANY_DOMAIN}", "site admin"),
    ]


def _pick(people: list[DemoPerson], department: str, levels: range, taken: set[str]) -> DemoPerson:
    for person in people:
        if (
            person.department == department
            and person.level in levels
            and person.employee_id not in taken
        ):
            taken.add(person.employee_id)
            return person
    raise LookupError(f"No {department} person at levels {levels.start}-{levels.stop - 1}.")


def demo_people() -> list[DemoPerson]:
    """The generated company, with three people renamed into the documented demo accounts."""
    people = generate_people(DEMO_SIZE, seed=DEMO_SEED)
    taken: set[str] = set()
    named = {
        _pick(people, "People", range(3, 6), taken).employee_id: ("Priya", "Raman"),
        _pick(people, "Engineering", range(2, 3), taken).employee_id: ("Sam", "Okafor"),
        _pick(people, "Engineering", range(6, 8), taken).employee_id: ("Maria", "Keller"),
    }
    renamed = []
    for person in people:
        if person.employee_id in named:
            first, last = named[person.employee_id]
            person = replace(
                person,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}@{COMPANY_DOMAIN}".lower(),
            )
        renamed.append(person)
    return renamed


def hris_csv(people: list[DemoPerson]) -> bytes:
    """The people as an HRIS export in MentorBridge's import format."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ALL_COLUMNS)
    for p in people:
        writer.writerow(
            [
                p.employee_id, p.email, p.first_name, p.last_name, p.job_title, p.department,
                p.location, p.timezone, ";".join(p.languages), p.level,
                p.manager_employee_id or "", p.hire_date.isoformat(),
                "; ".join(f"{name}:{level}" for name, level in p.skills),
                "; ".join(p.expertise), p.bio, p.career_goals, p.hours_per_month, "yes", "",
            ]
        )  # fmt: skip
    return out.getvalue().encode()


def _ensure_accounts() -> None:
    priya = User.objects.get(email=f"priya.raman@{COMPANY_DOMAIN}")
    priya.groups.add(hr_group())
    for account in demo_accounts():
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_superuser(account.email, DEMO_PASSWORD)
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])


REVERSE_GOALS = [
    FocusAreaInput(
        "Use AI assistants in my daily work",
        "I want to draft, summarise and analyse faster without handing over my judgement.",
        ["Prompt engineering", "Generative AI"],
    ),
    FocusAreaInput(
        "Understand how younger customers discover products",
        "Our buyers are changing; I want to see social and community channels through their eyes.",
        ["Social media marketing", "Community management"],
    ),
    FocusAreaInput(
        "Lead a hybrid team well",
        "Hear honestly what works and what doesn't for people early in their careers.",
        ["Remote team leadership", "Giving feedback"],
    ),
]


def _programs(admin: Person) -> tuple[Program, Program]:
    today = timezone.localdate()
    traditional = Program.objects.filter(slug="engineering-growth").first() or program_create(
        creator=admin,
        name="Engineering Growth",
        description=(
            "Six months with a senior colleague from anywhere in Larkfield. Bring a goal — "
            "growing into a tech lead, owning an on-call rotation, your first conference talk — "
            "and meet every two weeks to work on it. Mentors outside your reporting line only."
        ),
        kind="traditional",
        status="enrolling",
        cohort_starts_on=today + datetime.timedelta(days=21),
        cohort_ends_on=today + datetime.timedelta(days=21 + 26 * 7),
        enrollment_opens_on=today - datetime.timedelta(days=7),
        enrollment_closes_on=today + datetime.timedelta(days=14),
        default_cadence="biweekly",
        default_duration_weeks=26,
        max_mentees_per_mentor=3,
        max_mentors_per_mentee=2,
    )
    reverse = Program.objects.filter(slug="reverse-mentoring").first() or program_create(
        creator=admin,
        name="Reverse Mentoring",
        description=(
            "Leaders learn from colleagues early in their careers: AI tools, how younger "
            "customers think, what hybrid work feels like from the other side. Monthly, "
            "always open, and both sides learn."
        ),
        kind="reverse",
        status="enrolling",
        always_open=True,
        default_cadence="monthly",
        default_duration_weeks=12,
        max_mentees_per_mentor=2,
        max_mentors_per_mentee=1,
    )
    return traditional, reverse


def _enroll(program: Program, person: Person, **answers: object) -> bool:
    if Enrollment.objects.filter(program=program, person=person).exists():
        return False
    enrollment_join(program=program, person=person, **answers)  # type: ignore[arg-type]
    return True


def _enrollments(traditional: Program, reverse: Program, keep_out: set[str]) -> int:
    rng = random.Random(DEMO_SEED)
    people = list(
        Person.objects.filter(is_active=True)
        .exclude(user__email__in=keep_out)
        .select_related("department")
        .order_by("employee_id")
    )
    seniors = [p for p in people if p.level >= 5]
    juniors = [p for p in people if p.level <= 4]
    rng.shuffle(seniors)
    rng.shuffle(juniors)
    added = 0
    maria = Person.objects.get(user__email=f"maria.keller@{COMPANY_DOMAIN}")
    added += _enroll(traditional, maria, role="mentor", mentor_capacity=2)
    for person in seniors[:40]:
        added += _enroll(
            traditional, person, role="mentor", mentor_capacity=rng.choice([1, 2, 2, 3])
        )
    for person in juniors[:80]:
        goals = focus_area_goals_for(person.department.name if person.department else "")
        chosen = rng.sample(goals, k=min(len(goals), rng.choice([1, 1, 2])))
        added += _enroll(
            traditional,
            person,
            role="mentee",
            department_preference=rng.choice(["any", "any", "different", "same"]),
            meeting_preference=rng.choice(["either", "either", "virtual", "in_person"]),
            focus_areas=[FocusAreaInput(g.title, g.text, list(g.skills)) for g in chosen],
        )
    for person in juniors[80:95]:
        added += _enroll(reverse, person, role="mentor", mentor_capacity=rng.choice([1, 2]))
    for person in seniors[40:52]:
        added += _enroll(reverse, person, role="mentee", focus_areas=[rng.choice(REVERSE_GOALS)])
    return added


DEMO_REQUEST_MESSAGES = [
    "I've read your design docs on the billing migration and would love to learn how you "
    "decide what to simplify. Could we meet every two weeks?",
    "My manager suggested I find someone outside my team who has led a cross-team project. "
    "You came up first. Would you have an hour a month?",
]


def _requests_for_maria(traditional: Program) -> int:
    """Two mentees ask Maria, so her inbox shows what a request looks like."""
    maria = Person.objects.get(user__email=f"maria.keller@{COMPANY_DOMAIN}")
    if MentorRequest.objects.filter(mentor=maria).exists():
        return 0
    sent = 0
    areas = (
        FocusArea.objects.filter(enrollment__program=traditional, enrollment__status="active")
        .select_related("enrollment__person")
        .order_by("pk")
    )
    for area in areas:
        if sent == len(DEMO_REQUEST_MESSAGES):
            break
        mentee = area.enrollment.person
        if pair_problem(program=traditional, mentee=mentee, mentor=maria, focus_area=area):
            continue
        request_create(
            mentee=mentee, mentor=maria, focus_area=area, message=DEMO_REQUEST_MESSAGES[sent]
        )
        sent += 1
    return sent


@transaction.atomic
def seed_demo() -> tuple[ImportReport, int]:
    """Create or refresh the demo organisation. Returns the import report and enrollments added."""
    people = demo_people()
    report = import_people(hris_csv(people))
    if not report.ok:
        raise RuntimeError(
            "The demo data did not import: " + "; ".join(map(str, report.errors[:5]))
        )
    _ensure_accounts()
    admin = Person.objects.get(user__email=f"priya.raman@{COMPANY_DOMAIN}")
    traditional, reverse = _programs(admin)
    keep_out = {f"sam.okafor@{COMPANY_DOMAIN}", f"priya.raman@{COMPANY_DOMAIN}"}
    added = _enrollments(traditional, reverse, keep_out)
    _requests_for_maria(traditional)
    seed_workspaces(traditional)
    return report, added
