"""Independent checks used by the engine tests (they never reuse engine internals)."""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from mentorbridge.matching_engine import Instance, Result, Session


def chain_of(data: dict[str, Any], person: str) -> list[str]:
    """Managers of a person up to the top."""
    manager = {p["id"]: p.get("manager") for p in data["people"]}
    out = []
    boss = manager.get(person)
    while boss is not None:
        out.append(boss)
        boss = manager.get(boss)
    return out


def broken_rules(data: dict[str, Any], result: Result) -> list[str]:
    """Every hard rule the result breaks, in words (empty when all hold)."""
    problems = []
    mentees = {m["id"]: m for m in data["mentees"]}
    mentors = {m["id"]: m for m in data["mentors"]}
    rules = data.get("rules") or {}
    removed = {
        (r["mentee"], r["mentor"])
        for name in ("forbidden", "ended_early")
        for r in rules.get(name, [])
    }
    pinned = {(r["mentee"], r["mentor"]) for r in rules.get("pinned", [])}
    load: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    areas: set[tuple[str, str]] = set()
    for a in result.assignments:
        load[a.mentor] = load.get(a.mentor, 0) + 1
        if a.mentee == a.mentor:
            problems.append(f"self {a}")
        if a.mentor in chain_of(data, a.mentee):
            problems.append(f"mentor in reporting chain {a}")
        if a.mentee in chain_of(data, a.mentor):
            problems.append(f"mentor reports to mentee {a}")
        if a.mentor in mentees[a.mentee].get("opt_out_mentors", []):
            problems.append(f"mentee opted out {a}")
        if mentors[a.mentor].get("opt_out"):
            problems.append(f"mentor opted out {a}")
        if (a.mentee, a.mentor) in removed and (a.mentee, a.mentor) not in pinned:
            problems.append(f"excluded pair {a}")
        if (a.mentee, a.mentor) in seen:
            problems.append(f"same mentor twice {a}")
        seen.add((a.mentee, a.mentor))
        if (a.mentee, a.focus_area) in areas:
            problems.append(f"two mentors for one focus area {a}")
        areas.add((a.mentee, a.focus_area))
    for mentor, n in load.items():
        if n > mentors[mentor]["capacity"]:
            problems.append(f"capacity exceeded for {mentor}: {n}")
    return problems


def all_scores(data: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str], dict]:
    """Every eligible pair score: (demands, mentors, {(demand index, mentor index): score})."""
    session = Session(Instance.from_dict(data))
    demands = sorted({(m["id"], a["id"]) for m in data["mentees"] for a in m["focus_areas"]})
    mentors = sorted(m["id"] for m in data["mentors"])
    d_index = {d: k for k, d in enumerate(demands)}
    j_index = {j: k for k, j in enumerate(mentors)}
    scores = {}
    for block in session.all_pair_scores():
        for mentee, area, mentor, score in block:
            scores[(d_index[(mentee, area)], j_index[mentor])] = score
    return demands, mentors, scores


def best_total_by_assignment(data: dict[str, Any]) -> float:
    """Optimum by scipy's linear_sum_assignment with mentor slots repeated (single focus area)."""
    demands, mentors, scores = all_scores(data)
    capacity = {m["id"]: 0 if m.get("opt_out") else m["capacity"] for m in data["mentors"]}
    slots = [j for j, mentor in enumerate(mentors) for _ in range(capacity[mentor])]
    if not slots or not demands:
        return 0.0
    matrix = np.zeros((len(demands), len(slots)))
    for (d, j), s in scores.items():
        for k, slot in enumerate(slots):
            if slot == j:
                matrix[d, k] = s
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


def best_total_by_milp(data: dict[str, Any]) -> float:
    """Optimum by an integer program (capacities, one mentor per focus area, never twice)."""
    demands, mentors, scores = all_scores(data)
    pairs = sorted(scores)
    if not pairs:
        return 0.0
    capacity = {m["id"]: 0 if m.get("opt_out") else m["capacity"] for m in data["mentors"]}
    n = len(pairs)
    rows: list[np.ndarray] = []
    upper: list[float] = []
    for d in range(len(demands)):
        rows.append(np.array([1.0 if p[0] == d else 0.0 for p in pairs]))
        upper.append(1)
    for j, mentor in enumerate(mentors):
        rows.append(np.array([1.0 if p[1] == j else 0.0 for p in pairs]))
        upper.append(capacity[mentor])
    mentee_of = [demands[p[0]][0] for p in pairs]
    for mentee, j in {(mentee_of[k], pairs[k][1]) for k in range(n)}:
        rows.append(
            np.array([1.0 if (mentee_of[k], pairs[k][1]) == (mentee, j) else 0.0 for k in range(n)])
        )
        upper.append(1)
    c = -np.array([scores[p] for p in pairs])
    res = milp(
        c,
        constraints=LinearConstraint(np.array(rows), -np.inf, np.array(upper)),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    return float(-res.fun)


def brute_force_fair(data: dict[str, Any]) -> tuple[int, float]:
    """(most focus areas matched, best possible worst score among them) by enumeration."""
    demands, mentors, scores = all_scores(data)
    capacity = [
        0 if m.get("opt_out") else m["capacity"]
        for m in sorted(data["mentors"], key=lambda m: m["id"])
    ]
    options = [
        [-1] + [j for j in range(len(mentors)) if (d, j) in scores] for d in range(len(demands))
    ]
    best = (0, 0.0)
    for choice in product(*options):
        load = [0] * len(mentors)
        used = set()
        ok = True
        for d, j in enumerate(choice):
            if j < 0:
                continue
            load[j] += 1
            key = (demands[d][0], j)
            if load[j] > capacity[j] or key in used:
                ok = False
                break
            used.add(key)
        if not ok:
            continue
        matched = [scores[(d, j)] for d, j in enumerate(choice) if j >= 0]
        value = (len(matched), round(min(matched), 6) if matched else 0.0)
        best = max(best, value)
    return best
