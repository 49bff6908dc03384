"""Generate a realistic, seeded matching instance for the engine (`mentorbridge-instance/1`).

    python bench/generate_instance.py --mentees 20000 --mentors 6000 --seed 1 -o /tmp/x.json

What makes it realistic rather than uniform noise:
- a company: a level pyramid (1-8), departments of skewed sizes, offices with their IANA
  timezone and local languages, a reporting tree (everyone's manager is more senior, same
  department, usually same office), plus people who are in no program;
- skills from the product catalogue (or the built-in one) with a Zipf-like popularity skew,
  area mix driven by department, skill levels that grow with seniority;
- mentors drawn from senior levels, mentees from junior ones, a few people both; mentor
  capacity 1-3 sized to about 1.2x the demand (number of focus areas) when the head count
  allows it;
- free-text bios and goals built from the skills; a few forbidden and ended-early pairs,
  ranked picks, opt-outs and preferences.

The same seed gives byte-identical output (for the same catalogue). Sampling is vectorised with
numpy; only the final per-person dicts are built in Python, so 100,000 x 30,000 takes seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import from the repository root instead of
    # bench/, where this file's folder would shadow packages (bench/matching.py vs `matching`).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    if os.environ.get("BENCH_CODE_SNAPSHOT"):  # a frozen copy of mentorbridge/ (see matching.py)
        sys.path.insert(0, os.environ["BENCH_CODE_SNAPSHOT"])

from bench.catalogue import Area, load_catalogue
from bench.company import (
    DEPARTMENTS,
    EXTRA_LANGUAGES,
    FIRST_NAMES,
    GOAL_AREA_KEYWORDS,
    GOAL_CLOSERS,
    GOAL_OPENERS,
    HOBBIES,
    LEVEL_SHARE,
    LEVEL_TITLES,
    MENTEE_LEVEL_WEIGHT,
    MENTOR_LEVEL_WEIGHT,
    OFFICES,
    REMOTE_TIMEZONES,
    SOFT_AREA_KEYWORDS,
)
from mentorbridge.matching_engine.instance import FACTORS

FORMAT = "mentorbridge-instance/1"


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate. Defaults follow a typical traditional (1:1) program."""

    mentees: int
    mentors: int
    seed: int = 1
    capacity_ratio: float = 1.2  # target sum(capacity) / number of focus areas
    max_capacity: int = 3
    overlap: float = 0.05  # share of mentors who are also mentees
    bystanders: float = 0.1  # people in no program, as a share of participants
    shortlist_k: int = 40


