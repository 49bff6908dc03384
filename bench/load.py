"""Load to hold: locust against the production server on PostgreSQL, company of 50,000 people.

    nice -n 10 .venv/bin/python -m bench.load --users 50 --run-time 120

What it does, all on 127.0.0.1:

1. **The organisation, once** (cached in the PostgreSQL database ``mb_load_template``, reused
   while ``SEED_VERSION`` is unchanged; ``--rebuild`` rebuilds it): 50,000 people through the
   HRIS importer (bench/suggestions.py's company), an enrolling program with 10,000 mentors
   and 3,000 mentees with focus areas (the Find-a-mentor page's load), and a running program
   with 10,000 mentorships among the company's people, each with a year of history (meetings,
   check-ins, goals, an agreement: bench/nudges.py's writer), then today's nudge sweep (stored
   health, notifications) and ANALYZE. Bulk inserts except the HRIS import; 6–10 minutes the
   first time on the shared 2-core machine.
2. **A run database** ``mb_load`` copied from the template (``CREATE DATABASE … TEMPLATE``, a
   few seconds), migrated forward, with personal API tokens for the API clients.
3. **The production server**: ``bin/serve`` (gunicorn, DEBUG off, the bounded connection pool,
   workers from the CPU count unless ``--workers``), told it is behind a TLS proxy
   (``X-Forwarded-Proto: https``) as in production.
4. **locust** (bench/locustfile.py), headless: first ``--warm-up`` seconds with 10 users, not
   counted (each server process builds its Find-a-mentor suggester on its first call); then
   ``--users`` signed-in users spawned at
   ``--spawn-rate`` per second for ``--run-time`` seconds, then it stops by itself: employees,
   mentees, mentors, people finding a mentor, program admins, a site admin and API clients,
   each on their own pages (see the locustfile for the mix and think times).
5. While it runs, every 2 s: the 1-minute load average and the number of connections to the run
   database (``pg_stat_activity``).

Prints throughput and p50/p95/p99/max per endpoint and overall, the connection count and the
load average over time, and whether the target holds (0 errors, p95 under 300 ms, no
connection growth); writes ``bench/results/load-<time>.json``. Drops the run database unless
``--keep`` (the template stays: drop it with ``--drop-template`` or ``DROP DATABASE``).

The machine's load matters: locust and the server share its cores, so print-outs taken at a
load average above the core count are upper bounds. Run the whole thing under ``nice``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SEED_VERSION = "load-2"  # change when the seeded organisation changes: the template is rebuilt
RUNNING_SLUG = "bench-load-running"
RUNNING_MENTORSHIPS = 10_000
RUNNING_MENTORS = 5_000
LOAD_PASSWORD = "load-bench-only-Passw0rd"  # only ever in the bench's own local databases
SITE_ADMIN_EMAIL = "load-site-admin@bench.example"
TARGET_P95_MS = 300.0
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


# ---------------------------------------------------------------------------------------------
# Inside Django (run as subprocesses with DATABASE_URL set): seeding and personas
# ---------------------------------------------------------------------------------------------


def seed() -> None:
    """The organisation: 50,000 people, the Find-a-mentor program, 10,000 mentorships."""
    from bench.suggestions import (
        build_program,
        ensure_people,
        ensure_suggestions_program,
        setup_django,
    )

    setup_django()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from bench.nudges import write_history
    from mentorbridge.accounts.models import User
    from mentorbridge.mentorships.models import Mentorship
    from mentorbridge.people.models import Person
    from mentorbridge.programs.models import FocusArea

    started = time.perf_counter()
    ensure_people()
    ensure_suggestions_program()
    program = build_program(
        slug=RUNNING_SLUG,
        name="Bench Load Running",
        mentors=RUNNING_MENTORS,
        mentees=RUNNING_MENTORSHIPS,
        areas_per_mentee=(1,),
        capacities=(2, 3),
        seed=12,
        status="running",
    )
    if not Mentorship.objects.filter(program=program).exists():
        areas = list(
            FocusArea.objects.filter(enrollment__program=program)
            .select_related("enrollment__person")
            .order_by("pk")
        )
        mentors = list(
            Person.objects.filter(enrollments__program=program, enrollments__role="mentor")
            .only("pk")
            .order_by("pk")
        )
        mentees = [area.enrollment.person for area in areas]
        # two mentees a mentor (every capacity is 2 or 3)
        paired = [mentors[i % len(mentors)] for i in range(len(mentees))]
        meetings, checkins = write_history(program, mentees, paired, areas, now=timezone.now())
        log(f"{len(mentees)} mentorships, {meetings} meetings, {checkins} check-ins")
        # today's sweep, as the scheduler runs it: stored health, nudges and notifications
        from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep

        log(f"daily sweep: {nudges_sweep(today=timezone.localdate())}")
    hashed = make_password(LOAD_PASSWORD)
    User.objects.update(password=hashed)
    if not User.objects.filter(email=SITE_ADMIN_EMAIL).exists():
        User.objects.create_superuser(SITE_ADMIN_EMAIL, LOAD_PASSWORD)
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as autovacuum keeps them in production
        cursor.execute("ANALYZE")
    log(f"organisation ready in {time.perf_counter() - started:.0f} s")


def personas(path: str) -> None:
    """Who the virtual users are (and their API tokens), written to ``path`` as JSON."""
    from bench.suggestions import PROGRAM_SLUG, setup_django

    setup_django()
    from mentorbridge.accounts.services import api_token_create
    from mentorbridge.mentorships.models import Mentorship
    from mentorbridge.people.models import Person
    from mentorbridge.programs.models import FocusArea, Program

    running = Program.objects.get(slug=RUNNING_SLUG)
    find = Program.objects.get(slug=PROGRAM_SLUG)
    pairs = list(
        Mentorship.objects.filter(program=running)
        .order_by("pk")
        .values_list("pk", "mentee__user__email", "mentor__user__email")
    )
    step = max(1, len(pairs) // 60)
    chosen = pairs[::step][:60]
    seekers = list(
        FocusArea.objects.filter(enrollment__program=find)
        .order_by("pk")
        .values_list("pk", "enrollment__person__user__email")
    )
    seekers = seekers[:: max(1, len(seekers) // 40)][:40]
    in_programs = set(
        Person.objects.filter(enrollments__isnull=False).values_list("pk", flat=True).distinct()
    )
    everyone = list(Person.objects.order_by("pk").values_list("pk", "user__email", "employee_id"))
    employees = [row for row in everyone if row[0] not in in_programs][::97][:60]
    profiles = [row[2] for row in everyone[::499]]
    names = list(Person.objects.order_by("pk").values_list("first_name", flat=True)[::997])
    admin = find.admins.order_by("pk").select_related("user").first()
    assert admin is not None and running.admins.filter(pk=admin.pk).exists()
    api_clients = []
    for pk, email, _ in chosen[:20]:
        person = Person.objects.select_related("user").get(user__email=email)
        token = api_token_create(user=person.user, name="load test")
        api_clients.append({"token": token, "mentorship": pk, "employee_id": person.employee_id})
    data = {
        "password": LOAD_PASSWORD,
        "mentees": [{"email": e, "mentorship": pk} for pk, e, _ in chosen],
        "mentors": [{"email": e, "mentorship": pk} for pk, _, e in chosen],
        "seekers": [{"email": e, "focus_area": pk, "program": find.slug} for pk, e in seekers],
        "employees": [{"email": e, "employee_id": eid} for _, e, eid in employees],
        "program_admins": [{"email": admin.user.email, "programs": [find.slug, running.slug]}],
        "site_admins": [{"email": SITE_ADMIN_EMAIL}],
        "api_clients": api_clients,
        "profiles": profiles,
        "queries": sorted({name for name in names if name}),
    }
    Path(path).write_text(json.dumps(data, indent=1))


def mix_urls(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(who signs in, name, path) for one of each page and API call of the locustfile's mix."""
    mentee, mentor, seeker = data["mentees"][0], data["mentors"][0], data["seekers"][0]
    employee, admin = data["employees"][0], data["program_admins"][0]
    pk, slug, running = mentee["mentorship"], seeker["program"], admin["programs"][1]
    query, someone = data["queries"][0], data["profiles"][0]
    return [
        (employee["email"], "/", "/"),
        (employee["email"], "/people/?q=[name]", f"/people/?q={query}"),
        (employee["email"], "/people/[employee_id]/", f"/people/{someone}/"),
        (employee["email"], "/programs/", "/programs/"),
        (employee["email"], "/notifications/", "/notifications/"),
        (mentee["email"], "/ (mentee)", "/"),
        (mentee["email"], "/mentoring/mine/", "/mentoring/mine/"),
        (mentee["email"], "/mentorships/[pk]/", f"/mentorships/{pk}/"),
        (mentee["email"], "/mentorships/[pk]/meetings/", f"/mentorships/{pk}/meetings/"),
        (mentee["email"], "/mentorships/[pk]/agreement/versions/",
         f"/mentorships/{pk}/agreement/versions/"),
        (mentor["email"], "/mentoring/inbox/", "/mentoring/inbox/"),
        (seeker["email"], "/programs/[slug]/", f"/programs/{slug}/"),
        (seeker["email"], "/programs/[slug]/find/[focus_area]/",
         f"/programs/{slug}/find/{seeker['focus_area']}/"),
        (seeker["email"], "/programs/[slug]/requests/", f"/programs/{slug}/requests/"),
        (admin["email"], "/programs/[slug]/enrollments/", f"/programs/{running}/enrollments/"),
        (admin["email"], "/programs/[slug]/overview/", f"/programs/{running}/overview/"),
        (admin["email"], "/programs/[slug]/health/", f"/programs/{running}/health/"),
        (admin["email"], "/programs/[slug]/rounds/", f"/programs/{slug}/rounds/"),
        (SITE_ADMIN_EMAIL, "/audit/", "/audit/"),
        (mentee["email"], "/api/v1/people?q=[name]", f"/api/v1/people?q={query}"),
        (mentee["email"], "/api/v1/people/[id]", f"/api/v1/people/{someone}"),
        (mentee["email"], "/api/v1/mentorships/[pk]", f"/api/v1/mentorships/{pk}"),
        (mentee["email"], "/api/v1/mentorships/[pk]/meetings",
         f"/api/v1/mentorships/{pk}/meetings"),
        (mentee["email"], "/api/v1/notifications", "/api/v1/notifications"),
    ]  # fmt: skip


