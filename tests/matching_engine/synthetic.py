"""Random instances in the `mentorbridge-instance/1` shape, for tests and self-measurement."""

from __future__ import annotations

import random
from typing import Any

from mentorbridge.matching_engine.instance import FACTORS

SKILLS = [f"skill{k}" for k in range(150)] + ["python", "leadership", "system design", "sql"]
WORDS = [
    "lead",
    "team",
    "grow",
    "career",
    "python",
    "design",
    "systems",
    "data",
    "analytics",
    "product",
    "strategy",
    "cloud",
    "security",
    "frontend",
    "backend",
    "mobile",
    "testing",
    "people",
    "management",
    "hiring",
    "coaching",
    "finance",
    "marketing",
    "sales",
    "research",
    "machine",
    "learning",
    "architecture",
    "operations",
    "support",
    "writing",
    "public",
    "speaking",
    "negotiation",
    "planning",
    "roadmap",
    "quality",
    "performance",
    "reliability",
]
TIMEZONES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Africa/Lagos",
]
LANGUAGES = ["en", "de", "fr", "es", "pt", "hi", "ja", "zh"]
DEPARTMENTS = [f"Dept{k}" for k in range(12)]
LOCATIONS = [f"City{k}" for k in range(15)]


def make_instance(
    n_mentees: int,
    n_mentors: int,
    seed: int = 0,
    kind: str = "traditional",
    objective: str = "total",
    max_focus: int = 2,
    capacity: tuple[int, int] = (1, 3),
    overlap: float = 0.0,
    k: int = 40,
    rules: bool = True,
) -> dict[str, Any]:
    """A random instance; `overlap` is the share of mentors who are also mentees."""
    rng = random.Random(seed)
    n_people = n_mentees + n_mentors + max(5, (n_mentees + n_mentors) // 20)
    people = []
    for p in range(n_people):
        manager = None if p < 5 else f"P{rng.randrange(0, max(1, p // 3 + 1))}"
        skills = {s: rng.randint(1, 5) for s in rng.sample(SKILLS, rng.randint(2, 6))}
        people.append(
            {
                "id": f"P{p}",
                "level": rng.randint(1, 8),
                "department": rng.choice(DEPARTMENTS),
                "location": rng.choice(LOCATIONS),
                "timezone": rng.choice(TIMEZONES),
                "languages": rng.sample(LANGUAGES, rng.randint(1, 3)),
                "manager": manager,
                "skills": skills,
                "text": " ".join(rng.choices(WORDS, k=rng.randint(5, 25))),
                "hours_per_month": rng.choice([1, 2, 4, 6, 8]),
            }
        )
    ids = [p["id"] for p in people]
    mentor_ids = ids[n_people - n_mentors :]
    n_shared = int(overlap * min(n_mentees, n_mentors))
    mentee_ids = ids[: n_mentees - n_shared] + mentor_ids[:n_shared]
    mentees = []
    for m in mentee_ids:
        areas = [
            {
                "id": f"fa{a}",
                "skills": rng.sample(SKILLS, rng.randint(1, 3)),
                "text": " ".join(rng.choices(WORDS, k=rng.randint(3, 12))),
            }
            for a in range(rng.randint(1, max_focus))
        ]
        mentees.append(
            {
                "id": m,
                "focus_areas": areas,
                "department_preference": rng.choice(["same", "different", "any"]),
                "meeting": rng.choice(["virtual", "in_person", "either"]),
                "ranked_mentors": rng.sample(mentor_ids, min(len(mentor_ids), rng.randint(0, 2))),
                "opt_out_mentors": rng.sample(mentor_ids, min(len(mentor_ids), rng.randint(0, 1))),
            }
        )
    mentors = [
        {
            "id": m,
            "capacity": rng.randint(*capacity),
            "prefer_mentees": rng.sample(mentee_ids, min(len(mentee_ids), rng.randint(0, 1))),
            "avoid_mentees": [],
            "opt_out": rng.random() < 0.02,
        }
        for m in mentor_ids
    ]
    pairs = [(rng.choice(mentee_ids), rng.choice(mentor_ids)) for _ in range(n_mentees // 50 + 1)]
    instance_rules = {
        "forbidden": [{"mentee": a, "mentor": b} for a, b in pairs[::2]] if rules else [],
        "ended_early": [{"mentee": a, "mentor": b} for a, b in pairs[1::2]] if rules else [],
        "pinned": [],
    }
    return {
        "format": "mentorbridge-instance/1",
        "program_kind": kind,
        "objective": objective,
        "people": people,
        "mentees": mentees,
        "mentors": mentors,
        "rules": instance_rules,
        "options": {"shortlist_k": k},
    }


FACTOR_NAMES = FACTORS  # the engine's factors, in its order


def make_tie_instance(
    n_mentees: int,
    n_mentors: int,
    seed: int = 0,
    style: str = "profiles",
    objective: str = "total",
    profiles: int = 2,
    max_focus: int = 2,
    capacity: tuple[int, int] = (1, 2),
    k: int = 3,
    preferences: bool = False,
) -> dict[str, Any]:
    """An instance full of ties, made on purpose.

    `style`: `profiles` (mentors and mentees drawn from a few distinct profiles), `one_factor`
    (random people, only one factor weighted), `all_equal` (every eligible pair scores the
    same) or `star` (one strong mentor among alike ones). With `preferences`, mentees keep
    their ranked mentors and mentors their preferred mentees, and some mentors avoid one:
    alike mentors scored apart in a few rows (hubs, see `classes.mentor_hubs`).
    """
    rng = random.Random(seed)
    base = make_instance(
        n_mentees,
        n_mentors,
        seed=seed,
        objective=objective,
        max_focus=max_focus,
        capacity=capacity,
        k=k,
    )
    people = base["people"]
    mentor_ids = {m["id"] for m in base["mentors"]}
    pool = [dict(p) for p in rng.sample(people, min(profiles, len(people)))]
    if style != "one_factor" and not preferences:
        for m in base["mentees"]:
            m["ranked_mentors"] = []
        for m in base["mentors"]:
            m["prefer_mentees"] = []
    if preferences:
        mentee_ids = [m["id"] for m in base["mentees"]]
        for m in base["mentors"]:
            others = [i for i in mentee_ids if i not in m["prefer_mentees"]]
            if others and rng.random() < 0.3:
                m["avoid_mentees"] = [rng.choice(others)]
    if style in ("profiles", "star", "all_equal"):
        for p in people:
            if p["id"] in mentor_ids or style == "profiles":
                model = rng.choice(pool)
                for field in (
                    "level",
                    "department",
                    "location",
                    "timezone",
                    "languages",
                    "skills",
                    "text",
                    "hours_per_month",
                ):
                    p[field] = model[field]
        if style != "profiles":
            areas = [a for m in base["mentees"] for a in m["focus_areas"]]
            wanted = areas[0]["skills"] if areas else ["python"]
            for a in areas:
                a["skills"] = list(wanted)
                a["text"] = "grow"
    if style == "star" and base["mentors"]:
        star = next(p for p in people if p["id"] == base["mentors"][0]["id"])
        star["skills"] = {s: 5 for s in (base["mentees"][0]["focus_areas"][0]["skills"])}
        star["hours_per_month"] = 40
    if style == "one_factor":
        base["weights"] = {name: 0.0 for name in FACTOR_NAMES}
        base["weights"][rng.choice(FACTOR_NAMES)] = 1.0
    if style == "all_equal":
        base["weights"] = {name: 0.0 for name in FACTOR_NAMES}
        base["weights"]["availability"] = 1.0
        for p in people:
            p["hours_per_month"] = 2
    return base
