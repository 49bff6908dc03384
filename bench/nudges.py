"""The daily nudge sweep and the admins' at-risk list on a big program.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mb_nudges_bench \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mb_nudges_bench \\
        .venv/bin/python -m bench.nudges --mentorships 10000

Builds (once, idempotent by the program's slug) one program with N active mentorships, each
with a year of history: a meeting every two weeks (one in eight missed), an agreement, two
goals, action items and a check-in every 60 days from each person. Then times:

- the first sweep of a day (it sends, and stores every mentorship's health), its CPU
  seconds (less sensitive to other jobs on the machine than wall time) and the query count;
  ``--profile`` prints where the CPU time goes (cProfile);
- the same day again (it must send nothing), several times;
- the at-risk list read from the stored health (``program_health``, its first page, as the
  admins' page and the API read it) several times, with its query count;
- side by side, the list as it was before health was stored: every mentorship evaluated live
  (``--live-repeats``, 0 to skip: it takes seconds per call);

and prints median, p95, peak memory (RSS sampled every 50 ms) and the load average. Each run
starts from the same state: the bench people's notifications and emails are removed first, so
the first sweep sends as on a real first day.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import statistics
import threading
import time
from typing import Any

from bench.round_from_db import rss_mb
from bench.suggestions import setup_django

SLUG = "nudges-bench"


class Peak:
    def __init__(self) -> None:
        self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def build(n: int) -> Any:
    """The program and its N mentorships with a year of history (bulk inserts)."""
    from django.utils import timezone

    from mentorbridge.accounts.models import User
    from mentorbridge.people.models import Person
    from mentorbridge.programs.models import Enrollment, FocusArea, Program

    program = Program.objects.filter(slug=SLUG).first()
    if program is not None:
        return program
    program = Program.objects.create(name="Nudges bench", slug=SLUG, status="running")
    now = timezone.now()
    users = User.objects.bulk_create(
        [User(email=f"nb{i}@bench.example") for i in range(2 * n)], batch_size=2000
    )
    people = Person.objects.bulk_create(
        [
            Person(user=u, employee_id=f"NB{i}", first_name=f"P{i}", last_name="Bench")
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    mentees, mentors = people[:n], people[n:]
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(program=program, person=p, role="mentee") for p in mentees]
        + [
            Enrollment(program=program, person=p, role="mentor", mentor_capacity=1) for p in mentors
        ],
        batch_size=2000,
    )
    areas = FocusArea.objects.bulk_create(
        [FocusArea(enrollment=e, title="Grow", position=0) for e in enrollments[:n]],
        batch_size=2000,
    )
    meetings, checkins = write_history(program, mentees, mentors, areas, now=now)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a load this size
    print(f"built {n} mentorships, {meetings} meetings, {checkins} check-ins")
    return program


def write_history(
    program: Any, mentees: list[Any], mentors: list[Any], areas: list[Any], *, now: Any
) -> tuple[int, int]:
    """Mentorship i pairs ``mentees[i]`` with ``mentors[i]`` on ``areas[i]``, each with a year
    of history (bulk inserts); returns how many meetings and check-ins were written. Also used
    by bench/load.py on the generated company's people."""
    from mentorbridge.mentorships.agreements.models import (
        AgreementConfirmation,
        AgreementVersion,
    )
    from mentorbridge.mentorships.checkins.models import CheckIn
    from mentorbridge.mentorships.goals.models import Goal
    from mentorbridge.mentorships.meetings.models import Meeting
    from mentorbridge.mentorships.models import Mentorship

    n = len(mentees)
    started = [now - datetime.timedelta(days=365 - (i % 300)) for i in range(n)]
    mentorships = Mentorship.objects.bulk_create(
        [
            Mentorship(program=program, mentee=mentees[i], mentor=mentors[i], focus_area=areas[i],
                       source="proposal", started_at=started[i])
            for i in range(n)
        ],
        batch_size=2000,
    )  # fmt: skip
    meetings, checkins, goals, versions = [], [], [], []
    for i, m in enumerate(mentorships):
        day = started[i] + datetime.timedelta(days=14)
        k = 0
        while day < now - datetime.timedelta(days=(i % 60)):
            status = "missed" if (k + i) % 8 == 0 else "held"
            meetings.append(Meeting(mentorship=m, starts_at=day, minutes=30, channel="phone",
                                    status=status, planned_by=mentees[i]))  # fmt: skip
            day += datetime.timedelta(days=14)
            k += 1
        for number, due in enumerate(range(30, (now - started[i]).days, 60), start=1):
            for person in (mentees[i], mentors[i]):
                checkins.append(CheckIn(
                    mentorship=m, person=person, occasion=f"scheduled-{number}",
                    submitted_at=started[i] + datetime.timedelta(days=due),
                    satisfaction=2 + (i + number) % 4, progress=3,
                    working="no" if (i + number) % 23 == 0 else "yes",
                ))  # fmt: skip
        if i % 5:
            goals += [Goal(mentorship=m, description="Goal", created_by=mentees[i])]
        versions.append(AgreementVersion(
            mentorship=m, number=1, author=mentors[i], cadence="biweekly", meeting_minutes=30,
            channel="phone", duration_weeks=60,
            ends_on=(started[i] + datetime.timedelta(weeks=60)).date(),
        ))  # fmt: skip
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    Goal.objects.bulk_create(goals, batch_size=5000)
    versions = AgreementVersion.objects.bulk_create(versions, batch_size=5000)
    AgreementConfirmation.objects.bulk_create(
        [AgreementConfirmation(version=v, person=p) for i, v in enumerate(versions)
         if i % 7 for p in (mentees[i], mentors[i])],
        batch_size=5000,
    )  # fmt: skip
    return len(meetings), len(checkins)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def reset(program: Any) -> None:
    """Back to the day before the first sweep: no nudge sent to the bench people yet."""
    from mentorbridge.mentorships.models import Mentorship
    from mentorbridge.notifications.models import DailyRun, Notification
    from mentorbridge.outbox.models import OutboxMessage

    Notification.objects.filter(recipient__email__endswith="@bench.example").delete()
    OutboxMessage.objects.filter(to__endswith="@bench.example").delete()
    Mentorship.objects.filter(program=program).update(end_reminded_on=None)
    DailyRun.objects.filter(name="nudges").delete()


