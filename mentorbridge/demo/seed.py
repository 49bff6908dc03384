"""Build the demo organisation: a realistic company, two programs and their enrollments.

Everything goes through the same paths real data takes (the HRIS import, the program and
enrollment services). Running it again changes nothing, whatever was imported or edited
since: each part is created once, recognised by an identity that imports do not change.

* People are the demo employee IDs; only IDs not in the database yet are imported, so a
  later HRIS import's changes to them stay.
* Every demo person without a password gets the demo password (hashed once for all).
* The site admin and Priya's HR role are set up when the demo people first arrive.
* Each program is recognised by its slug; its enrollments and Maria's waiting requests are
  made only when the seed creates the program, never topped up later.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
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
from mentorbridge.demo.groups import seed_group
from mentorbridge.demo.keeping_alive import seed_keeping_alive
from mentorbridge.demo.meetings import seed_meetings
from mentorbridge.demo.workspaces import seed_workspaces
from mentorbridge.matching.rules import pair_problem
from mentorbridge.matching.services.requests import request_create
from mentorbridge.people.importing import ALL_COLUMNS, import_people
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
        DemoAccount(f"sam.okafor@{COMPANY_DOMAIN}", "employee, level-2 software engineer"),
        DemoAccount(f"maria.keller@{COMPANY_DOMAIN}", "Director of Engineering, a mentor"),
        DemoAccount(f"admin@{COMPANY_DOMAIN}", "site admin"),
    ]


def _pick(
    people: list[DemoPerson],
    department: str,
    levels: range,
    taken: set[str],
    *,
    manager: bool | None = None,
) -> DemoPerson:
    for person in people:
        if (
            person.department == department
            and person.level in levels
            and person.employee_id not in taken
            and (manager is None or person.is_manager == manager)
        ):
            taken.add(person.employee_id)
            return person
    raise LookupError(f"No {department} person at levels {levels.start}-{levels.stop - 1}.")


def reporting_line(people: list[DemoPerson], employee_id: str) -> list[str]:
    """The employee IDs above someone: manager, skip-level, … up to the CEO."""
    managers = {p.employee_id: p.manager_employee_id for p in people}
    line: list[str] = []
    current = managers.get(employee_id)
    while current is not None:
        line.append(current)
        current = managers.get(current)
    return line


def _documented_people(people: list[DemoPerson]) -> dict[str, tuple[str, str]]:
    """Employee ID -> name of the people the README names.

    Priya runs programs in HR; Sam is a level-2 engineer; Maria is a Director of Engineering
    outside Sam's reporting line, so Sam can ask her to be his mentor.
    """
    taken: set[str] = set()
    priya = _pick(people, "People", range(3, 6), taken)
    sam = _pick(people, "Engineering", range(2, 3), taken)
    taken.update(reporting_line(people, sam.employee_id))
    maria = _pick(people, "Engineering", range(6, 7), taken, manager=True)
    return {
        priya.employee_id: ("Priya", "Raman"),
        sam.employee_id: ("Sam", "Okafor"),
        maria.employee_id: ("Maria", "Keller"),
    }


def demo_people() -> list[DemoPerson]:
    """The generated company, with three people named as the documented demo accounts.

    The renamed people are generated under their new names, so their emails and bios name
    them (and nobody else).
    """
    names = _documented_people(generate_people(DEMO_SIZE, seed=DEMO_SEED))
    return generate_people(DEMO_SIZE, seed=DEMO_SEED, renames=names)


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


def _demo_passwords(employee_ids: list[str]) -> int:
    """Give every demo person who has no password the demo password; returns how many.

    One hash serves everybody (hashing 400 times would take minutes); people who chose
    their own password keep it.
    """
    hashed = make_password(DEMO_PASSWORD)
    return User.objects.filter(
        person__employee_id__in=employee_ids, password__startswith=UNUSABLE_PASSWORD_PREFIX
    ).update(password=hashed)


def _site_admin_and_hr(priya: Person) -> None:
    """Priya runs programs in HR; ``admin@`` is the site admin (created once)."""
    priya.user.groups.add(hr_group())
    email = f"admin@{COMPANY_DOMAIN}"
    if not User.objects.filter(email=email).exists():
        User.objects.create_superuser(email, DEMO_PASSWORD)


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


TRADITIONAL_SLUG = "engineering-growth"
REVERSE_SLUG = "reverse-mentoring"


def _create_traditional(admin: Person) -> Program:
    today = timezone.localdate()
    return program_create(
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


def _create_reverse(admin: Person) -> Program:
    return program_create(
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


def _enroll(program: Program, person: Person | None, **answers: object) -> bool:
    if person is None or not person.is_active:
        return False
    if Enrollment.objects.filter(program=program, person=person).exists():
        return False
    enrollment_join(program=program, person=person, **answers)  # type: ignore[arg-type]
    return True


def _enrollment_pools(
    people: list[DemoPerson], keep_out: set[str]
) -> tuple[list[DemoPerson], list[DemoPerson]]:
    """Seniors (level 5+) and juniors (up to 4) of the demo company, shuffled the same way
    every time: chosen from the generated people, never from whoever is in the database."""
    rng = random.Random(DEMO_SEED)
    candidates = sorted(
        (p for p in people if p.employee_id not in keep_out), key=lambda p: p.employee_id
    )
    seniors = [p for p in candidates if p.level >= 5]
    juniors = [p for p in candidates if p.level <= 4]
    rng.shuffle(seniors)
    rng.shuffle(juniors)
    return seniors, juniors


def _traditional_enrollments(
    program: Program, pools: tuple[list[DemoPerson], list[DemoPerson]],
    stored: dict[str, Person], maria_id: str,
) -> int:  # fmt: skip
    rng = random.Random(DEMO_SEED)
    seniors, juniors = pools
    added = int(_enroll(program, stored.get(maria_id), role="mentor", mentor_capacity=2))
    for demo in seniors[:40]:
        added += _enroll(
            program, stored.get(demo.employee_id), role="mentor",
            mentor_capacity=rng.choice([1, 2, 2, 3]),
        )  # fmt: skip
    for demo in juniors[:80]:
        goals = focus_area_goals_for(demo.department)
        chosen = rng.sample(goals, k=min(len(goals), rng.choice([1, 1, 2])))
        added += _enroll(
            program,
            stored.get(demo.employee_id),
            role="mentee",
            department_preference=rng.choice(["any", "any", "different", "same"]),
            meeting_preference=rng.choice(["either", "either", "virtual", "in_person"]),
            focus_areas=[FocusAreaInput(g.title, g.text, list(g.skills)) for g in chosen],
        )
    return added


def _reverse_enrollments(
    program: Program, pools: tuple[list[DemoPerson], list[DemoPerson]], stored: dict[str, Person]
) -> int:
    rng = random.Random(DEMO_SEED + 1)
    seniors, juniors = pools
    added = 0
    for demo in juniors[80:95]:
        added += _enroll(
            program, stored.get(demo.employee_id), role="mentor",
            mentor_capacity=rng.choice([1, 2]),
        )  # fmt: skip
    for demo in seniors[40:52]:
        added += _enroll(
            program, stored.get(demo.employee_id), role="mentee",
            focus_areas=[rng.choice(REVERSE_GOALS)],
        )  # fmt: skip
    return added


DEMO_REQUEST_MESSAGES = [
    "I've read your design docs on the billing migration and would love to learn how you "
    "decide what to simplify. Could we meet every two weeks?",
    "My manager suggested I find someone outside my team who has led a cross-team project. "
    "You came up first. Would you have an hour a month?",
]


def _requests_for_maria(traditional: Program, maria: Person | None) -> int:
    """Two mentees ask Maria, so her inbox shows what a request looks like."""
    if maria is None or not maria.is_active:
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


@dataclass(frozen=True)
class SeedReport:
    """What one run of the seed added; all zero when the demo was already there."""

    people_created: int = 0
    passwords_set: int = 0
    programs_created: int = 0
    enrollments_added: int = 0
    requests_added: int = 0

    @property
    def changed_anything(self) -> bool:
        return any(
            (self.people_created, self.passwords_set, self.programs_created,
             self.enrollments_added, self.requests_added)
        )  # fmt: skip


@transaction.atomic
def seed_demo() -> SeedReport:
    """Create whatever of the demo organisation is missing; a second run changes nothing."""
    people = demo_people()
    employee_ids = [p.employee_id for p in people]
    present = set(
        Person.objects.filter(employee_id__in=employee_ids).values_list("employee_id", flat=True)
    )
    missing = [p for p in people if p.employee_id not in present]
    people_created = 0
    if missing:
        report = import_people(hris_csv(missing))
        if not report.ok:
            raise RuntimeError(
                "The demo data did not import: " + "; ".join(map(str, report.errors[:5]))
            )
        people_created = report.created
    passwords_set = _demo_passwords(employee_ids)

    by_email = {p.email: p.employee_id for p in people}
    priya_id, sam_id, maria_id = (
        by_email[f"{name}@{COMPANY_DOMAIN}"]
        for name in ("priya.raman", "sam.okafor", "maria.keller")
    )
    stored = {
        p.employee_id: p
        for p in Person.objects.filter(employee_id__in=employee_ids).select_related("user")
    }
    priya = stored[priya_id]
    if not present:  # the demo people arrived just now
        _site_admin_and_hr(priya)

    # Sam starts with nothing; Priya runs the programs; Maria mentors in one program.
    pools = _enrollment_pools(people, keep_out={priya_id, sam_id, maria_id})
    programs_created = enrollments_added = requests_added = 0
    if not Program.objects.filter(slug=TRADITIONAL_SLUG).exists():
        traditional = _create_traditional(priya)
        programs_created += 1
        enrollments_added += _traditional_enrollments(traditional, pools, stored, maria_id)
        requests_added = _requests_for_maria(traditional, stored.get(maria_id))
    if not Program.objects.filter(slug=REVERSE_SLUG).exists():
        reverse = _create_reverse(priya)
        programs_created += 1
        enrollments_added += _reverse_enrollments(reverse, pools, stored)
    traditional_program = Program.objects.filter(slug=TRADITIONAL_SLUG).first()
    if traditional_program is not None:
        seed_workspaces(traditional_program)
        seed_meetings(traditional_program)
        seed_keeping_alive(traditional_program)
        seed_group(traditional_program, priya)
    return SeedReport(
        people_created=people_created,
        passwords_set=passwords_set,
        programs_created=programs_created,
        enrollments_added=enrollments_added,
        requests_added=requests_added,
    )
