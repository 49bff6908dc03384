"""Independent checks used by the engine tests (they never reuse engine internals)."""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from mentorbridge.matching_engine import Instance, Result, Session, rounds

# The default weights and relevance gate before issue 12's relevance-first defaults. The
# regression instances of ties and alike mentors were found and are checked with these
# scores: their tie structure, not the defaults of the day, is what they reproduce.
EARLIER_WEIGHTS = {
    "goal_fit": 0.30, "text": 0.35, "seniority": 0.15, "timezone": 0.10, "language": 0.10,
    "department": 0.05, "location": 0.05, "availability": 0.05, "preference": 0.05,
}  # fmt: skip
EARLIER_GATE = 0.9


def with_earlier_scores(data: dict[str, Any]) -> dict[str, Any]:
    """The instance scored as before issue 12 (`EARLIER_WEIGHTS`, `EARLIER_GATE`), unless it
    names its own weights or gate."""
    data.setdefault("weights", dict(EARLIER_WEIGHTS))
    data["options"] = {"relevance_gate": EARLIER_GATE, **(data.get("options") or {})}
    return data


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


def best_by_flow(data: dict[str, Any], bonus: float = 0.0) -> tuple[float, int]:
    """(best total of score + bonus per match, focus areas matched) over every eligible pair,
    by a min-cost flow built here: demand -> (mentee, mentor) -> mentor -> sink."""
    from ortools.graph.python import min_cost_flow

    demands, mentors, scores = all_scores(data)
    capacity = {m["id"]: 0 if m.get("opt_out") else m["capacity"] for m in data["mentors"]}
    n_d, n_m = len(demands), len(mentors)
    sink = n_d + n_m
    pair_node: dict[tuple[str, int], int] = {}
    flow = min_cost_flow.SimpleMinCostFlow()
    units = 1_000_000
    for (d, j), s in scores.items():
        key = (demands[d][0], j)
        if key not in pair_node:
            pair_node[key] = sink + 1 + len(pair_node)
            flow.add_arc_with_capacity_and_unit_cost(pair_node[key], n_d + j, 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(d, pair_node[key], 1, -round((s + bonus) * units))
    for d in range(n_d):
        flow.add_arc_with_capacity_and_unit_cost(d, sink, 1, 0)
        flow.set_node_supply(d, 1)
    for j, mentor in enumerate(mentors):
        flow.add_arc_with_capacity_and_unit_cost(n_d + j, sink, capacity[mentor], 0)
    flow.set_node_supply(sink, -n_d)
    assert flow.solve() == flow.OPTIMAL
    matched = sum(
        flow.flow(a) for a in range(flow.num_arcs()) if flow.tail(a) < n_d and flow.head(a) != sink
    )
    return -flow.optimal_cost() / units, matched


def blocking_pairs(data: dict[str, Any], result: Result) -> list[tuple[str, str, str]]:
    """Independent stable-matching check over every eligible pair."""
    demands, mentors, scores = all_scores(data)
    mentee_rec = {m["id"]: m for m in data["mentees"]}
    mentor_rec = {m["id"]: m for m in data["mentors"]}
    held: dict[str, list[int]] = {}
    current: dict[int, str] = {}
    d_index = {d: k for k, d in enumerate(demands)}
    j_index = {m: k for k, m in enumerate(mentors)}
    for a in result.assignments:
        d = d_index[(a.mentee, a.focus_area)]
        current[d] = a.mentor
        held.setdefault(a.mentor, []).append(d)

    # the engine's focus-area position: mentees by id, each one's focus areas in input order;
    # a focus area's tied mentors come in id order rotated by (position x 2654435761) mod n
    engine_position = {
        (mentee["id"], area["id"]): k
        for k, (mentee, area) in enumerate(
            (m, a) for m in sorted(data["mentees"], key=lambda m: m["id"]) for a in m["focus_areas"]
        )
    }
    n_m = len(mentors)

    def turn(d: int, mentor: str) -> int:
        rotation = engine_position[demands[d]] * 2654435761 % n_m if n_m > 1 else 0
        return (j_index[mentor] - rotation) % n_m

    def mentee_order(d: int) -> list[str]:
        ranked = [
            m
            for m in mentee_rec[demands[d][0]].get("ranked_mentors", [])
            if (d, j_index[m]) in scores
        ]
        rest = sorted(
            (m for m in mentors if (d, j_index[m]) in scores and m not in ranked),
            key=lambda m: (-scores[(d, j_index[m])], turn(d, m)),
        )
        return ranked + rest

    def mentor_key(d: int, mentor: str) -> tuple:
        mentee = demands[d][0]
        rec = mentor_rec[mentor]
        prefer, avoid = rec.get("prefer_mentees", []), rec.get("avoid_mentees", [])
        tier = 0 if mentee in prefer else 2 if mentee in avoid else 1
        return (tier, -round(scores[(d, j_index[mentor])] * 1_000_000), d)

    found = []
    for d in range(len(demands)):
        for mentor in mentee_order(d):
            if current.get(d) == mentor:
                break
            cap = 0 if mentor_rec[mentor].get("opt_out") else mentor_rec[mentor]["capacity"]
            others = held.get(mentor, [])
            sibling = [o for o in others if demands[o][0] == demands[d][0]]
            if sibling:
                accepts = mentor_key(d, mentor) < mentor_key(sibling[0], mentor)
            elif len(others) < cap:
                accepts = True
            else:
                accepts = bool(others) and mentor_key(d, mentor) < max(
                    mentor_key(o, mentor) for o in others
                )
            if accepts:
                found.append((demands[d][0], demands[d][1], mentor))
    return found


def false_unmatched_reasons(data: dict[str, Any], result: Result) -> list[str]:
    """Every unmatched reason that the final solution and the scores contradict."""
    demands, mentors, scores = all_scores(data)
    capacity = {m["id"]: 0 if m.get("opt_out") else m["capacity"] for m in data["mentors"]}
    load: dict[str, int] = {}
    of_mentee: dict[str, set[str]] = {}
    for a in result.assignments:
        load[a.mentor] = load.get(a.mentor, 0) + 1
        of_mentee.setdefault(a.mentee, set()).add(a.mentor)
    d_index = {d: k for k, d in enumerate(demands)}
    objective = result.objective
    threshold = result.stats.get("fair_threshold", 0.0)
    problems = []
    for record in result.unmatched:
        d = d_index[(record["mentee"], record["focus_area"])]
        eligible = [m for j, m in enumerate(mentors) if (d, j) in scores and capacity[m] > 0]
        free = [m for m in eligible if load.get(m, 0) < capacity[m]]
        open_ = [m for m in free if m not in of_mentee.get(record["mentee"], set())]
        best = max((scores[(d, mentors.index(m))] for m in open_), default=None)
        reason = record["reason"]
        ok = {
            "no_eligible_mentor": not eligible,
            "all_eligible_mentors_full": bool(eligible) and not free,
            "only_free_mentors_already_mentor_this_mentee": bool(free) and not open_,
            "free_mentors_below_fairness_threshold": best is not None and best < threshold,
            "free_mentors_lead_other_groups": bool(open_) and result.program_kind == "group",
            # taking a free place never lowers a total unless the pair scores 0; under
            # coverage, fair and stable it is never right to leave one
            "not_chosen_by_objective": best is not None
            and ((objective == "total" and best == 0.0) or result.program_kind == "group"),
        }[reason]
        if record["details"].get("eligible_mentors") != len(eligible):
            ok = False
        if not ok:
            problems.append(f"{record}: eligible {eligible}, free {free}, open {open_}")
    return problems


def flows_by_or_tools(monkeypatch: Any) -> None:
    """The rounds solve every flow with OR-Tools (`flow.solve_min_cost`), not POT's simplex
    first: for tests that watch those solves or the class splits after them."""
    monkeypatch.setattr(rounds, "FLOWS_BY_SIMPLEX", False)
