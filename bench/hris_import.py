"""HRIS import at 50,000 rows: first import and idempotent re-import, SQLite and PostgreSQL,
beside the usual row-by-row approach (``update_or_create`` per row, managers second pass).

    .venv/bin/python bench/hris_import.py [--rows 50000] [--peer-timeout 120] \
        [--backends sqlite,postgres]

Each measurement runs in its own process against a fresh database (a temporary SQLite file, or
the PostgreSQL database ``mentorbridge_bench_import`` on 127.0.0.1, dropped and re-created).
Prints wall time and peak memory (max RSS) per step.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/mentorbridge_bench_import"


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_csv(rows: int, path: Path) -> None:
    """A realistic HRIS export: the demo company generator at the requested size."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from mentorbridge.demo.content import generate_people
    from mentorbridge.demo.seed import hris_csv

    people = generate_people(rows, seed=11)
    path.write_bytes(hris_csv(list(reversed(people))))  # managers after their reports


def child(kind: str, csv_path: str, env: dict[str, str]) -> None:
    """One measurement in a fresh process; prints a JSON line."""
    _setup_django(env)
    data = Path(csv_path).read_bytes()
    out: dict[str, object] = {"kind": kind}
    if kind == "ours":
        from mentorbridge.people.importing import import_people

        started = time.perf_counter()
        first = import_people(data)
        out["first_s"] = round(time.perf_counter() - started, 2)
        out["created"] = first.created
        out["ok"] = first.ok
        started = time.perf_counter()
        again = import_people(data)
        out["again_s"] = round(time.perf_counter() - started, 2)
        out["again_unchanged"] = again.unchanged
    else:
        import csv
        import io

        from django.db import transaction

        from mentorbridge.accounts.models import User
        from mentorbridge.people.models import Department, Person

        started = time.perf_counter()
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        with transaction.atomic():
            for row in rows:
                user, _ = User.objects.update_or_create(email=row["email"].lower())
                department, _ = Department.objects.get_or_create(name=row["department"])
                Person.objects.update_or_create(
                    employee_id=row["employee_id"],
                    defaults={
                        "user": user, "first_name": row["first_name"],
                        "last_name": row["last_name"],
                        "job_title": row["job_title"], "department": department,
                        "level": int(row["level"]), "timezone": row["timezone"],
                    },
                )  # fmt: skip
            for row in rows:
                if row["manager_id"]:
                    Person.objects.filter(employee_id=row["employee_id"]).update(
                        manager=Person.objects.get(employee_id=row["manager_id"])
                    )
        out["first_s"] = round(time.perf_counter() - started, 2)
        out["note"] = "no validation, no skills, not all-or-nothing on bad rows"
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


def _fresh(backend: str, tmp: Path) -> dict[str, str]:
    if backend == "sqlite":
        db = tmp / f"bench-{time.monotonic_ns()}.sqlite3"
        return {"SQLITE_PATH": str(db), "DATABASE_URL": ""}
    for cmd in (["dropdb", "--if-exists", "--force"], ["createdb"]):
        subprocess.run([*cmd, "-h", "127.0.0.1", "-U", "postgres", "mentorbridge_bench_import"],
                       check=True, capture_output=True)  # fmt: skip
    return {"DATABASE_URL": PG_URL}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--peer-timeout", type=int, default=120)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, csv_path, env = args.child
        child(kind, csv_path, json.loads(env))
        return
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        csv_path = tmp / "hris.csv"
        make_csv(args.rows, csv_path)
        print(f"HRIS import, {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB), "
              f"{os.cpu_count()} cores")  # fmt: skip
        head = f"{'backend':<10} {'approach':<22} {'first import':>13} {'re-import':>10}"
        print(f"{head} {'peak MB':>8}")
        for backend in args.backends.split(","):
            for kind in ("ours", "row_by_row"):
                env = _fresh(backend, tmp)
                cmd = [sys.executable, __file__, "--child", kind, str(csv_path), json.dumps(env)]
                try:
                    limit = args.peer_timeout if kind != "ours" else 600
                    done = subprocess.run(
                        cmd, capture_output=True, text=True, check=True, timeout=limit
                    )
                    result = json.loads(done.stdout.strip().splitlines()[-1])
                    again = f"{result['again_s']} s" if "again_s" in result else "—"
                    label = "MentorBridge" if kind == "ours" else "row-by-row ORM (peer)"
                    print(f"{backend:<10} {label:<22} {result['first_s']:>11} s {again:>10} "
                          f"{result['peak_mb']:>8}")  # fmt: skip
                except subprocess.TimeoutExpired:
                    print(f"{backend:<10} {'row-by-row ORM (peer)':<22} "
                          f"did not finish in {args.peer_timeout} s")  # fmt: skip
                except subprocess.CalledProcessError as error:
                    print(f"{backend:<10} {kind:<22} failed: {error.stderr.strip()[-300:]}")


if __name__ == "__main__":
    main()
