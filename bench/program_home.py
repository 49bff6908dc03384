"""The home page and "My mentoring" in a program of 10,000 active mentorships.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench_home \
        .venv/bin/python bench/program_home.py --runs 40

Builds the program once (reused when present) with bulk inserts: 2,500 mentors with four
places each, 10,000 mentees with one focus area each, and 10,000 live mentorships (each
mentor mentors four), one of them a group of three mentees. Then times ``GET /`` and
``GET /mentoring/mine/`` for a mentor, a mentee, the group's second mentee and the program's
admin, through ``django.test.Client``, printing median and p95 wall time, CPU time, peak
Python memory, the query count and the load average. Issue 10's target: p95 < 150 ms on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workspace import measure, setup_django

PROGRAM_SLUG = "bench-home"
MENTORS = 2_500
PER_MENTOR = 4


def build() -> None:
    """The program with 10,000 live mentorships (skipped when it exists)."""
    from django.db import transaction

    from mentorbridge.accounts.models import User
    from mentorbridge.mentorships.models import Mentorship, MentorshipMember
    from mentorbridge.people.models import Person
    from mentorbridge.programs.models import Enrollment, FocusArea, Program

    if Program.objects.filter(slug=PROGRAM_SLUG).exists():
        print("program present")
        return
    mentees = MENTORS * PER_MENTOR
    with transaction.atomic():
        program = Program.objects.create(
            name="Bench Home", slug=PROGRAM_SLUG, status="running", max_mentees_per_mentor=5
        )
        users = User.objects.bulk_create(
            User(email=f"home{i}@bench.example", password="!") for i in range(MENTORS + mentees + 1)
        )
        people = Person.objects.bulk_create(
            Person(
                user=u, employee_id=f"H{i:06d}", first_name=f"P{i}", last_name="Bench",
                timezone="Europe/Berlin", level=6 if i < MENTORS else 2,
            )
            for i, u in enumerate(users)
        )  # fmt: skip
        admin = people[-1]
        program.admins.add(admin)
        mentors, mentee_people = people[:MENTORS], people[MENTORS:-1]
        Enrollment.objects.bulk_create(
            Enrollment(program=program, person=p, role="mentor", status="active",
                       mentor_capacity=PER_MENTOR)
            for p in mentors
        )  # fmt: skip
        enrollments = Enrollment.objects.bulk_create(
            Enrollment(program=program, person=p, role="mentee", status="active")
            for p in mentee_people
        )
        areas = FocusArea.objects.bulk_create(
            FocusArea(enrollment=e, title=f"Grow {n}") for n, e in enumerate(enrollments)
        )
        made = Mentorship.objects.bulk_create(
            Mentorship(
                program=program, mentee=mentee_people[n], mentor=mentors[n // PER_MENTOR],
                focus_area=areas[n], source="proposal",
            )
            for n in range(mentees)
        )  # fmt: skip
        # The last mentor's first mentorship is a group: two more of their mentees join it
        # (their own mentorships end, so the mentor's places stay four).
        group, others = made[-PER_MENTOR], made[-PER_MENTOR + 1 : -1]
        Mentorship.objects.filter(pk__in=[m.pk for m in others]).update(status="ended")
        MentorshipMember.objects.bulk_create(
            MentorshipMember(mentorship=group, person_id=m.mentee_id) for m in others
        )
    print(f"built {mentees} mentorships, {MENTORS} mentors, a group of 3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from mentorbridge.mentorships.models import Mentorship, MentorshipMember

    build()
    some = Mentorship.objects.filter(program__slug=PROGRAM_SLUG, status="active").select_related(
        "mentee__user", "mentor__user", "program"
    )
    first = some.order_by("pk").first()
    member = (
        MentorshipMember.objects.filter(mentorship__program__slug=PROGRAM_SLUG)
        .select_related("person__user", "mentorship__program")
        .first()
    )
    assert first is not None and member is not None
    admin = first.program.admins.select_related("user").get()
    print(
        f"PostgreSQL, {Mentorship.objects.filter(status='active').count()} active mentorships, "
        f"{args.runs} runs each, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} (timings are only meaningful when idle)"
    )
    for who, person in (
        ("mentor (4 mentees)", first.mentor), ("mentee", first.mentee),
        ("group member", member.person), ("program admin", admin),
    ):  # fmt: skip
        client = Client()
        client.force_login(person.user)

        def get(url: str, client: Client = client) -> object:
            def fetch() -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return fetch

        measure(f"home, {who}", get("/"), args.runs)
        measure(f"my mentoring, {who}", get("/mentoring/mine/"), args.runs)


if __name__ == "__main__":
    main()