def explain(path: str, profile: str = "", runs: int = 3) -> None:
    """Each page of the mix in-process (django.test.Client, signed in): queries and time
    (median of ``runs`` after one warm-up call); ``profile``: cProfile of the page so named."""
    from bench.suggestions import setup_django

    setup_django()
    import cProfile
    import pstats
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentorbridge.accounts.models import User

    data = json.loads(Path(path).read_text())
    rows = []
    for email, name, url in mix_urls(data):
        client = Client(HTTP_X_FORWARDED_PROTO="https", SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(email=email))
        status = client.get(url, secure=True).status_code
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url, secure=True)
                times.append((time.perf_counter() - started) * 1000)
        rows.append((statistics.median(times), name, status, len(queries)))
        if profile and name == profile:
            profiler = cProfile.Profile()
            profiler.runcall(client.get, url, secure=True)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"\n{'page (in-process, signed in)':<42} {'status':>6} {'queries':>7} {'median ms':>9}"
          f"   load average {load_average()}")  # fmt: skip
    for median, name, status, count in sorted(rows, reverse=True):
        print(f"{name:<42} {status:>6} {count:>7} {median:>9.0f}")


# ---------------------------------------------------------------------------------------------
# The driver (no Django in this process)
# ---------------------------------------------------------------------------------------------


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _url_for(admin_url: str, database: str) -> str:
    return f"{admin_url.rsplit('/', 1)[0]}/{database}"


