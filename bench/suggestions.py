"""Suggestions page for one mentee in an organisation of 50,000 people (10,000 mentors enrolled).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench \
        .venv/bin/python bench/suggestions.py --mentees 50

Builds the organisation once (HRIS import of 50,000 generated people, then a program with
10,000 active mentors and a few thousand mentees with focus areas; reused when present), then
times, for different mentees, the whole ``GET /programs/<slug>/find/<focus_area_id>/`` through
``django.test.Client`` and, separately, ``matching.selectors.suggestions_for``. The usual
open-source peer — browse and filter mentors (mentors having one of the focus skills, ordered
by name, 20 a page) — is timed on the same data in the same run. Prints a table and writes
``bench/results/suggestions-<time>.json``. See bench/SUGGESTIONS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ORG_SIZE = 50_000
ORG_SEED = 11
PROGRAM_SLUG = "bench-find-a-mentor"
PROGRAM_NAME = "Bench Find a Mentor"
MENTORS = 10_000
MENTEES = 3_000
TARGET_P95_MS = 150.0
TARGET_BUILD_S = 2.0  # building a suggester for 10,000 mentors from stored vectors


def setup_django() -> None:
    """Configure Django against ``DATABASE_URL`` (refuses anything but 127.0.0.1/localhost)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not any(
        host in url for host in ("@127.0.0.1", "@localhost")
    ):
        raise SystemExit(
            "Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench "
            "(a local PostgreSQL database of its own, created with createdb; "
            "it is migrated here)."
        )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------------------------
# Building the organisation (idempotent)
# ---------------------------------------------------------------------------------------------


def ensure_people() -> None:
    """50,000 generated people through the HRIS importer, once."""
    from mentorbridge.demo.content import generate_people
    from mentorbridge.demo.seed import hris_csv
    from mentorbridge.people.importing import import_people
    from mentorbridge.people.models import Person

    have = Person.objects.count()
    if have >= ORG_SIZE:
        log(f"organisation present: {have} people")
        return
    started = time.perf_counter()
    people = generate_people(ORG_SIZE, seed=ORG_SEED)
    data = hris_csv(people)
    log(f"generated {len(people)} people ({len(data) / 1e6:.1f} MB CSV); importing…")
    from django.test import override_settings

    # one file for the whole organisation: above the upload limit meant for browsers
    with override_settings(IMPORT_MAX_BYTES=len(data) + 1):
        report = import_people(data)
    if not report.ok:
        raise SystemExit("import failed: " + "; ".join(map(str, report.errors[:5])))
    log(f"imported in {time.perf_counter() - started:.0f} s")


def _skill_ids(names: tuple[str, ...], cache: dict[str, int]) -> list[int]:
    from mentorbridge.people.services import skill_for_name

    ids = []
    for name in names:
        if name not in cache:
            cache[name] = skill_for_name(name).pk
        ids.append(cache[name])
    return sorted(set(ids))


