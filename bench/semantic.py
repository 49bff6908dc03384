"""Semantic matching figures: computing sentence vectors, and building the suggester from them.

    .venv/bin/python bench/semantic.py compute --texts 900
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench \
        .venv/bin/python bench/semantic.py suggester

``compute`` embeds realistic texts (the demo generator's profiles and career goals: job
title, expertise, bio) with the `semantic` extra's model (numpy, no torch) and prints the
model's load time and, over several runs, the median and p95 time for the texts, and the
peak memory.

``suggester`` uses the organisation of ``bench/suggestions.py`` (50,000 people, a program
with 10,000 mentors and 3,000 mentees; built there if missing), turns semantic matching on for
that program, computes the vectors the worker would (``vectors_compute``: only the missing or
changed ones, so a second run reuses them), then times building the program's suggester cold
(people cache and compiled suggester dropped first) from stored vectors and, for comparison,
with semantic matching off; and ranking one focus area in both modes. Issue 12's target: under
2 s for 10,000 mentors from stored vectors.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-len(ordered) * 95 // 100) - 1))]


def report(label: str, seconds: list[float]) -> None:
    print(
        f"{label:58} median {statistics.median(seconds):8.3f} s   p95 {p95(seconds):8.3f} s"
        f"   ({len(seconds)} runs)"
    )


def compute(texts: int, runs: int) -> None:
    from mentorbridge.demo.content import generate_people
    from mentorbridge.matching_engine.semantic import load_model

    def person_text(title: str, expertise: list[str], bio: str) -> str:  # as adapter.person_text
        return " ".join(x for x in (title, "; ".join(expertise), bio) if x)

    people = generate_people(max(texts, 2), seed=7)
    corpus = [person_text(p.job_title, p.expertise, p.bio) for p in people[: texts // 2]]
    corpus += [p.career_goals or p.job_title for p in people[: texts - len(corpus)]]
    started = time.perf_counter()
    model = load_model()
    print(f"model loaded in {time.perf_counter() - started:.2f} s")
    words = sum(len(t.split()) for t in corpus)
    print(f"{len(corpus)} texts, {words / len(corpus):.0f} words on average")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        model.encode(corpus)
        seconds.append(time.perf_counter() - started)
    report(f"vectors for {len(corpus)} texts", seconds)
    print(f"peak memory (max RSS): {peak_mb():.0f} MB")


def suggester(runs: int) -> None:
    from bench.suggestions import ensure_people, ensure_suggestions_program, log, setup_django

    setup_django()
    from django.db import connection

    from mentorbridge.matching import adapter, selectors
    from mentorbridge.matching.vectors import program_vectors, vectors_compute

    ensure_people()
    program = ensure_suggestions_program()
    log("computing the vectors the worker would (only missing or changed texts)")
    done = vectors_compute()
    log(f"computed {done.computed}, unchanged {done.unchanged}, in {done.seconds:.1f} s")

    def build(mode: str) -> list[float]:
        program.semantic_matching = mode
        program.save(update_fields=["semantic_matching"])
        seconds = []
        for _ in range(runs):
            adapter.clear_people_cache()
            selectors._suggesters.clear()
            started = time.perf_counter()
            built = selectors.program_suggester(program)
            seconds.append(time.perf_counter() - started)
            assert built is not None
        return seconds

    on = build("on")
    off = build("off")
    print(f"PostgreSQL {connection.pg_version}, program {program.slug}")
    report("suggester build, semantic on (stored vectors)", on)
    report("suggester build, semantic off (words only)", off)
    program.semantic_matching = "on"
    program.save(update_fields=["semantic_matching"])
    data = adapter.program_instance(program, adapter.InstanceScope())
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        vectors = program_vectors(program, data)
        seconds.append(time.perf_counter() - started)
    assert vectors is not None
    print(
        f"stored vectors loaded: {len(vectors.mentor_keys)} mentors, {len(vectors.goal_keys)} goals"
    )
    report("reading the stored vectors alone", seconds)
    built = selectors.program_suggester(program)
    assert built is not None
    mentee = data["mentees"][0]
    for mode in ("on", "off"):
        program.semantic_matching = mode
        program.save(update_fields=["semantic_matching"])
        built = selectors.program_suggester(program)
        assert built is not None
        seconds = []
        for _ in range(max(runs, 20)):
            started = time.perf_counter()
            built.rank(mentee["id"], mentee["focus_areas"][0]["id"], limit=None)
            seconds.append(time.perf_counter() - started)
        report(f"rank one focus area (every mentor), semantic {mode}", seconds)
    print(f"peak memory (max RSS): {peak_mb():.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("compute", help="time computing vectors with the sentence model")
    one.add_argument("--texts", type=int, default=900)
    one.add_argument("--runs", type=int, default=3)
    two = sub.add_parser("suggester", help="time building the suggester from stored vectors")
    two.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.command == "compute":
        compute(args.texts, args.runs)
    else:
        suggester(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
