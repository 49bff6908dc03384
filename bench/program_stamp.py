"""The suggestions page's program stamp in PostgreSQL: the change log against counting.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench \\
        .venv/bin/python bench/program_stamp.py --runs 10 [--parts]

On the database ``bench/suggestions.py`` builds: ``EXPLAIN (ANALYZE)`` execution time of the
stamp's one query as the page reads it (``adapter.program_stamp``: the program's change log)
and of the same query counting the program's enrollments, focus areas and focus-area skills
instead (the stamp before ``ProgramChange``), alternating, so both see the same load.
``--parts`` also times each part of today's stamp alone. See bench/SUGGESTIONS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--slug", default="bench-find-a-mentor")
    parser.add_argument("--parts", action="store_true", help="time each part of the stamp too")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.suggestions import setup_django

    setup_django()
    from django.db import connection

    from mentorbridge.matching import adapter
    from mentorbridge.matching.adapter import stamp_count, stamp_max, stamp_part
    from mentorbridge.programs.models import Enrollment, FocusArea, Program

    program = Program.objects.get(slug=args.slug)
    semantic = adapter.semantic_enabled(program)
    log_parts = adapter._program_stamp_parts(program, True, True, semantic)
    counting = {name: part for name, part in log_parts.items() if name != "changes"}
    counting["enrollments"] = stamp_part(
        Enrollment.objects.filter(program=program), stamp_count(), stamp_max("updated_at")
    )
    counting["areas"] = stamp_part(
        FocusArea.all_objects.filter(enrollment__program=program),
        stamp_count(),
        stamp_max("updated_at"),
    )
    counting["area_skills"] = stamp_part(
        FocusArea.skills.through.objects.filter(focusarea__enrollment__program=program),
        stamp_count(),
    )

    def sql(parts: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
        named = {f"stamp_{name}": part for name, part in parts.items()}
        query = Program.objects.filter(pk=program.pk).annotate(**named).values_list(*named)
        text, params = query.query.sql_with_params()
        return text, tuple(params)

    queries = {"change log (today)": sql(log_parts), "counting (before)": sql(counting)}
    if args.parts:
        queries |= {f"  part {name}": sql({name: part}) for name, part in log_parts.items()}
    times: dict[str, list[float]] = {name: [] for name in queries}
    with connection.cursor() as cursor:
        for _ in range(args.runs):
            for name, (text, params) in queries.items():
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + text, params)
                times[name].append(cursor.fetchone()[0][0]["Execution Time"])
    print(f"program {program.slug}, semantic matching {'on' if semantic else 'off'}")
    for name, values in times.items():
        print(
            f"{name:28} median {statistics.median(values):7.2f} ms  min {min(values):7.2f}  "
            f"max {max(values):7.2f}  (n={len(values)})"
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
