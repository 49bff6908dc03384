"""Semantic matching figures: computing sentence vectors, and building the suggester from them.

    .venv/bin/python bench/semantic.py compute --texts 900
    .venv/bin/python bench/semantic.py mix --company 400
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench \
        .venv/bin/python bench/semantic.py suggester

``mix`` sweeps the share of meaning in the hybrid text score on the retrieval cases of
``bench/retrieval.py`` (top-1/5/10 on its train and test splits). Measured (company 400, seed
7; 117 goals, 261 mentors): words alone top-5 0.96, meaning alone 0.93, every blend from 0.2
to 0.7 0.98; top-1 on the train split is best at 0.2-0.3 (0.949; 0.923 at 0.6), so the
default share is 0.3 (``hybrid.MEANING_SHARE``).

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


def stand_in_embedder(texts: list[str]) -> object:
    """Unit vectors of the model's size seeded by each text (no model): for timing how stored
    vectors are read and used, which does not depend on their values, when computing 14,000
    real ones would take too long on the machine at hand. Said so in the output."""
    import hashlib

    import numpy as np

    out = np.empty((len(texts), 384), np.float32)
    for k, text in enumerate(texts):
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        row = np.random.default_rng(seed).standard_normal(384)
        out[k] = row / np.linalg.norm(row)
    return out


def suggester(runs: int, stand_in: bool) -> None:
    from bench.suggestions import ensure_people, ensure_suggestions_program, log, setup_django

    setup_django()
    from django.db import connection

    from mentorbridge.matching import adapter, selectors
    from mentorbridge.matching.vectors import program_vectors, vectors_compute

    ensure_people()
    program = ensure_suggestions_program()
    log(
        "computing the vectors the worker would (only missing or changed texts)"
        + (": STAND-IN vectors (text-seeded), not the model's" if stand_in else "")
    )
    done = vectors_compute(embedder=stand_in_embedder if stand_in else None)  # type: ignore[arg-type]
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
    print(f"PostgreSQL {getattr(connection, 'pg_version', 0)}, program {program.slug}")
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


def mix(company: int, seed: int) -> None:
    """The share of meaning in the hybrid text score, swept on the retrieval cases of
    ``bench/retrieval.py`` (text factor alone: the engine's word index, the sentence model)."""
    import numpy as np

    try:
        from bench import retrieval
        from mentorbridge.matching_engine.text import Analyzer, WordIndex, synonym_phrases
    except ImportError as error:
        raise SystemExit(f"needs bench/retrieval.py and the engine's word index: {error}") from None
    from mentorbridge.matching_engine.semantic import load_embedder
    from mentorbridge.people.catalogue import load_catalogue

    cases = retrieval.load_cases(company, seed)
    phrases = synonym_phrases({s.name: list(s.synonyms) for s in load_catalogue()})
    goals = [g["text"] for g in cases["goals"]]
    mentors = [m["text"] for m in cases["mentors"]]
    words = WordIndex(goals, mentors, Analyzer(phrases)).block(np.arange(len(goals)))
    embed = load_embedder()
    meaning = np.clip(embed(goals) @ embed(mentors).T, 0.0, 1.0)
    print(f"{len(goals)} goals, {len(mentors)} mentors")
    for share in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
        rank = retrieval.dense_ranker(cases, share * meaning + (1 - share) * words)
        line = f"meaning share {share:.1f}:"
        for split in ("train", "test"):
            r = retrieval.evaluate(cases, rank, split)
            line += f"  {split} top1 {r['top1']:.3f} top5 {r['top5']:.3f} top10 {r['top10']:.3f}"
        print(line, flush=True)
    print(f"peak memory (max RSS): {peak_mb():.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("compute", help="time computing vectors with the sentence model")
    one.add_argument("--texts", type=int, default=900)
    one.add_argument("--runs", type=int, default=3)
    two = sub.add_parser("suggester", help="time building the suggester from stored vectors")
    two.add_argument("--runs", type=int, default=5)
    two.add_argument(
        "--stand-in-vectors",
        action="store_true",
        help="store text-seeded unit vectors instead of running the model (timing only)",
    )
    three = sub.add_parser("mix", help="sweep the share of meaning on the retrieval cases")
    three.add_argument("--company", type=int, default=1500)
    three.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.command == "compute":
        compute(args.texts, args.runs)
    elif args.command == "mix":
        mix(args.company, args.seed)
    else:
        suggester(args.runs, args.stand_in_vectors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