def _zipf_cdf(n: int, exponent: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return np.cumsum(weights) / weights.sum()


def _weighted_sample(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Pick k distinct indices with probability proportional to weights (Efraimidis-Spirakis)."""
    k = min(k, len(weights))
    keys = np.log(rng.random(len(weights))) / np.maximum(weights, 1e-12)
    return np.sort(np.argpartition(-keys, k - 1)[:k]) if k else np.empty(0, dtype=np.int64)


def _capacity_probabilities(mean: float, max_capacity: int) -> np.ndarray:
    """P(capacity = 1..max) tilted exponentially so that its mean is `mean` (clipped)."""
    values = np.arange(1, max_capacity + 1, dtype=float)
    mean = min(max(mean, 1.05), max_capacity - 0.05)
    low, high = -20.0, 20.0
    for _ in range(60):
        tilt = (low + high) / 2
        p = np.exp(tilt * values - tilt * values.max())
        p /= p.sum()
        low, high = (tilt, high) if p @ values < mean else (low, tilt)
    return p


def _department_area_weights(areas: list[Area], rng: np.random.Generator) -> np.ndarray:
    """Weights[d, a]: how likely a skill of department d is from area a."""
    weights = np.full((len(DEPARTMENTS), len(areas)), 0.15)
    for d, (_, _, keywords) in enumerate(DEPARTMENTS):
        matched = False
        for a, area in enumerate(areas):
            key = area.key.casefold()
            for rank, word in enumerate(keywords):
                if word in key:
                    weights[d, a] = max(weights[d, a], 6.0 / (rank + 1))
                    matched = True
            if any(word in key for word in SOFT_AREA_KEYWORDS):
                weights[d, a] = max(weights[d, a], 1.0)
        if not matched:  # unfamiliar catalogue: give each department three random home areas
            weights[d, rng.choice(len(areas), size=min(3, len(areas)), replace=False)] = 4.0
    return weights / weights.sum(axis=1, keepdims=True)


class _SkillDrawer:
    """Vectorised draws of catalogue skills: area by department mix, skill by Zipf rank."""

    def __init__(self, areas: list[Area], rng: np.random.Generator) -> None:
        self.rng = rng
        self.area_cdf = np.cumsum(_department_area_weights(areas, rng), axis=1)
        self.area_cdf[:, -1] = 1.0
        self.offsets = np.cumsum([0] + [len(a.skills) for a in areas])
        self.skill_cdfs = [_zipf_cdf(len(a.skills)) for a in areas]
        self.skill_ids = [s for a in areas for s in a.skills]
        self.soft_areas = self._areas_named(areas, SOFT_AREA_KEYWORDS)
        self.goal_areas = self._areas_named(areas, GOAL_AREA_KEYWORDS)

    @staticmethod
    def _areas_named(areas: list[Area], keywords: tuple[str, ...]) -> np.ndarray:
        found = [i for i, a in enumerate(areas) if any(w in a.key.casefold() for w in keywords)]
        return np.array(found or list(range(len(areas))))

    def draw(
        self, departments: np.ndarray, soft_share: float = 0.0, goals: bool = False
    ) -> np.ndarray:
        """One global skill index per entry of `departments` (department index per draw)."""
        n = len(departments)
        u = self.rng.random(n)
        area = np.empty(n, dtype=np.int64)
        for d in range(len(self.area_cdf)):
            mask = departments == d
            area[mask] = np.searchsorted(self.area_cdf[d], u[mask], side="right")
        area = np.minimum(area, len(self.skill_cdfs) - 1)
        soft = self.rng.random(n) < soft_share
        pool = self.goal_areas if goals else self.soft_areas
        area[soft] = pool[self.rng.integers(0, len(pool), soft.sum())]
        rank = np.empty(n, dtype=np.int64)
        v = self.rng.random(n)
        for a, cdf in enumerate(self.skill_cdfs):
            mask = area == a
            rank[mask] = np.minimum(np.searchsorted(cdf, v[mask]), len(cdf) - 1)
        return self.offsets[area] + rank


def _managers(
    rng: np.random.Generator, level: np.ndarray, dept: np.ndarray, office: np.ndarray
) -> np.ndarray:
    """Manager index per person (-1 for the root): more senior, same department, often same office.

    Seniority strictly increases up the chain, so the result is a tree rooted at the one person
    at the top level. Department heads report to the root.
    """
    n = len(level)
    root = int(np.flatnonzero(level == level.max())[0])
    manager = np.full(n, root, dtype=np.int64)
    manager[root] = -1
    for d in range(len(DEPARTMENTS)):
        members = np.flatnonzero(dept == d)
        for lvl in range(1, 8):
            reports = members[(level[members] == lvl) & (members != root)]
            if not len(reports):
                continue
            pool = members[(level[members] > lvl) & (level[members] <= lvl + 2)]
            if not len(pool):
                pool = members[level[members] > lvl]
            if not len(pool):
                continue
            pick = pool[rng.integers(0, len(pool), len(reports))]
            # Prefer a manager in the same office when the department has one there.
            same_office = pool[np.argsort(office[pool], kind="stable")]
            offices_sorted = office[same_office]
            lo = np.searchsorted(offices_sorted, office[reports], side="left")
            hi = np.searchsorted(offices_sorted, office[reports], side="right")
            local = (hi > lo) & (rng.random(len(reports)) < 0.8)
            choice = lo + (rng.random(len(reports)) * (hi - lo)).astype(np.int64)
            pick[local] = same_office[choice[local]]
            manager[reports] = pick
    return manager


def generate_instance(config: GeneratorConfig) -> dict[str, Any]:
    """Build an instance dict in the engine's `mentorbridge-instance/1` shape."""
    rng = np.random.default_rng(config.seed)
    areas, _ = load_catalogue()
    drawer = _SkillDrawer(areas, rng)
    n_overlap = round(config.mentors * config.overlap)
    participants = config.mentees + config.mentors - n_overlap
    n = max(participants + math.ceil(participants * config.bystanders), 2)

    # --- the company --------------------------------------------------------------------------
    level = rng.choice(8, size=n, p=LEVEL_SHARE / LEVEL_SHARE.sum()) + 1
    level[0] = 8  # one chief executive at the top of the tree
    dept_share = np.array([d[1] for d in DEPARTMENTS])
    dept = rng.choice(len(DEPARTMENTS), size=n, p=dept_share / dept_share.sum())
    office_share = np.array([o[3] for o in OFFICES])
    office = rng.choice(len(OFFICES), size=n, p=office_share / office_share.sum())
    manager = _managers(rng, level, dept, office)
    remote_tz = rng.integers(0, len(REMOTE_TIMEZONES), n)

    # --- who takes part -----------------------------------------------------------------------
    mentee_idx = _weighted_sample(rng, MENTEE_LEVEL_WEIGHT[level - 1], config.mentees)
    is_mentee = np.zeros(n, dtype=bool)
    is_mentee[mentee_idx] = True
    others = np.flatnonzero(~is_mentee)
    outside = others[
        _weighted_sample(rng, MENTOR_LEVEL_WEIGHT[level[others] - 1], config.mentors - n_overlap)
    ]
    senior_mentees = mentee_idx[level[mentee_idx] >= 3]
    n_overlap = min(n_overlap, len(senior_mentees))
    both = senior_mentees[
        _weighted_sample(rng, MENTOR_LEVEL_WEIGHT[level[senior_mentees] - 1], n_overlap)
    ]
    mentor_idx = np.sort(np.concatenate([outside, both]))

    # --- skills: 3..10 per person, more and deeper with seniority ------------------------------
    n_skills = 3 + rng.binomial(7, 0.3 + 0.04 * level)
    draws = n_skills + 3  # spare draws, so repeats still leave n_skills distinct skills
    owner = np.repeat(np.arange(n), draws)
    skill = drawer.draw(dept[owner], soft_share=0.25)
    depth = np.clip(np.rint(1 + level[owner] * 0.45 + rng.normal(0, 0.9, len(owner))), 1, 5)
    bounds = np.concatenate([[0], np.cumsum(draws)])

    # --- focus areas: 1-2 per mentee, 1-3 skills each -----------------------------------------
    n_focus = 1 + (rng.random(config.mentees) < 0.4)
    focus_owner = np.repeat(mentee_idx, n_focus)
    focus_size = 1 + rng.binomial(2, 0.35, len(focus_owner))
    focus_skill = drawer.draw(np.repeat(dept[focus_owner], focus_size), soft_share=0.35, goals=True)
    focus_bounds = np.concatenate([[0], np.cumsum(focus_size)])
    demand = len(focus_owner)

    # --- mentor capacity ----------------------------------------------------------------------
    mean_capacity = config.capacity_ratio * demand / max(config.mentors, 1)
    p_cap = _capacity_probabilities(mean_capacity, config.max_capacity)
    capacity = rng.choice(config.max_capacity, size=len(mentor_idx), p=p_cap) + 1

    ids = [f"E{i + 1}" for i in rng.permutation(n)]
    skill_ids = drawer.skill_ids

    # --- people -------------------------------------------------------------------------------
    hours = rng.choice([2, 4, 4, 6, 8], size=n)
    speaks_en = rng.random(n) < np.where(np.isin(office, [15, 11]), 0.8, 0.96)
    speaks_local = rng.random(n) < 0.85
    extra_lang = np.where(rng.random(n) < 0.12, rng.integers(0, len(EXTRA_LANGUAGES), n), -1)
    first_name = rng.integers(0, len(FIRST_NAMES), n)
    hobby = rng.integers(0, len(HOBBIES), n)
    people: list[dict[str, Any]] = []
    for i in range(n):
        location, tz, local_langs, _ = OFFICES[office[i]]
        languages = ["en"] if speaks_en[i] else []
        if speaks_local[i] or not languages:
            languages += [lang for lang in local_langs if lang not in languages]
        if extra_lang[i] >= 0 and EXTRA_LANGUAGES[extra_lang[i]] not in languages:
            languages.append(EXTRA_LANGUAGES[extra_lang[i]])
        if not languages:
            languages = ["en"]
        skills: dict[str, int] = {}
        for s, d in zip(
            skill[bounds[i] : bounds[i + 1]], depth[bounds[i] : bounds[i + 1]], strict=True
        ):
            if len(skills) == n_skills[i]:
                break
            skills.setdefault(skill_ids[s], int(d))
        top = sorted(skills, key=lambda k: -skills[k])
        dept_name = DEPARTMENTS[dept[i]][0]
        text = (
            f"Hi, I'm {FIRST_NAMES[first_name[i]]}, {LEVEL_TITLES[level[i] - 1]} in {dept_name}"
            f" ({location}). Day to day I work with {', '.join(top[:3])}"
            + (f"; lately I've been learning {top[-1]}." if len(top) > 3 else ".")
            + f" Outside work: {HOBBIES[hobby[i]]}."
        )
        people.append(
            {
                "id": ids[i],
                "level": int(level[i]),
                "department": dept_name,
                "location": location,
                "timezone": tz or REMOTE_TIMEZONES[remote_tz[i]],
                "languages": languages,
                "manager": ids[manager[i]] if manager[i] >= 0 else None,
                "skills": skills,
                "text": text,
                "hours_per_month": int(hours[i]),
            }
        )

    # --- mentees ------------------------------------------------------------------------------
    pref = rng.choice(3, size=config.mentees, p=[0.15, 0.25, 0.60])
    meeting = rng.choice(3, size=config.mentees, p=[0.55, 0.10, 0.35])
    opener = rng.integers(0, len(GOAL_OPENERS), len(focus_owner))
    closer = rng.integers(0, len(GOAL_CLOSERS), len(focus_owner))
    mentees: list[dict[str, Any]] = []
    f = 0
    for m, person in enumerate(mentee_idx):
        focus_areas = []
        for k in range(n_focus[m]):
            names = list(
                dict.fromkeys(
                    skill_ids[s] for s in focus_skill[focus_bounds[f] : focus_bounds[f + 1]]
                )
            )
            goal = GOAL_OPENERS[opener[f]].format(a=" and ".join(names))
            focus_areas.append(
                {"id": f"fa{k + 1}", "skills": names, "text": f"{goal}, {GOAL_CLOSERS[closer[f]]}"}
            )
            f += 1
        mentees.append(
            {
                "id": ids[person],
                "focus_areas": focus_areas,
                "department_preference": ("same", "different", "any")[pref[m]],
                "meeting": ("virtual", "in_person", "either")[meeting[m]],
                "ranked_mentors": [],
                "opt_out_mentors": [],
            }
        )

    mentors = [
        {
            "id": ids[p],
            "capacity": int(c),
            "prefer_mentees": [],
            "avoid_mentees": [],
            "opt_out": False,
        }
        for p, c in zip(mentor_idx, capacity, strict=True)
    ]

    # --- the odd cases: picks, opt-outs, preferences, forbidden and ended-early pairs ---------
    by_skill: dict[str, list[int]] = {}
    for j, p in enumerate(mentor_idx):
        for name in people[p]["skills"]:
            by_skill.setdefault(name, []).append(j)

    def plausible_mentor(m: int) -> int:
        """A mentor who has one of mentee m's focus skills (or any mentor)."""
        wanted = [s for fa in mentees[m]["focus_areas"] for s in fa["skills"] if s in by_skill]
        if wanted:
            pool = by_skill[wanted[int(rng.integers(0, len(wanted)))]]
            return pool[int(rng.integers(0, len(pool)))]
        return int(rng.integers(0, len(mentors)))

    def few(share: float, total: int) -> np.ndarray:
        k = min(total, max(1, round(share * total))) if total else 0
        return np.sort(rng.choice(total, size=k, replace=False)) if k else np.empty(0, np.int64)

    if not mentors or not mentees:
        pairs_forbidden: list[dict[str, str]] = []
        pairs_ended: list[dict[str, str]] = []
    else:
        for m in few(0.03, len(mentees)):
            picks = [plausible_mentor(m) for _ in range(int(rng.integers(1, 4)))]
            mentees[m]["ranked_mentors"] = list(dict.fromkeys(mentors[j]["id"] for j in picks))
        for m in few(0.005, len(mentees)):
            mentees[m]["opt_out_mentors"] = [mentors[plausible_mentor(m)]["id"]]
        for j in few(0.01, len(mentors)):
            mentors[j]["prefer_mentees"] = [mentees[int(rng.integers(0, len(mentees)))]["id"]]
        for j in few(0.005, len(mentors)):
            mentors[j]["avoid_mentees"] = [mentees[int(rng.integers(0, len(mentees)))]["id"]]
        for j in few(0.01, len(mentors)):
            mentors[j]["opt_out"] = True
        pairs_forbidden = [
            {"mentee": mentees[m]["id"], "mentor": mentors[plausible_mentor(m)]["id"]}
            for m in few(0.002, len(mentees))
        ]
        pairs_ended = [
            {"mentee": mentees[m]["id"], "mentor": mentors[plausible_mentor(m)]["id"]}
            for m in few(0.002, len(mentees))
        ]

    return {
        "format": FORMAT,
        "program_kind": "traditional",
        "objective": "total",
        "people": people,
        "mentees": mentees,
        "mentors": mentors,
        "rules": {"forbidden": pairs_forbidden, "ended_early": pairs_ended, "pinned": []},
        "options": {"shortlist_k": config.shortlist_k},
    }


TIE_STYLES = (
    "none",
    "profiles",
    "one_factor",
    "star",
    "alike",
    "all_equal",
    *(f"only_{factor}" for factor in FACTORS),
)
PROFILE_FIELDS = (
    "level",
    "department",
    "location",
    "timezone",
    "languages",
    "skills",
    "text",
    "hours_per_month",
)


def make_ties(instance: dict[str, Any], style: str, seed: int, profiles: int = 40) -> None:
    """Turn an instance into a tie-heavy one, as real cohorts are.

    - `profiles`: every mentor copies one of `profiles` mentor profiles (level, department,
      office, languages, skills, bio, hours), so alike mentors have identical score columns;
    - `one_factor`: only seniority is weighted (scores take a handful of values);
    - `star`: `profiles`, plus one strong mentor in each of a few profiles (every skill at 5,
      plenty of hours);
    - `alike`: `profiles`, then every mentor nudged a little (level by -1..1, each skill level
      by -1..1 with probability 0.3, hours per month redrawn), so mentors are alike but hardly
      any two are identical and no mentor classes form: the shape of a real cohort drawn from
      the senior end of one company (`bench/round_from_db.py`), where the certificate's first
      bound is far above the optimum;
    - `all_equal`: only `language` is weighted and everybody speaks `en`, so every eligible
      pair scores the same;
    - `only_<factor>`: that one factor weighted, the others 0 (`one_factor` is
      `only_seniority` with the others left out).
    Mentees stay as generated; picks, opt-outs and rules stay too.
    """
    if style == "none":
        return
    rng = np.random.default_rng(seed + 7919)
    people = {p["id"]: p for p in instance["people"]}
    mentor_people = [people[m["id"]] for m in instance["mentors"]]
    if style in ("profiles", "star", "alike") and mentor_people:
        n_models = min(profiles, len(mentor_people))
        chosen = rng.choice(len(mentor_people), size=n_models, replace=False)
        models = [{f: mentor_people[int(k)][f] for f in PROFILE_FIELDS} for k in chosen]
        for p in mentor_people:
            p.update(models[int(rng.integers(0, len(models)))])
        if style == "star":
            for k in rng.choice(len(mentor_people), size=min(5, len(mentor_people)), replace=False):
                star = mentor_people[int(k)]
                star["skills"] = {name: 5 for name in star["skills"]}
                star["hours_per_month"] = 40
        if style == "alike":
            for p in mentor_people:
                p["level"] = int(min(8, max(1, p["level"] + int(rng.integers(-1, 2)))))
                p["skills"] = {
                    name: int(min(5, max(1, level + int(rng.integers(-1, 2)))))
                    if rng.random() < 0.3
                    else level
                    for name, level in p["skills"].items()
                }
                p["hours_per_month"] = int(rng.choice([2, 3, 4, 6, 8]))
    if style == "one_factor":
        instance["weights"] = {"seniority": 1.0}
    if style == "all_equal":
        instance["weights"] = {factor: float(factor == "language") for factor in FACTORS}
        for p in instance["people"]:
            p["languages"] = ["en"]
    if style.startswith("only_"):
        instance["weights"] = {factor: float(style == f"only_{factor}") for factor in FACTORS}


def instance_summary(instance: dict[str, Any]) -> dict[str, Any]:
    """Head counts and supply/demand of an instance, for logs and benchmark tables."""
    demand = sum(len(m["focus_areas"]) for m in instance["mentees"])
    supply = sum(m["capacity"] for m in instance["mentors"] if not m["opt_out"])
    return {
        "people": len(instance["people"]),
        "mentees": len(instance["mentees"]),
        "mentors": len(instance["mentors"]),
        "focus_areas": demand,
        "capacity": supply,
        "supply_ratio": round(supply / demand, 3) if demand else None,
    }


def write_instance(instance: dict[str, Any], path: Path) -> None:
    """Write compact UTF-8 JSON (streamed by the encoder, not built as one string)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        json.dump(instance, out, ensure_ascii=False, separators=(",", ":"))


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one instance and write it to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, required=True)
    parser.add_argument("--mentors", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--capacity-ratio", type=float, default=1.2, help="target capacity / focus areas"
    )
    parser.add_argument("--max-capacity", type=int, default=3)
    parser.add_argument("--overlap", type=float, default=0.05, help="share of mentors also mentees")
    parser.add_argument("--shortlist-k", type=int, default=40)
    parser.add_argument(
        "--ties",
        choices=TIE_STYLES,
        default="none",
        help="make the instance tie-heavy: alike mentor profiles, one weighted factor, stars",
    )
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    config = GeneratorConfig(
        mentees=args.mentees,
        mentors=args.mentors,
        seed=args.seed,
        capacity_ratio=args.capacity_ratio,
        max_capacity=args.max_capacity,
        overlap=args.overlap,
        shortlist_k=args.shortlist_k,
    )
    started = time.perf_counter()
    instance = generate_instance(config)
    make_ties(instance, args.ties, args.seed)
    write_instance(instance, args.output)
    summary = instance_summary(instance)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    summary["catalogue"] = load_catalogue()[1]
    print(json.dumps(summary))
    if summary["supply_ratio"] is not None and summary["supply_ratio"] < args.capacity_ratio - 0.15:
        print(
            f"note: capacity covers only {summary['supply_ratio']:.2f}x the focus areas (asked "
            f"{args.capacity_ratio}x; {args.mentors} mentors at most {args.max_capacity} each)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