def live_health(program: Any) -> Any:
    """The list as it was computed before health was stored: every mentorship live."""
    from mentorbridge.mentorships.health.facts import facts_for, thresholds_of
    from mentorbridge.mentorships.health.rules import Level, evaluate
    from mentorbridge.mentorships.health.settings import care_for
    from mentorbridge.mentorships.models import Mentorship

    live = list(
        Mentorship.objects.filter(program=program, status="active").select_related(
            "mentee", "mentor", "focus_area"
        )
    )
    thresholds = thresholds_of(care_for(program))
    facts = facts_for(live)
    rows = [(m, evaluate(facts[m.pk], thresholds)) for m in live]
    return sorted([r for r in rows if r[1].level is not Level.ON_TRACK], key=lambda r: -r[1].level)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentorships", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--live-repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the first sweep")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from mentorbridge.mentorships.health.selectors import program_health
    from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep

    program = build(args.mentorships)
    day = timezone.localdate()
    reset(program)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"before the first sweep: {load()}")
    profiler = cProfile.Profile() if args.profile else None
    with Peak() as peak, CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        counts = nudges_sweep(today=day)
        if profiler:
            profiler.disable()
        first, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"first sweep of the day: {first:.2f} s wall, {cpu:.2f} s CPU in this process, "
          f"{len(queries)} queries, {counts}, peak RSS {peak.peak:.0f} MB; {load()}")  # fmt: skip
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())
    again = []
    with Peak() as peak:
        for _ in range(args.repeats):
            start = time.perf_counter()
            counts = nudges_sweep(today=day, force=True)
            again.append(time.perf_counter() - start)
            assert counts["notifications"] == 0, counts
    print(f"same day again (forced, sends nothing): median {statistics.median(again):.2f} s, "
          f"p95 {percentile(again, 95):.2f} s, peak RSS {peak.peak:.0f} MB; {load()}")  # fmt: skip
    print(f"same day, not forced: {nudges_sweep(today=day)} (the DailyRun stops it)")
    times = []
    with Peak() as peak:
        for _ in range(max(args.repeats * 10, 50)):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                found = program_health(program)
                times.append(time.perf_counter() - start)
    print(f"at-risk list from stored health, {found.total} mentorships ({found.counts}), "
          f"first page of {found.page.paginator.count}: median "
          f"{1000 * statistics.median(times):.1f} ms, p95 {1000 * percentile(times, 95):.1f} ms, "
          f"{len(queries)} queries, peak RSS {peak.peak:.0f} MB; {load()}")  # fmt: skip
    if args.live_repeats:
        times = []
        with Peak() as peak:
            for _ in range(args.live_repeats):
                start = time.perf_counter()
                rows = live_health(program)
                times.append(time.perf_counter() - start)
        print(f"side by side, evaluated live as before ({len(rows)} not on track): median "
              f"{1000 * statistics.median(times):.0f} ms, p95 {1000 * percentile(times, 95):.0f} "
              f"ms, peak RSS {peak.peak:.0f} MB; {load()}")  # fmt: skip


if __name__ == "__main__":
    main()
