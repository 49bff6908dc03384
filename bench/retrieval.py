"""Retrieval benchmark: does Find a mentor put a right mentor on top when the goal says it in
other words?

    .venv/bin/python bench/retrieval.py            # every mode, both splits
    .venv/bin/python bench/retrieval.py --tune     # also choose the default weights on train
    .venv/bin/python bench/retrieval.py --main --vectors /tmp/v.npz   # main modes; vectors kept

Cases (`bench/retrieval_cases.json`): 39 roles, each with two mentors who describe the role
in their own words and three mentee goals asking for it in other words (abbreviations,
British spellings, other word forms, synonyms, paraphrase); a goal's right answers are its
role's mentors, and the company's people whose job title holds the role (the role's
`titles`). They sit among the mentors of a generated 1,500-person company (the demo
generator: realistic titles, expertise and bios), so most candidates are distractors. Roles
are split by position: every third role is *test*, the rest *train* (weights are chosen on
train only, see --tune). Focus areas carry text only (no picked skills): words are all the
engine has.

A third, harder slice, *paraphrase* (`bench/retrieval_paraphrases.json`, 78 goals), asks for
each role only in other words: what the job does, never its title, abbreviation or the
catalogue's synonyms; it was written apart from the synonym catalogue and is never used to
choose anything (held out, reported on its own). A *dev* slice
(`bench/retrieval_dev.json`, 52 goals, two for each train role) is written the same way, for
choosing things: the train goals mostly name the role, so words carry them and a change to
meaning can look free on train alone. A fourth held-out slice, *holdout*
(`bench/retrieval_holdout.json`, 78 goals), was written the same way by another hand before
the concept lexicon (`matching_engine/concepts.json`) and is never used to choose anything
either; nor is *fresh2* (`bench/retrieval_fresh2.json`, 78 goals written on 2026-12-04 as an
employee would type them: informal, some typos and abbreviations, some naming the role in other
words, some only describing the work). Their goals only join the word statistics (IDF), as
every goal of a program does in the app.

Modes, side by side on the same cases, each printed per split: scikit-learn's TF-IDF
(cosine, English stop words); the text factor alone as words (ours), the sentence model
alone and the hybrid (meaning + words, `hybrid.MEANING_SHARE`); the whole Find-a-mentor
score (`Suggester.rank`, every factor, default weights: what a mentee sees) with words and
with the hybrid (what the app uses with semantic matching on); then the word steps switched
off one at a time (what each is worth). For each: top-1/5/10 hit rates (a right mentor
within the first k), time per query (median, p95), the sentence model's texts per second,
the run's peak memory and the load average. ``--tune`` also re-chooses, on the train and dev
goals, the practical factors' share of the weights and the relevance gate (words and hybrid) and the
hybrid's meaning share, and BM25's k1 and the concept weight (also with the right answers'
profiles padded to everyone's length: `padded`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentorbridge.demo.content import generate_people  # noqa: E402
from mentorbridge.matching_engine.hybrid import MEANING_SHARE  # noqa: E402
from mentorbridge.matching_engine.instance import DEFAULT_WEIGHTS, Instance  # noqa: E402
from mentorbridge.matching_engine.suggest import Suggester  # noqa: E402
from mentorbridge.matching_engine.text import (  # noqa: E402
    BM25_K1,
    CONCEPT_WEIGHT,
    Analyzer,
    WordIndex,
    synonym_phrases,
)
from mentorbridge.people.catalogue import fold, load_catalogue  # noqa: E402

CASES = ROOT / "bench" / "retrieval_cases.json"
PARAPHRASES = ROOT / "bench" / "retrieval_paraphrases.json"
HOLDOUT = ROOT / "bench" / "retrieval_holdout.json"
FRESH = ROOT / "bench" / "retrieval_fresh.json"
DEV = ROOT / "bench" / "retrieval_dev.json"
FRESH2 = ROOT / "bench" / "retrieval_fresh2.json"
SPLITS = ("train", "test", "dev", "paraphrase", "holdout", "fresh", "fresh2")
HELD_OUT = ("paraphrase", "holdout", "fresh", "fresh2")  # never used to choose anything
COMPANY = 1500
KS = (1, 5, 10)


def load_cases(company: int, seed: int) -> dict[str, Any]:
    """Mentors (case mentors + the company's senior people), mentees (one per goal), split."""
    data = json.loads(CASES.read_text(encoding="utf-8"))
    paraphrases = json.loads(PARAPHRASES.read_text(encoding="utf-8"))["goals"]
    holdout = json.loads(HOLDOUT.read_text(encoding="utf-8"))["goals"]
    fresh = json.loads(FRESH.read_text(encoding="utf-8"))["goals"]
    dev = json.loads(DEV.read_text(encoding="utf-8"))["goals"]
    fresh2 = json.loads(FRESH2.read_text(encoding="utf-8"))["goals"]
    rng = random.Random(seed)
    slice_rng = random.Random(seed + 1)
    holdout_rng = random.Random(seed + 2)
    fresh_rng = random.Random(seed + 3)
    dev_rng = random.Random(seed + 4)
    fresh2_rng = random.Random(seed + 5)
    people = generate_people(company, seed=seed)
    seniors = [p for p in people if p.level >= 4]
    juniors = [p for p in people if p.level <= 3]
    mentors: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    by_role: list[list[int]] = []
    for r, role in enumerate(data["roles"]):
        split = "test" if r % 3 == 1 else "train"
        right = []
        for k, m in enumerate(role["mentors"]):
            like = rng.choice(seniors)  # practical factors (timezone, language...) of a real person
            mentor_id = f"{role['role']}-{k}"
            right.append(mentor_id)
            mentors.append(
                _person(mentor_id, like, m["title"], m["expertise"], m["bio"], {}, level=like.level)
            )
        by_role.append([])
        written = [(split, text) for text in role["goals"]]
        written += [("paraphrase", text) for text in paraphrases.get(role["role"], [])]
        written += [("holdout", text) for text in holdout.get(role["role"], [])]
        written += [("fresh", text) for text in fresh.get(role["role"], [])]
        written += [("dev", text) for text in dev.get(role["role"], [])]
        written += [("fresh2", text) for text in fresh2.get(role["role"], [])]
        for g, (goal_split, text) in enumerate(written):
            by_role[-1].append(len(goals))
            # the held-out slices draw their mentees from generators of their own, so adding
            # them leaves every other case exactly as before
            draw = {
                "paraphrase": slice_rng, "holdout": holdout_rng, "fresh": fresh_rng,
                "dev": dev_rng, "fresh2": fresh2_rng,
            }.get(goal_split, rng)  # fmt: skip
            like = draw.choice(juniors)
            goals.append(
                {"id": f"{role['role']}-goal-{g}", "text": text, "right": right,
                 "split": goal_split,
                 "person": _person(f"{role['role']}-mentee-{g}", like, like.job_title, [],
                                   "", {}, level=like.level)}
            )  # fmt: skip
    for role, goal_ids in zip(data["roles"], by_role, strict=True):
        if role.get("titles"):
            holders = [p.employee_id for p in seniors if re.search(role["titles"], p.job_title)]
            for k in goal_ids:
                goals[k]["right"] = goals[k]["right"] + holders
    for p in seniors:
        skills = {fold(name): level for name, level in p.skills}
        mentors.append(_person(p.employee_id, p, p.job_title, p.expertise, p.bio, skills, p.level))
    return {"mentors": mentors, "goals": goals, "bios": {p.employee_id: p.bio for p in seniors}}


def _person(
    pid: str, like: Any, title: str, expertise: list[str], bio: str, skills: dict, level: int
) -> dict[str, Any]:
    """An engine person: the texts given, the practical attributes of `like` (a demo person)."""
    return {
        "id": pid, "level": level, "department": like.department, "location": like.location,
        "timezone": like.timezone, "languages": list(like.languages), "skills": skills,
        "text": " ".join(x for x in (title, "; ".join(expertise), bio) if x),
        "hours_per_month": float(like.hours_per_month),
    }  # fmt: skip


def instance(cases: dict[str, Any], weights: dict[str, float], **options: Any) -> Instance:
    """Every goal as a mentee's focus area (text only), every mentor with one place."""
    catalogue = {s.name: list(s.synonyms) for s in load_catalogue() if s.synonyms}
    return Instance.from_dict(
        {
            "program_kind": "traditional",
            "weights": weights,
            "people": [g["person"] for g in cases["goals"]] + cases["mentors"],
            "mentees": [
                {"id": g["person"]["id"], "focus_areas": [{"id": g["id"], "text": g["text"]}]}
                for g in cases["goals"]
            ],
            "mentors": [{"id": m["id"], "capacity": 1} for m in cases["mentors"]],
            "options": {"reference_date": "2025-01-15", **options},
            "synonyms": catalogue,
        }
    )


Ranker = Callable[[int], list[str]]  # goal position -> mentor ids, best first (at least 10)


def evaluate(cases: dict[str, Any], rank: Ranker, split: str) -> dict[str, float]:
    """Hit rates at KS and time per query over the goals of one split."""
    hits = dict.fromkeys(KS, 0)
    times = []
    chosen = [k for k, g in enumerate(cases["goals"]) if split == "all" or g["split"] == split]
    for k in chosen:
        start = time.perf_counter()
        ranked = rank(k)
        times.append(time.perf_counter() - start)
        right = set(cases["goals"][k]["right"])
        for top in KS:
            hits[top] += bool(right & set(ranked[:top]))
    times.sort()
    return {
        **{f"top{top}": hits[top] / len(chosen) for top in KS},
        "median_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
        "n": len(chosen),
    }


def dense_ranker(cases: dict[str, Any], scores: np.ndarray) -> Ranker:
    ids = np.array([m["id"] for m in cases["mentors"]], dtype=object)

    def rank(k: int) -> list[str]:
        order = np.lexsort((ids, -scores[k]))[:10]
        return list(ids[order])

    return rank


def sklearn_ranker(cases: dict[str, Any]) -> Ranker:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english")
    vectorizer.fit([g["text"] for g in cases["goals"]] + [m["text"] for m in cases["mentors"]])
    documents = vectorizer.transform([m["text"] for m in cases["mentors"]]).T.tocsr()
    ids = np.array([m["id"] for m in cases["mentors"]], dtype=object)

    def rank(k: int) -> list[str]:
        query = vectorizer.transform([cases["goals"][k]["text"]])
        scores = (query @ documents).toarray()[0]
        return list(ids[np.lexsort((ids, -scores))[:10]])

    return rank


def words_ranker(cases: dict[str, Any], analyzer: Analyzer, **bm25: float) -> Ranker:
    index = WordIndex(
        [g["text"] for g in cases["goals"]], [m["text"] for m in cases["mentors"]], analyzer,
        **bm25,
    )  # fmt: skip
    ids = np.array([m["id"] for m in cases["mentors"]], dtype=object)

    def rank(k: int) -> list[str]:
        scores = index.block(np.array([k], np.int64))[0]
        return list(ids[np.lexsort((ids, -scores))[:10]])

    return rank


def engine_ranker(cases: dict[str, Any], weights: dict[str, float], **options: Any) -> Ranker:
    suggester = Suggester(instance(cases, weights, **options))
    goals = cases["goals"]

    def rank(k: int) -> list[str]:
        g = goals[k]
        return [r["mentor"] for r in suggester.rank(g["person"]["id"], g["id"], limit=10)]

    return rank


def sentence_vectors(
    cases: dict[str, Any], cache: Path | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Sentence vectors of the goals and the mentors (None without the `semantic` extra);
    with `cache`, read from that .npz file when it holds the same texts, else written to it."""
    goal_texts = [g["text"] for g in cases["goals"]]
    mentor_texts = [m["text"] for m in cases["mentors"]]
    if cache is not None and cache.exists():
        stored = np.load(cache, allow_pickle=False)
        if (
            list(stored["goal_texts"]) == goal_texts
            and list(stored["mentor_texts"]) == mentor_texts
        ):
            return stored["goals"], stored["mentors"]
    try:
        from mentorbridge.matching_engine.text import sentence_embedder

        embed = sentence_embedder()
    except ImportError:
        return None
    goals, mentors = embed(goal_texts), embed(mentor_texts)
    if cache is not None:
        np.savez(cache, goals=goals, mentors=mentors, goal_texts=np.array(goal_texts),
                 mentor_texts=np.array(mentor_texts))  # fmt: skip
    return goals, mentors


def sentence_ranker(cases: dict[str, Any], vectors: tuple | None) -> Ranker | None:
    if vectors is None:
        return None
    return dense_ranker(cases, vectors[0] @ vectors[1].T)


def hybrid_ranker(
    cases: dict[str, Any],
    vectors: tuple | None,
    weights: dict[str, float],
    meaning_share: float = MEANING_SHARE,
    **options: Any,
) -> Ranker | None:
    """The whole Find-a-mentor score with the text factor blending meaning and words."""
    if vectors is None:
        return None
    from mentorbridge.matching_engine.hybrid import TextVectors

    goal_keys = [f"{g['person']['id']}/{g['id']}" for g in cases["goals"]]
    mentor_keys = [m["id"] for m in cases["mentors"]]
    suggester = Suggester(
        instance(cases, weights, **options),
        vectors=TextVectors(goal_keys, vectors[0], mentor_keys, vectors[1]),
        meaning_share=meaning_share,
    )
    goals = cases["goals"]

    def rank(k: int) -> list[str]:
        g = goals[k]
        return [r["mentor"] for r in suggester.rank(g["person"]["id"], g["id"], limit=10)]

    return rank


def hybrid_text_ranker(
    cases: dict[str, Any], vectors: tuple | None, analyzer: Analyzer
) -> Ranker | None:
    """The text factor alone, meaning and words blended as the app blends them."""
    if vectors is None:
        return None
    from mentorbridge.matching_engine.hybrid import HybridIndex
    from mentorbridge.matching_engine.text import EmbeddingIndex

    words = WordIndex(
        [g["text"] for g in cases["goals"]], [m["text"] for m in cases["mentors"]], analyzer
    )
    index = HybridIndex(
        words, EmbeddingIndex(vectors[0], vectors[1]),
        np.ones(len(cases["goals"]), bool), np.ones(len(cases["mentors"]), bool),
    )  # fmt: skip
    ids = np.array([m["id"] for m in cases["mentors"]], dtype=object)

    def rank(k: int) -> list[str]:
        scores = index.block(np.array([k], np.int64))[0]
        return list(ids[np.lexsort((ids, -scores))[:10]])

    return rank


def modes(
    cases: dict[str, Any], vectors: tuple | None, main: bool = False
) -> dict[str, Ranker | None]:
    """Every mode, the four the issue compares first (TF-IDF, words, sentence model alone,
    hybrid), each as the text factor alone and as the whole Find-a-mentor score; then the
    word steps switched off one at a time (not with `main`)."""
    phrases = synonym_phrases({s.name: list(s.synonyms) for s in load_catalogue()})
    first: dict[str, Ranker | None] = {
        "tf-idf (scikit-learn)": sklearn_ranker(cases),
        "text: words (ours)": words_ranker(cases, Analyzer(phrases)),
        "text: sentence model alone": sentence_ranker(cases, vectors),
        "text: hybrid (meaning + words)": hybrid_text_ranker(cases, vectors, Analyzer(phrases)),
        "find a mentor: words": engine_ranker(cases, dict(DEFAULT_WEIGHTS)),
        "find a mentor: hybrid (the app)": hybrid_ranker(cases, vectors, dict(DEFAULT_WEIGHTS)),
    }
    if main:
        return first
    return {
        **first,
        "words: no concepts": words_ranker(cases, Analyzer(phrases, concepts={})),
        "words: no synonyms/abbreviations": words_ranker(
            cases, Analyzer(None, abbreviations=False)
        ),
        "words: no spelling folding": words_ranker(cases, Analyzer(phrases, spelling=False)),
        "words: no stemming": words_ranker(cases, Analyzer(phrases, stems=False)),
        "words: template words kept": words_ranker(cases, Analyzer(phrases, template_words=False)),
        "words: no saturation (k1=100, b=0)": words_ranker(
            cases, Analyzer(phrases), k1=100.0, b=0.0
        ),
    }


PRACTICAL_WEIGHTS = ("seniority", "timezone", "language", "department", "location", "availability")
CHOOSING = ("train", "dev")  # the slices weights are chosen on; never test or the held-out ones


def scaled_weights(practical_scale: float) -> dict[str, float]:
    """DEFAULT_WEIGHTS with the practical factors' weights multiplied by `practical_scale`
    relative to the pre-issue-12 defaults (goal fit 0.30, text 0.35, seniority 0.15,
    timezone 0.10, language 0.10, department/location/availability 0.05, preference 0.05)."""
    weights = dict(DEFAULT_WEIGHTS)
    for name, before in zip(PRACTICAL_WEIGHTS, (0.15, 0.10, 0.10, 0.05, 0.05, 0.05), strict=True):
        weights[name] = round(before * practical_scale, 6)
    return weights


def choosing_score(cases: dict[str, Any], rank: Ranker) -> tuple[float, str]:
    """Top-1 + top-5 hits summed over the choosing slices (each goal counts once), and the
    per-slice figures as text."""
    score, shown = 0.0, []
    for split in CHOOSING:
        r = evaluate(cases, rank, split)
        score += (r["top1"] + r["top5"]) * r["n"]
        shown.append(f"{split} {r['top1']:.3f}/{r['top5']:.3f}")
    return score, "  ".join(shown)


def tune(cases: dict[str, Any], vectors: tuple | None = None) -> dict[str, float]:
    """Grid over the practical factors' share (their weights times a scale, the others as
    DEFAULT_WEIGHTS, all normalised to sum 1 by the engine) and the relevance gate, on the
    train and dev goals, with words and (when the vectors are there) with the hybrid; best by
    top-1 + top-5 hits summed over both slices and both modes. Ties go to the larger practical
    scale, then the smaller gate: the practical factors keep as much say as the benchmark
    allows. The scale stops at 0.1: the benchmark's right answers have random practical
    factors, so it cannot see what timezone or language are worth and would always take 0.
    The gate stops at 0.9 for the same reason: at 1 a goal no mentor is relevant to (no
    shared skill or word) would get nothing from the practical factors either, and its
    mentors would tie however far away they sit or whatever language they speak."""
    best: tuple[float, dict[str, float]] | None = None
    grid = itertools.product((1.0, 0.5, 0.25, 0.15, 0.1), (0.5, 0.75, 0.9))
    for scale, gate in grid:
        weights = scaled_weights(scale)
        score, shown = choosing_score(cases, engine_ranker(cases, weights, relevance_gate=gate))
        line = f"  practical x{scale:.2f} gate {gate:.2f}: words {shown}"
        if vectors is not None:
            rank = hybrid_ranker(cases, vectors, weights, relevance_gate=gate)
            assert rank is not None
            more, shown = choosing_score(cases, rank)
            score += more
            line += f" | hybrid {shown}"
        print(f"{line} | hits {score:.0f}")
        if best is None or score > best[0] + 1e-9:
            best = (score, {"practical_scale": scale, "relevance_gate": gate})
    assert best is not None
    return best[1]


def padded(cases: dict[str, Any], seed: int = 1) -> dict[str, Any]:
    """The cases with every profile as the engine reads it (text, then skill names) and the
    right answers' profiles as long as the company's: each case mentor gets a company
    person's bio and skill names after its own text. The written case mentors are short and
    have no skills, the company's are long and do; a weight that wins only because it damps
    long profiles wins here no more (a check against fitting that, not a slice to report)."""
    rng = random.Random(seed)
    company = [m for m in cases["mentors"] if m["skills"]]
    written = {m for g in cases["goals"] for m in g["right"]} - {m["id"] for m in company}

    def profile(m: dict[str, Any]) -> dict[str, Any]:
        text = " ".join([m["text"], *m["skills"]])
        if m["id"] in written:
            like = rng.choice(company)
            text = " ".join([text, cases["bios"][like["id"]], *like["skills"]])
        return {**m, "text": text}

    return {**cases, "mentors": [profile(m) for m in cases["mentors"]]}


def tune_words(cases: dict[str, Any]) -> tuple[float, float]:
    """Grid over BM25's k1 and `text.CONCEPT_WEIGHT` (the text factor alone, words), on the
    train and dev goals, plain and padded (`padded`); best by top-1 + top-5 hits summed over
    both slices and both variants, ties to the first in the grid (smaller k1, then smaller
    concept weight)."""
    phrases = synonym_phrases({s.name: list(s.synonyms) for s in load_catalogue()})
    both = (cases, padded(cases))
    best: tuple[float, tuple[float, float]] | None = None
    grid = itertools.product((1.2, 1.6, 2.0, 2.5, 3.0), (0.5, 0.75, 1.0, 1.25, 1.5, 2.0))
    for k1, weight in grid:
        score = 0.0
        shown = []
        for variant in both:
            rank = words_ranker(variant, Analyzer(phrases), k1=k1, concept_weight=weight)
            more, text = choosing_score(variant, rank)
            score += more
            shown.append(text)
        print(
            f"  k1 {k1:.1f}, concept weight {weight:.2f}:", " | ".join(shown), f"| hits {score:.0f}"
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, (k1, weight))
    assert best is not None
    return best[1]


def tune_meaning(cases: dict[str, Any], vectors: tuple | None) -> float | None:
    """Grid over the meaning share of the hybrid text factor (whole score, default weights),
    on the train and dev goals; best by top-1 + top-5 hits summed over both, ties to the
    smaller share (words are explainable). Dev matters here: train goals mostly name the role,
    so a share that turns meaning down looks free on train alone."""
    if vectors is None:
        return None
    best: tuple[float, float] | None = None
    for share in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        rank = hybrid_ranker(cases, vectors, dict(DEFAULT_WEIGHTS), meaning_share=share)
        assert rank is not None
        score, shown = choosing_score(cases, rank)
        print(f"  meaning share {share:.1f}: {shown} | hits {score:.0f}")
        if best is None or score > best[0] + 1e-9:
            best = (score, share)
    assert best is not None
    return best[1]


def print_misses(
    cases: dict[str, Any], vectors: tuple | None, split: str, top: int = 1, shown: int = 3
) -> None:
    """Every goal of `split` with no right mentor in the first `top` of the whole score
    (words, and hybrid when the vectors are there): the goal, its role, the mentors ranked
    above the best right one (score, text, goal fit, shared terms) and that right one."""
    role_of = {m: m.rsplit("-", 1)[0] for g in cases["goals"] for m in g["right"]}
    variants: list[tuple[str, Suggester]] = [
        ("words", Suggester(instance(cases, dict(DEFAULT_WEIGHTS))))
    ]
    if vectors is not None:
        from mentorbridge.matching_engine.hybrid import TextVectors

        keys = [f"{g['person']['id']}/{g['id']}" for g in cases["goals"]]
        mentor_keys = [m["id"] for m in cases["mentors"]]
        text_vectors = TextVectors(keys, vectors[0], mentor_keys, vectors[1])
        hybrid = Suggester(instance(cases, dict(DEFAULT_WEIGHTS)), vectors=text_vectors)
        variants.append(("hybrid", hybrid))
    titles = {m["id"]: m["text"][:60] for m in cases["mentors"]}

    def line(r: dict[str, Any], place: int) -> str:
        f = {x["factor"]: x for x in r["factors"]}
        return (
            f"    #{place:<3} {r['mentor']:28} {r['score']:.3f} text {f['text']['value']:.3f} "
            f"fit {f['goal_fit']['value']:.2f} | {titles[r['mentor']]!r} | {f['text']['text']}"
        )

    for name, suggester in variants:
        for g in (g for g in cases["goals"] if g["split"] == split):
            ranked = suggester.rank(g["person"]["id"], g["id"], limit=None)
            right = set(g["right"])
            places = [k for k, r in enumerate(ranked) if r["mentor"] in right]
            first = places[0] if places else len(ranked)
            if first < top:
                continue
            print(f"[{name}] {g['id']} ({role_of.get(g['right'][0], '?')}): {g['text']}")
            for k, r in enumerate(ranked[: min(first, shown)]):
                print(line(r, k + 1))
            if places:
                print(line(ranked[first], first + 1), " <- right")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--company", type=int, default=COMPANY, help="people in the company")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tune", action="store_true", help="choose weights on the train split")
    parser.add_argument(
        "--vectors", type=Path, help="keep the sentence vectors in this .npz file between runs"
    )
    parser.add_argument(
        "--main", action="store_true", help="only the main modes (no word steps switched off)"
    )
    parser.add_argument(
        "--misses", metavar="SPLIT", help="print the goals of SPLIT with no right mentor first"
    )
    args = parser.parse_args(argv)
    cases = load_cases(args.company, args.seed)
    if args.misses:
        print_misses(cases, sentence_vectors(cases, args.vectors), args.misses)
        return 0
    n_split = {split: sum(g["split"] == split for g in cases["goals"]) for split in SPLITS}
    print(
        f"{len(cases['goals'])} goals ({n_split['train']} train, {n_split['test']} test, "
        f"{n_split['dev']} dev, {n_split['paraphrase']} paraphrase, {n_split['holdout']} holdout, "
        f"{n_split['fresh']} fresh, {n_split['fresh2']} fresh2), "
        f"{len(cases['mentors'])} mentors ({len({m for g in cases['goals'] for m in g['right']})} "
        "of them right answers to some goal)"
    )
    header = (
        f"{'mode':38} {'split':10} {'top1':>6} {'top5':>6} {'top10':>6} {'med ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    started = time.perf_counter()
    vectors = sentence_vectors(cases, args.vectors)
    if vectors is not None:
        texts = len(cases["goals"]) + len(cases["mentors"])
        seconds = time.perf_counter() - started
        print(
            f"sentence vectors: {texts} texts in {seconds:.1f} s ({texts / seconds:.0f} texts/s, "
            f"load average {os.getloadavg()[0]:.1f})"
        )
    for name, rank in modes(cases, vectors, args.main).items():
        if rank is None:
            print(f"{name:38} (not installed: make semantic)")
            continue
        for split in SPLITS:
            r = evaluate(cases, rank, split)
            print(
                f"{name:38} {split:10} {r['top1']:6.3f} {r['top5']:6.3f} {r['top10']:6.3f} "
                f"{r['median_ms']:7.2f} {r['p95_ms']:7.2f}"
            )
    if args.tune:
        # the held-out paraphrase slice is left out of tuning altogether, even of the word
        # statistics (IDF) the tuned rankers fit on their goals
        kept = [k for k, g in enumerate(cases["goals"]) if g["split"] not in HELD_OUT]
        tuning = {**cases, "goals": [cases["goals"][k] for k in kept]}
        tuning_vectors = None if vectors is None else (vectors[0][kept], vectors[1])
        print(
            "tuning the practical factors' share and the gate on train + dev (test and the "
            "held-out slices left out):"
        )
        print("  best:", tune(tuning, tuning_vectors))
        print(
            "tuning BM25's k1 and the concepts' weight on train + dev (text: words, plain and "
            "padded):"
        )
        best_words = tune_words(tuning)
        print(f"  best (k1, concept weight): {best_words} (text.py: {BM25_K1}, {CONCEPT_WEIGHT})")
        print("tuning the hybrid's meaning share on train + dev:")
        best_share = tune_meaning(tuning, tuning_vectors)
        print(f"  best: {best_share} (hybrid.MEANING_SHARE is {MEANING_SHARE})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
