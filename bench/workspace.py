"""The mentorship page and the person's calendar feed for a mentorship with two years of
weekly meetings (about 100 meetings, 300 agenda items, 200 action items, 400 notes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench_workspace \
        .venv/bin/python bench/workspace.py --runs 60

Builds the history once (reused when present): one program, Mia (mentee) and Max (mentor),
104 weekly meetings over two years (the last 4 still planned), 3 agenda items per meeting,
2 action items per held meeting (open ones carried over), 2 shared notes and 2 private notes
(encrypted) per held meeting. Then times ``GET /mentorships/<id>/``, one meeting's page and
``GET /calendar/<token>.ics`` through ``django.test.Client`` and prints median, p95, peak
Python memory (tracemalloc) and the query count of each. Issue 10's target: p95 < 150 ms on
PostgreSQL, and query counts that do not grow with the history.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROGRAM_SLUG = "bench-workspace"
WEEKS = 104
TARGET_P95_MS = 150.0


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not any(h in url for h in ("@127.0.0.1", "@localhost")):
        raise SystemExit(
            "Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench_workspace "
            "(a local PostgreSQL database of its own)."
        )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build() -> int:
    """The mentorship with two years of weekly meetings; its id."""
    from django.db import transaction
    from django.utils import timezone

    from mentorbridge.mentorships.actions.models import ActionItem
    from mentorbridge.mentorships.meetings.models import AgendaItem, Meeting
    from mentorbridge.mentorships.models import Mentorship
    from mentorbridge.mentorships.notes import crypto
    from mentorbridge.mentorships.notes.models import PrivateNote, SharedNote
    from mentorbridge.mentorships.services import mentorship_start
    from mentorbridge.people.models import Person
    from mentorbridge.programs.models import FocusArea, Program
    from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory, ProgramFactory

    found = Mentorship.objects.filter(program__slug=PROGRAM_SLUG).first()
    if found is not None:
        print(f"history present: mentorship {found.pk}")
        return found.pk
    with transaction.atomic():
        # factory_boy's factories return the model instance (typed as the factory by mypy).
        program: Program = ProgramFactory(name="Bench Workspace", slug=PROGRAM_SLUG)  # type: ignore[assignment]
        mentee: Person = PersonFactory(
            first_name="Mia", last_name="Bench", timezone="Europe/Berlin"
        )  # type: ignore[assignment]
        mentor: Person = PersonFactory(
            first_name="Max", last_name="Bench", timezone="America/New_York"
        )  # type: ignore[assignment]
        enrollment = EnrollmentFactory(program=program, person=mentee, role="mentee")
        area: FocusArea = FocusAreaFactory(enrollment=enrollment)  # type: ignore[assignment]
        EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=2)
        m = mentorship_start(
            program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
        )
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        start = now - datetime.timedelta(weeks=WEEKS - 4)
        Mentorship.objects.filter(pk=m.pk).update(started_at=start - datetime.timedelta(days=3))
        meetings = Meeting.objects.bulk_create(
            Meeting(
                mentorship=m,
                starts_at=start + datetime.timedelta(weeks=w),
                minutes=45,
                channel="video",
                video_link="https://meet.example.com/bench",
                status="planned" if w >= WEEKS - 4 else ("missed" if w % 9 == 8 else "held"),
                planned_by=mentee,
            )
            for w in range(WEEKS)
        )
        agenda, actions, shared, private = [], [], [], []
        for n, meeting in enumerate(meetings):
            for k in range(3):
                agenda.append(AgendaItem(meeting=meeting, author=(mentee, mentor)[k % 2],
                                         kind="question", text=f"Topic {n}.{k}"))  # fmt: skip
            if meeting.status != "held":
                continue
            for k in range(2):
                done = None if n % 25 == 0 else meeting.starts_at + datetime.timedelta(days=5)
                actions.append(ActionItem(
                    mentorship=m, meeting=meeting, owner=(mentee, mentor)[k], title=f"Do {n}.{k}",
                    due_on=(meeting.starts_at + datetime.timedelta(days=7)).date(), done_at=done,
                    created_by=mentor, created_at=meeting.starts_at,
                ))  # fmt: skip
                shared.append(SharedNote(meeting=meeting, author=(mentee, mentor)[k],
                                         text=f"Notes {n}.{k} " * 20))  # fmt: skip
                secret = crypto.encrypt(f"Private {n}.{k}")
                private.append(
                    PrivateNote(meeting=meeting, author=(mentee, mentor)[k], ciphertext=secret)
                )
        AgendaItem.objects.bulk_create(agenda)
        ActionItem.objects.bulk_create(actions)
        SharedNote.objects.bulk_create(shared)
        PrivateNote.objects.bulk_create(private)
    print(
        f"built mentorship {m.pk}: {len(meetings)} meetings, {len(agenda)} agenda items, "
        f"{len(actions)} action items, {len(shared) + len(private)} notes"
    )
    return m.pk


def measure(label: str, fetch: object, runs: int) -> None:  # also used by program_home.py
    from django.db import connection

    assert callable(fetch)
    for _ in range(3):
        fetch()  # warm up
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fetch()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fetch()
    tracemalloc.start()
    fetch()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times.sort()
    cpu.sort()
    at = min(len(times) - 1, round(0.95 * len(times)) - 1)
    p95 = times[at]
    verdict = "meets" if p95 < TARGET_P95_MS else "MISSES"
    print(
        f"{label:<32} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
        f"(CPU median {statistics.median(cpu):6.1f}, p95 {cpu[at]:6.1f} ms)   "
        f"peak {peak / 1e6:6.1f} MB   {len(queries):3d} queries   ({verdict} p95 < 150 ms)   "
        f"load {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from mentorbridge.mentorships.calendar.services import calendar_feed_for
    from mentorbridge.mentorships.models import Mentorship

    pk = build()
    m = Mentorship.objects.select_related("mentee__user").get(pk=pk)
    client = Client()
    client.force_login(m.mentee.user)
    token = calendar_feed_for(person=m.mentee).token
    meeting = m.meetings.filter(status="planned").order_by("starts_at").first()
    assert meeting is not None

    def get(url: str) -> object:
        def fetch() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    load = os.getloadavg()[0]
    print(
        f"PostgreSQL, {args.runs} runs each, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} (timings are only meaningful when idle)"
    )
    measure("mentorship page", get(f"/mentorships/{pk}/"), args.runs)
    measure("next meeting's page", get(f"/mentorships/{pk}/meetings/{meeting.pk}/"), args.runs)
    measure("meetings list", get(f"/mentorships/{pk}/meetings/"), args.runs)
    measure("calendar feed (.ics)", get(f"/calendar/{token}.ics"), args.runs)


if __name__ == "__main__":
    main()