def build_program(
    *,
    slug: str,
    name: str,
    mentors: int,
    mentees: int,
    areas_per_mentee: tuple[int, ...],
    capacities: tuple[int, ...],
    seed: int,
    status: str = "enrolling",
) -> Any:
    """A program with ``mentors`` active mentors (the most senior people) and ``mentees``
    mentees (from the rest) with focus areas, written with bulk_create; reused when present."""
    from django.db import transaction

    from mentorbridge.demo.content import focus_area_goals_for
    from mentorbridge.people.models import Person
    from mentorbridge.programs.models import Enrollment, FocusArea, Program
    from mentorbridge.programs.services import program_create

    program = Program.objects.filter(slug=slug).first()
    if program is not None and program.enrollments.count() == mentors + mentees:
        return program
    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        if program is not None:  # half-built by an interrupted run: start it again
            program.delete()
        people = list(
            Person.objects.filter(is_active=True)
            .order_by("-level", "employee_id")
            .values_list("pk", "level", "department__name")
        )
        mentor_rows = people[:mentors]
        rest = people[mentors:]
        rng.shuffle(rest)
        mentee_rows = rest[:mentees]
        creator = Person.objects.get(pk=mentor_rows[0][0])
        program = program_create(
            creator=creator,
            name=name,
            kind="traditional",
            status=status,
            always_open=True,
            max_mentees_per_mentor=max(capacities),
            max_mentors_per_mentee=max(areas_per_mentee),
        )
        if program.slug != slug:
            Program.objects.filter(pk=program.pk).update(slug=slug)
            program.slug = slug
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    program=program,
                    person_id=pk,
                    role="mentor",
                    mentor_capacity=rng.choice(capacities),
                )
                for pk, _, _ in mentor_rows
            ],
            batch_size=2000,
        )
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    program=program,
                    person_id=pk,
                    role="mentee",
                    department_preference=rng.choice(["any", "any", "any", "different", "same"]),
                    meeting_preference=rng.choice(["either", "either", "virtual", "in_person"]),
                )
                for pk, _, _ in mentee_rows
            ],
            batch_size=2000,
        )
        enrollment_of = dict(
            Enrollment.objects.filter(program=program, role="mentee").values_list("person_id", "pk")
        )
        areas: list[FocusArea] = []
        skills_of: list[list[int]] = []
        cache: dict[str, int] = {}
        for pk, _, department in mentee_rows:
            goals = focus_area_goals_for(department or "")
            for position, goal in enumerate(
                rng.sample(goals, k=min(len(goals), rng.choice(areas_per_mentee)))
            ):
                areas.append(
                    FocusArea(
                        enrollment_id=enrollment_of[pk],
                        title=goal.title,
                        description=goal.text,
                        position=position,
                    )
                )
                skills_of.append(_skill_ids(goal.skills, cache))
        created = FocusArea.objects.bulk_create(areas, batch_size=2000)
        through = FocusArea.skills.through
        through.objects.bulk_create(
            [
                through(focusarea_id=area.pk, skill_id=skill_id)
                for area, ids in zip(created, skills_of, strict=True)
                for skill_id in ids
            ],
            batch_size=5000,
        )
    log(
        f"built program {slug}: {mentors} mentors, {mentees} mentees, {len(areas)} focus areas "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return program


def ensure_suggestions_program() -> Any:
    return build_program(
        slug=PROGRAM_SLUG,
        name=PROGRAM_NAME,
        mentors=MENTORS,
        mentees=MENTEES,
        areas_per_mentee=(1, 1, 2),
        capacities=(1, 2, 2, 3),
        seed=ORG_SEED,
    )


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


def write_results(name: str, figures: dict[str, Any]) -> Path:
    """``bench/results/<name>-<UTC time>.json`` with the figures and the machine's state."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{name}-{stamp}.json"
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    out.write_text(
        json.dumps({"benchmark": name, "when": stamp, "machine": machine, **figures}, indent=2)
    )
    print(f"wrote {out.relative_to(ROOT)}")
    return out


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def summarise(
    label: str, ms: list[float], queries: list[int], peak_mb: float, cpu_ms: list[float]
) -> dict[str, Any]:
    return {
        "what": label,
        "runs": len(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 0.95),
        "cpu_median_ms": statistics.median(cpu_ms),
        "cpu_p95_ms": percentile(cpu_ms, 0.95),
        "max_ms": max(ms),
        "queries_median": statistics.median(queries) if queries else None,
        "queries_max": max(queries) if queries else None,
        "peak_mb": peak_mb,
        "ms": ms,
    }


def timed_runs(
    label: str,
    cases: list[Any],
    run: Callable[[Any], Any],
    *,
    prepare: Callable[[Any], Any] = lambda case: None,
    warmup: int = 2,
) -> dict[str, Any]:
    """Time ``run(case)`` for every case (``prepare(case)`` runs first, untimed); count its
    queries; peak memory from a separate tracemalloc pass (tracemalloc slows Python down, so
    it is never on while timing)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for case in cases[:warmup]:
        prepare(case)
        run(case)
    ms: list[float] = []
    cpu_ms: list[float] = []  # this process's CPU (not PostgreSQL's): readable under load
    queries: list[int] = []
    for case in cases:
        gc.collect()
        prepare(case)
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            run(case)
            ms.append((time.perf_counter() - started) * 1000)
            cpu_ms.append((time.process_time() - started_cpu) * 1000)
        queries.append(len(captured.captured_queries))
        reset_queries()
    peak = 0
    for case in cases[:3]:
        prepare(case)
        tracemalloc.start()
        run(case)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    result = summarise(label, ms, queries, peak / 2**20, cpu_ms)
    log(
        f"{label}: median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
        f"(CPU of this process: median {result['cpu_median_ms']:.1f}, "
        f"p95 {result['cpu_p95_ms']:.1f} ms), {result['queries_median']:.0f} queries, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    return result


def suggester_builds(program: Any, runs: int) -> list[dict[str, Any]]:
    """Building the program's suggester from the database, ``runs`` times each way: *cold*
    (a new process: the people cache and the stored-vectors cache empty) and *rebuild* (what
    follows an enrollment or focus-area change in a running process: those caches valid).
    CPU seconds (this process) beside wall seconds: on a shared machine wall time is mostly
    waiting for a CPU."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentorbridge.matching import adapter, selectors, snapshots
    from mentorbridge.matching.vectors import clear_vectors_cache

    def cold() -> None:
        selectors.clear_suggesters()
        clear_vectors_cache()
        adapter.clear_people_cache()
        snapshots.forget_all()  # as after a change: the kept snapshot's stamp is old

    def rebuild() -> None:
        selectors.clear_suggesters()
        snapshots.forget_all()

    rows = []
    for label, prepare in (("cold", cold), ("rebuild", rebuild)):
        cpu: list[float] = []
        wall: list[float] = []
        queries: list[int] = []
        for _ in range(runs):
            prepare()
            gc.collect()
            with CaptureQueriesContext(connection) as captured:
                started_cpu, started = time.process_time(), time.perf_counter()
                selectors.program_suggester(program)
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
            queries.append(len(captured.captured_queries))
        row = {
            "what": f"build suggester from the database, {label}",
            "runs": runs,
            "cpu_s_median": statistics.median(cpu),
            "cpu_s_max": max(cpu),
            "wall_s_median": statistics.median(wall),
            "wall_s_max": max(wall),
            "queries": max(queries),
            "load_average": os.getloadavg()[0],
        }
        log(
            f"{row['what']}: CPU {row['cpu_s_median']:.2f} s (max {row['cpu_s_max']:.2f}), "
            f"wall {row['wall_s_median']:.2f} s (max {row['wall_s_max']:.2f}), "
            f"{row['queries']} queries, load {row['load_average']:.1f}"
        )
        rows.append(row)
    return rows


def cold_process_child(fresh: bool) -> None:
    """Run in a new process (``--cold-child``): time the first ``program_suggester`` of the
    bench program after Django is set up (imports and settings are outside the timing; the
    first database connection is inside). ``fresh``: with no suggester snapshot kept (the
    first process after a change; it reads the database and keeps one). Prints one JSON line."""
    started_process = time.process_time()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentorbridge.matching import selectors, snapshots
    from mentorbridge.programs.models import Program

    program = Program.objects.get(slug=PROGRAM_SLUG)
    if fresh:
        snapshots.forget_all()
    setup_cpu = time.process_time() - started_process
    with CaptureQueriesContext(connection) as captured:
        started_cpu, started = time.process_time(), time.perf_counter()
        suggester = selectors.program_suggester(program)
        cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    if suggester is None:
        raise SystemExit("the bench program has nobody waiting for a mentor")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "cpu_s": cpu,
                "wall_s": wall,
                "setup_cpu_s": setup_cpu,
                "process_cpu_s": own.ru_utime + own.ru_stime,
                "queries": len(captured.captured_queries),
                "load_average": os.getloadavg()[0],
            }
        )
    )


def cold_process_builds(runs: int, *, fresh: bool = False) -> dict[str, Any]:
    """The suggester's first build in ``runs`` new processes (``--cold-child``), one after
    the other: what a new web process pays on its first suggestions page, with the snapshot
    an earlier process kept (``fresh``: none, as the first process after a change). CPU
    seconds of the build (this child's own, threads included) beside wall seconds."""
    import subprocess

    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--cold-child"]
            + (["--fresh"] if fresh else []),
            check=True,
            capture_output=True,
            text=True,
            env=os.environ,
        ).stdout
        samples.append(json.loads(out.strip().splitlines()[-1]))
    cpu = [s["cpu_s"] for s in samples]
    wall = [s["wall_s"] for s in samples]
    row = {
        "what": "build suggester, new process, "
        + ("no snapshot (first after a change)" if fresh else "snapshot kept"),
        "runs": runs,
        "cpu_s_median": statistics.median(cpu),
        "cpu_s_max": max(cpu),
        "wall_s_median": statistics.median(wall),
        "wall_s_max": max(wall),
        "queries": max(s["queries"] for s in samples),
        "load_average": os.getloadavg()[0],
        "samples": samples,
    }
    log(
        f"{row['what']}: CPU {row['cpu_s_median']:.2f} s (max {row['cpu_s_max']:.2f}), "
        f"wall {row['wall_s_median']:.2f} s (max {row['wall_s_max']:.2f}), "
        f"{row['queries']} queries, load {row['load_average']:.1f}"
    )
    return row


def use_semantic(program: Any, on: bool) -> None:
    """Semantic matching on or off for the program; when on, compute the vectors that are
    missing or stale first (the first time: every mentor's profile and goal, minutes)."""
    from mentorbridge.matching.vectors import vectors_compute
    from mentorbridge.programs.models import Program

    Program.objects.filter(pk=program.pk).update(semantic_matching="on" if on else "off")
    program.refresh_from_db()
    if on:
        report = vectors_compute()
        log(
            f"vectors: {report.computed} computed, {report.unchanged} unchanged in "
            f"{report.seconds:.0f} s (load average {os.getloadavg()[0]:.1f})"
        )


def browse_and_filter(program: Any, focus_area: Any, page: int = 1) -> list[Any]:
    """The peer: mentors in the program having one of the focus area's skills, by name,
    20 a page, with their department and skills for the card (what a plain mentor
    directory with a skill filter does)."""
    from django.db.models import Prefetch

    from mentorbridge.people.models import Person, PersonSkill

    skill_ids = [s.pk for s in focus_area.skills.all()]
    mentors = (
        Person.objects.filter(
            enrollments__program=program,
            enrollments__status="active",
            enrollments__role__in=["mentor", "both"],
            person_skills__skill_id__in=skill_ids,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
        .select_related("department")
        .prefetch_related(
            Prefetch("person_skills", queryset=PersonSkill.objects.select_related("skill"))
        )
    )
    start = (page - 1) * 20
    return list(mentors[start : start + 20])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=50, help="different mentees timed")
    parser.add_argument("--seed", type=int, default=1, help="which mentees are picked")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="semantic matching on for the program (computes missing vectors first)",
    )
    parser.add_argument("--builds", type=int, default=3, help="suggester builds timed per way")
    parser.add_argument(
        "--cold-processes",
        type=int,
        default=3,
        help="first suggester builds timed, each in a new process",
    )
    parser.add_argument("--builds-only", action="store_true", help="time the builds only")
    parser.add_argument("--cold-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from config.web import single_threaded_blas

    single_threaded_blas()  # as config/wsgi.py does in the web server (children inherit it)
    if args.cold_child:
        cold_process_child(args.fresh)
        return
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from mentorbridge.matching.selectors import suggestions_for
    from mentorbridge.people.models import Person
    from mentorbridge.programs.models import FocusArea

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    ensure_people()
    program = ensure_suggestions_program()
    if args.build_only:
        return
    use_semantic(program, args.semantic)
    mode = "semantic (meaning + words)" if args.semantic else "words"
    builds = (
        [
            cold_process_builds(args.cold_processes, fresh=True),
            cold_process_builds(args.cold_processes),
        ]
        if args.cold_processes
        else []
    )
    builds += suggester_builds(program, args.builds)
    if args.builds_only:
        write_results("suggestion-builds", {"text": mode, "builds": builds})
        return
    log(
        f"{Person.objects.count()} people; program {program.slug}: "
        f"{program.enrollments.filter(role='mentor').count()} mentors, "
        f"{FocusArea.objects.filter(enrollment__program=program).count()} focus areas"
    )
    area_ids = list(
        FocusArea.objects.filter(enrollment__program=program)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = random.Random(args.seed).sample(area_ids, k=min(args.mentees, len(area_ids)))
    areas = list(
        FocusArea.objects.filter(pk__in=chosen)
        .select_related("enrollment__program", "enrollment__person__user")
        .order_by("pk")
    )
    random.Random(args.seed).shuffle(areas)

    client = Client()
    cards_seen: list[int] = []

    def selector(area: FocusArea) -> None:
        fresh = FocusArea.objects.select_related("enrollment__program", "enrollment__person").get(
            pk=area.pk
        )
        cards_seen.append(len(suggestions_for(fresh)))

    def peer(area: FocusArea) -> None:
        fresh = FocusArea.objects.select_related("enrollment__program").get(pk=area.pk)
        browse_and_filter(fresh.enrollment.program, fresh)

    def login(area: FocusArea) -> None:
        client.force_login(area.enrollment.person.user)  # a session write; not the page's

    def page(area: FocusArea) -> None:
        url = reverse("matching-find", args=[program.slug, area.pk])
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")

    page_result = timed_runs(
        "suggestions page (GET /find/, whole view)", areas, page, prepare=login
    )
    selector_result = timed_runs("suggestions_for (selector)", areas, selector)
    peer_result = timed_runs("peer: browse & filter (skill, by name, 20/page)", areas, peer)
    rows = [page_result, selector_result, peer_result]

    header = (
        f"{'what':50} {'runs':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
        f"{'queries':>7} {'peak MB':>8}"
    )
    print()
    print(
        f"Suggestions, {Person.objects.count():,} people, "
        f"{program.enrollments.filter(role='mentor').count():,} mentors, PostgreSQL "
        f"{getattr(connection, 'pg_version', 0) // 10000}, text: {mode}; "
        f"target p95 < {TARGET_P95_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['what']:50} {row['runs']:>4} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
            f"{row['max_ms']:>8.1f} {row['queries_median']:>7.0f} {row['peak_mb']:>8.1f}"
        )
    for row in builds:
        print(
            f"{row['what']:50} {row['runs']:>4}   CPU {row['cpu_s_median']:.2f} s, wall "
            f"{row['wall_s_median']:.2f} s (max {row['wall_s_max']:.2f}), {row['queries']} "
            f"queries (target CPU < {TARGET_BUILD_S:.0f} s)"
        )
    verdict = "met" if page_result["p95_ms"] < TARGET_P95_MS else "MISSED"
    print(
        f"target p95 < {TARGET_P95_MS:.0f} ms (page): {verdict}; process ru_maxrss "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
        f"cards per page median {statistics.median(cards_seen):.0f}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    write_results(
        "suggestions",
        {
            "people": Person.objects.count(),
            "mentors": program.enrollments.filter(role="mentor").count(),
            "target_p95_ms": TARGET_P95_MS,
            "target_met": verdict == "met",
            "text": mode,
            "builds": builds,
            "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rows": rows,
        },
    )


if __name__ == "__main__":
    main()