def _django(env: dict[str, str], *args: str, timeout: float = 1800) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, timeout=timeout)


def _env(database_url: str, var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def ensure_template(admin_url: str, template: str, var_dir: str, *, rebuild: bool) -> str:
    """The seeded organisation in ``template``; returns "reused" or "built in N s"."""
    with _connect(admin_url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [template],
        ).fetchone()
        if row is not None and row[0] == SEED_VERSION and not rebuild:
            return "reused"
        building = f"{template}_building"
        conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{building}"')
    started = time.perf_counter()
    log(f"building the organisation in {building} (once; cached as {template})")
    env = _env(_url_for(admin_url, building), var_dir)
    _django(env, "manage.py", "migrate", "--noinput", "-v", "0")
    _django(env, "-m", "bench.load", "_seed")
    with _connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
        conn.execute(f"COMMENT ON DATABASE \"{template}\" IS '{SEED_VERSION}'")
    return f"built in {time.perf_counter() - started:.0f} s"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sampler:
    """Every ``every`` seconds: the 1-minute load average and the run database's connections."""

    def __init__(self, admin_url: str, database: str, every: float = 2.0) -> None:
        self.admin_url, self.database, self.every = admin_url, database, every
        self.samples: list[dict[str, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.monotonic()

    def _run(self) -> None:
        with _connect(self.admin_url) as conn:
            while not self._stop.is_set():
                # client connections (the server's pools); parallel query workers and
                # autovacuum also show up in pg_stat_activity, counted apart
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE backend_type = 'client backend'), "
                    "count(*) FILTER (WHERE backend_type <> 'client backend') "
                    "FROM pg_stat_activity WHERE datname = %s",
                    [self.database],
                ).fetchone()
                self.samples.append(
                    {
                        "t": round(time.monotonic() - self._started, 1),
                        "connections": int(row[0]) if row else 0,
                        "other_backends": int(row[1]) if row else 0,
                        "load": load_average(),
                    }
                )
                self._stop.wait(self.every)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def read_stats(prefix: Path) -> list[dict[str, Any]]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["Name"]:
                continue
            rows.append(
                {
                    "name": row["Name"]
                    if row["Name"] == "Aggregated"
                    else f"{row['Type']} {row['Name']}",
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "max": float(row["Max Response Time"] or 0),
                }
            )
    return rows


def read_failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def print_report(
    stats: list[dict[str, Any]], failures: list[dict[str, str]], samples: list[dict[str, float]],
    meta: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    endpoints = sorted(
        (row for row in stats if row["name"] != "Aggregated"), key=lambda r: -r["p95"]
    )
    total = next(row for row in stats if row["name"] == "Aggregated")
    width = max(len(row["name"]) for row in stats)
    print()
    print(f"{'endpoint':<{width}} {'reqs':>6} {'fails':>5} {'req/s':>6} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")  # fmt: skip
    for row in [*endpoints, total]:
        print(f"{row['name']:<{width}} {row['requests']:>6} {row['failures']:>5} "
              f"{row['rps']:>6.1f} {row['p50']:>7.0f} {row['p95']:>7.0f} {row['p99']:>7.0f} "
              f"{row['max']:>7.0f}")  # fmt: skip
    if failures:
        print("\nfailures:")
        for failure in failures[:20]:
            print(f"  {failure['Occurrences']}× {failure['Method']} {failure['Name']}: "
                  f"{failure['Error'][:200]}")  # fmt: skip
    connections = [s["connections"] for s in samples] or [0]
    half = len(connections) // 2
    first, second = connections[:half] or connections, connections[half:] or connections
    loads = [s["load"] for s in samples] or [load_average()]
    print("\nclient connections to the run database over time (every ~2 s):")
    print("  " + " ".join(str(c) for c in connections))
    others = [s.get("other_backends", 0) for s in samples] or [0]
    print(f"  (besides them, parallel query workers and autovacuum: at most {max(others)})")
    print("load average (1 min) over time:")
    print("  " + " ".join(f"{v:.1f}" for v in loads[:: max(1, len(loads) // 30)]))
    bound = meta["workers"] * meta["pool_max"]
    growth = max(second) > max(first)
    verdict = {
        "errors": total["failures"],
        "p95_ms": total["p95"],
        "connections_max": max(connections),
        "connections_bound": bound,
        "connection_growth": growth,
        "load_average_median": sorted(loads)[len(loads) // 2],
        "load_average_max": max(loads),
        "met": total["failures"] == 0 and total["p95"] < TARGET_P95_MS and not growth
        and max(connections) <= bound,
    }  # fmt: skip
    print(
        f"\nconnections: max {max(connections)} (first half {max(first)}, second half "
        f"{max(second)}; bound = {meta['workers']} workers × pool {meta['pool_max']} = {bound})"
    )
    print(
        f"overall: {total['requests']} requests, {total['rps']:.1f} req/s, p50 "
        f"{total['p50']:.0f} ms, p95 {total['p95']:.0f} ms, p99 {total['p99']:.0f} ms, "
        f"{total['failures']} errors; load average median {verdict['load_average_median']}, "
        f"max {verdict['load_average_max']} on {os.cpu_count()} CPUs"
    )
    print(
        f"target (0 errors, p95 < {TARGET_P95_MS:.0f} ms, no connection growth): "
        + ("MET" if verdict["met"] else "NOT MET")
        + (" (load average above the CPU count: the timings are upper bounds)"
           if verdict["load_average_median"] > (os.cpu_count() or 1) else "")
    )  # fmt: skip
    return verdict


def run(args: argparse.Namespace) -> int:
    admin_url = args.admin_url
    if not any(host in admin_url for host in ("@127.0.0.1", "@localhost")):
        raise SystemExit("--admin-url must point to a PostgreSQL server on 127.0.0.1")
    locust = Path(sys.executable).with_name("locust")
    if not locust.exists():
        raise SystemExit(f"locust is not installed: {sys.executable} -m pip install -r "
                         "bench/requirements-load.txt")  # fmt: skip
    scratch = tempfile.mkdtemp(prefix="mb-load-")
    log(f"load average {load_average()} before anything; {os.cpu_count()} CPUs")
    how = ensure_template(admin_url, args.template, scratch, rebuild=args.rebuild)
    log(f"organisation template {args.template}: {how}")
    with _connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        started = time.perf_counter()
        conn.execute(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
        log(f"run database {args.database} copied in {time.perf_counter() - started:.1f} s")
    server: subprocess.Popen[bytes] | None = None
    try:
        env = _env(_url_for(admin_url, args.database), scratch)
        port = free_port()
        workers = args.workers or (os.cpu_count() or 1) * 2 + 1
        env.update(
            DEBUG="0", SECRET_KEY=secrets.token_urlsafe(32), ALLOWED_HOSTS="127.0.0.1",
            SITE_URL=f"https://127.0.0.1:{port}", SECURE_SSL_REDIRECT="0",
            WEB_ACCESS_LOG="", WEB_WORKERS=str(workers), WEB_THREADS=str(args.threads),
            DB_POOL_MAX_SIZE=str(args.pool_max), BIND=f"127.0.0.1:{port}", PY=sys.executable,
        )  # fmt: skip
        # production settings from here on (collectstatic writes whitenoise's manifest)
        _django(env, "manage.py", "migrate", "--noinput", "-v", "0")
        with _connect(_url_for(admin_url, args.database)) as conn:
            conn.execute("ANALYZE")  # a template built before the seed analysed has none
        _django(env, "manage.py", "collectstatic", "--noinput", "-v", "0")
        personas_path = Path(scratch) / "personas.json"
        _django(env, "-m", "bench.load", "_personas", str(personas_path))
        if args.explain:
            _django(env, "-m", "bench.load", "_explain", str(personas_path), args.explain)
        server_log = open(Path(scratch) / "server.log", "wb")  # noqa: SIM115
        server = subprocess.Popen(
            ["bin/serve"], cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the server did not start: see " + server_log.name) from None
                time.sleep(1)
        log(f"server: bin/serve, {workers} workers × {args.threads} threads, pool ≤ "
            f"{args.pool_max} connections each, on 127.0.0.1:{port}")  # fmt: skip
        prefix = Path(scratch) / "load"
        command = [
            str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
            "--run-time", f"{args.run_time}s", "--stop-timeout", "10",
            "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
            "--exit-code-on-error", "0", "--loglevel", "WARNING",
        ]  # fmt: skip
        locust_env = dict(env, LOAD_PERSONAS=str(personas_path), LOAD_SEED=str(args.seed),
                          LOAD_EXCLUDE=args.exclude)  # fmt: skip
        if args.warm_up:
            warm = [*command]
            warm[warm.index("--users") + 1] = "10"
            warm[warm.index("--run-time") + 1] = f"{args.warm_up}s"
            warm[warm.index("--csv") + 1] = str(Path(scratch) / "warm-up")
            log(f"warm-up: 10 users for {args.warm_up} s (not counted)")
            subprocess.run(warm, cwd=ROOT, env=locust_env, timeout=args.warm_up + 120,
                           capture_output=True, check=False)  # fmt: skip
        log(f"locust: {args.users} users (+{args.spawn_rate}/s) for {args.run_time} s, "
            f"load average {load_average()}"
            + (f", without {args.exclude}" if args.exclude else ""))  # fmt: skip
        started = time.perf_counter()
        with Sampler(admin_url, args.database) as sampler:
            done = subprocess.run(
                command, cwd=ROOT, env=locust_env, timeout=args.run_time + 180,
                capture_output=True, text=True,
            )  # fmt: skip
        log(f"locust finished in {time.perf_counter() - started:.0f} s (exit {done.returncode})")
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:])
        stats = read_stats(prefix)
        failures = read_failures(prefix)
        meta = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": platform.platform(), "cpus": os.cpu_count(), "users": args.users,
            "spawn_rate": args.spawn_rate, "run_time_s": args.run_time, "workers": workers,
            "threads": args.threads, "pool_max": args.pool_max, "template": args.template,
            "template_state": how, "warm_up_s": args.warm_up, "excluded": args.exclude,
        }  # fmt: skip
        verdict = print_report(stats, failures, sampler.samples, meta)
        server_log.flush()
        complaints = [
            line
            for line in Path(server_log.name).read_text(errors="replace").splitlines()
            if not line.startswith(("[", "AXES:", " ", "Traceback"))
            or "WORKER TIMEOUT" in line
            or "[ERROR]" in line
        ]
        if complaints:
            print(f"\nthe server's log ({len(complaints)} lines of warnings and errors), first 20:")
            print("\n".join("  " + line[:200] for line in complaints[:20]))
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"load-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
        report = {**meta, "verdict": verdict, "endpoints": stats, "failures": failures}
        out.write_text(json.dumps({**report, "samples": sampler.samples}, indent=1))
        log(f"wrote {out.relative_to(ROOT)}")
        return 0 if verdict["met"] or not args.strict else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        with _connect(admin_url) as conn:
            if not args.keep:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            if args.drop_template:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.template}" WITH (FORCE)')
        subprocess.run(["rm", "-rf", scratch], check=False)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_seed":
        seed()
        return
    if len(sys.argv) > 2 and sys.argv[1] == "_personas":
        personas(sys.argv[2])
        return
    if len(sys.argv) > 2 and sys.argv[1] == "_explain":
        explain(sys.argv[2], profile=sys.argv[3] if len(sys.argv) > 3 else "")
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", type=int, default=120, help="seconds of load")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: 2 × CPUs + 1)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--pool-max", type=int, default=4, help="connections per worker (pool)")
    parser.add_argument("--seed", type=int, default=14, help="the virtual users' choices")
    parser.add_argument(
        "--explain", nargs="?", const="-", default="", metavar="PAGE",
        help="first, each page of the mix in-process: queries and time; with a page name "
        "(e.g. '/programs/[slug]/overview/'), its cProfile too",
    )  # fmt: skip
    parser.add_argument(
        "--warm-up", type=int, default=60,
        help="seconds of uncounted load first (10 users): each server process builds its "
        "Find-a-mentor suggester on its first call",
    )  # fmt: skip
    parser.add_argument(
        "--exclude", default="", help="endpoint names to leave out, comma-separated "
        "(e.g. '/programs/[slug]/health/')",
    )  # fmt: skip
    parser.add_argument("--admin-url", default=os.environ.get("LOAD_ADMIN_URL", DEFAULT_ADMIN_URL))
    parser.add_argument("--database", default="mb_load")
    parser.add_argument("--template", default="mb_load_template")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached organisation")
    parser.add_argument("--keep", action="store_true", help="keep the run database afterwards")
    parser.add_argument("--drop-template", action="store_true", help="drop the cache at the end")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is not met")
    raise SystemExit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
