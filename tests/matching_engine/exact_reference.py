"""An exact all-pairs reference for the engine, vectorised so it reaches a few thousand rows.

Only the score kernel is shared with the engine (`scored_rows`, integer units of 10^-6): the
hard rules are re-derived here from the instance dictionary, and the optimum comes from
OR-Tools' min-cost flow over every eligible pair, built here (demand -> (mentee, mentor) ->
mentor -> sink). The checks follow the guarantees in docs/matching_engine.md (Objectives):
`total` and `coverage` are exact, `fair` matches as many as possible and its total is the best
for its own threshold, `stable` has no blocking pair over all eligible pairs, and every
"why not matched" reason is true of the final solution and the scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine import Instance, Result, Session
from mentorbridge.matching_engine.shortlist import SCALE, block_ranges, scored_rows

I64 = NDArray[np.int64]


@dataclass
class Reference:
    """Every pair's score (units, -1 where a hard rule removes it) in the instance's order."""

    demands: list[tuple[str, str]]  # (mentee, focus area), input order
    mentors: list[str]  # input order
    scores: I64  # demands x mentors
    capacity: I64  # 0 for opted-out mentors
    demand_mentee: I64  # demand -> mentee position
    pinned: dict[int, int]  # demand -> mentor
    rule_mismatches: int  # pairs where these hard rules and the kernel's -1 disagree

    @property
    def eligible(self) -> NDArray[np.bool_]:
        return self.scores >= 0


def _chains(data: dict[str, Any]) -> dict[str, set[str]]:
    manager = {p["id"]: p.get("manager") for p in data["people"]}
    out: dict[str, set[str]] = {}
    for person in manager:
        seen: set[str] = set()
        boss = manager.get(person)
        while boss is not None and boss not in seen:
            seen.add(boss)
            boss = manager.get(boss)
        out[person] = seen
    return out


def eligible_by_rules(data: dict[str, Any]) -> tuple[NDArray[np.bool_], dict[int, int]]:
    """The hard rules, from the docs' list, over demands x mentors (input order)."""
    mentees = data["mentees"]
    mentors = data["mentors"]
    chains = _chains(data)
    rules = data.get("rules") or {}
    pins = {(r["mentee"], r["mentor"]): r.get("focus_area") for r in rules.get("pinned", [])}
    forbidden = {(r["mentee"], r["mentor"]) for r in rules.get("forbidden", [])}
    ended = {(r["mentee"], r["mentor"]) for r in rules.get("ended_early", [])}
    j_of = {m["id"]: j for j, m in enumerate(mentors)}
    rows: list[NDArray[np.bool_]] = []
    pinned: dict[int, int] = {}
    for mentee in mentees:
        e = mentee["id"]
        ok = np.array(
            [
                not m.get("opt_out")
                and m["capacity"] > 0
                and m["id"] != e
                and m["id"] not in chains.get(e, set())
                and e not in chains.get(m["id"], set())
                and m["id"] not in mentee.get("opt_out_mentors", [])
                and (e, m["id"]) not in ended
                and ((e, m["id"]) not in forbidden or (e, m["id"]) in pins)
                for m in mentors
            ],
            dtype=bool,
        )
        areas = [a["id"] for a in mentee["focus_areas"]]
        mine = [(m, area) for (who, m), area in pins.items() if who == e]
        for area in areas:
            row = ok.copy()
            for m, pinned_area in mine:
                if (pinned_area or areas[0]) == area:
                    pinned[len(rows)] = j_of[m]
                else:  # a pinned mentor is removed from the mentee's other focus areas
                    row[j_of[m]] = False
            rows.append(row)
    if not rows:
        return np.zeros((0, len(mentors)), bool), pinned
    return np.vstack(rows), pinned


def reference(data: dict[str, Any]) -> Reference:
    """Score every pair with the engine's kernel; keep the pairs the hard rules allow."""
    session = Session(Instance.from_dict(data))
    model = session.model
    demands = [(m["id"], a["id"]) for m in data["mentees"] for a in m["focus_areas"]]
    mentors = [m["id"] for m in data["mentors"]]
    d_pos = {label: k for k, label in enumerate(demands)}
    j_pos = {m: k for k, m in enumerate(mentors)}
    d_map = np.array([d_pos[model.demand_label(d)] for d in range(model.n_demands)], np.int64)
    j_map = np.array([j_pos[m] for m in model.mentor_ids], np.int64)
    scores = np.full((len(demands), len(mentors)), -1, np.int64)
    for lo, hi in block_ranges(model.n_demands, model.n_mentors):
        block = scored_rows(session.features, np.arange(lo, hi, dtype=np.int64))
        scores[np.ix_(d_map[lo:hi], j_map)] = block
    allowed, pinned = eligible_by_rules(data)
    for d, j in pinned.items():  # a pin's score is kept even where a forbid removed it
        if scores[d, j] < 0:
            scores[d, j] = int(session.pinned_scores.get(int(np.flatnonzero(d_map == d)[0]), 0))
    mismatches = int(((scores >= 0) != allowed).sum())
    scores[~allowed] = -1
    capacity = np.array(
        [0 if m.get("opt_out") else m["capacity"] for m in data["mentors"]], np.int64
    )
    owner = {m["id"]: k for k, m in enumerate(data["mentees"])}
    demand_mentee = np.array([owner[e] for e, _ in demands], np.int64)
    return Reference(demands, mentors, scores, capacity, demand_mentee, pinned, mismatches)


def best_flow(ref: Reference, bonus: int = 0, floor: int = -1) -> tuple[int, int]:
    """(best sum of score + bonus per match in units, matches) over every eligible pair with
    score >= floor; pins are forced. Exact: integer min-cost flow."""
    from ortools.graph.python import min_cost_flow

    usable = ref.eligible & (ref.scores >= floor)
    force = 0
    if ref.pinned:
        force = int(ref.scores.max(initial=0) + bonus + 1) * (len(ref.pinned) + 1) * 4
        for d, j in ref.pinned.items():
            usable[d, :] = False
            usable[d, j] = True
    d_idx, j_idx = np.nonzero(usable)
    n_d, n_m = usable.shape
    mentee = ref.demand_mentee[d_idx]
    # an intermediate (mentee, mentor) node only where two focus areas of a mentee share a mentor
    key = mentee * max(n_m, 1) + j_idx
    uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    shared = counts[inverse] > 1
    mentor_node = n_d + j_idx
    sink = n_d + n_m
    first_pair = sink + 1
    pair_node = first_pair + inverse
    gain = ref.scores[d_idx, j_idx] + bonus
    if ref.pinned:
        pin_mask = np.zeros_like(usable)
        for d, j in ref.pinned.items():
            pin_mask[d, j] = True
        gain = gain + np.where(pin_mask[d_idx, j_idx], force, 0)
    tails = np.concatenate([d_idx, np.arange(n_d), first_pair + np.unique(inverse[shared])])
    used_pairs = np.unique(inverse[shared])
    heads = np.concatenate(
        [
            np.where(shared, pair_node, mentor_node),
            np.full(n_d, sink),
            n_d + (uniq[used_pairs] % max(n_m, 1)),
        ]
    )
    caps = np.concatenate([np.ones(len(d_idx)), np.ones(n_d), np.ones(len(used_pairs))])
    costs = np.concatenate([-gain, np.zeros(n_d), np.zeros(len(used_pairs))])
    tails = np.concatenate([tails, n_d + np.arange(n_m)])
    heads = np.concatenate([heads, np.full(n_m, sink)])
    caps = np.concatenate([caps, ref.capacity])
    costs = np.concatenate([costs, np.zeros(n_m)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    flow.set_nodes_supplies(
        np.arange(n_d + 1, dtype=np.int32) + np.r_[np.zeros(n_d, np.int32), np.int32(n_m)],
        np.r_[np.ones(n_d, np.int64), np.int64(-n_d)],
    )
    status = flow.solve()
    assert status == flow.OPTIMAL, status
    matched = int(flow.flows(np.arange(len(d_idx), dtype=np.int32)).sum())
    return -int(flow.optimal_cost()) - force * len(ref.pinned), matched


def assignment_of(ref: Reference, result: Result) -> I64:
    """Demand -> mentor position (-1 unmatched), from the result."""
    d_pos = {label: k for k, label in enumerate(ref.demands)}
    j_pos = {m: k for k, m in enumerate(ref.mentors)}
    out = np.full(len(ref.demands), -1, np.int64)
    for a in result.assignments:
        out[d_pos[(a.mentee, a.focus_area)]] = j_pos[a.mentor]
    return out


def rule_breaks(ref: Reference, result: Result) -> list[str]:
    """Hard rules the result breaks: ineligible pair, capacity, a mentor twice for a mentee,
    a pin not kept, a score that is not the kernel's."""
    problems = []
    assigned = assignment_of(ref, result)
    rows = np.flatnonzero(assigned >= 0)
    cols = assigned[rows]
    bad = rows[ref.scores[rows, cols] < 0]
    problems += [f"ineligible pair {ref.demands[d]} {ref.mentors[assigned[d]]}" for d in bad]
    load = np.bincount(cols, minlength=len(ref.mentors))
    problems += [f"capacity {ref.mentors[j]}" for j in np.flatnonzero(load > ref.capacity)]
    twice = np.unique(ref.demand_mentee[rows] * len(ref.mentors) + cols, return_counts=True)[1]
    if (twice > 1).any():
        problems.append(f"{int((twice > 1).sum())} mentees with one mentor twice")
    problems += [f"pin lost {ref.demands[d]}" for d, j in ref.pinned.items() if assigned[d] != j]
    d_pos = {label: k for k, label in enumerate(ref.demands)}
    for a in result.assignments:
        d = d_pos[(a.mentee, a.focus_area)]
        if round(a.score * SCALE) != ref.scores[d, assigned[d]]:
            problems.append(f"score {a} is not {ref.scores[d, assigned[d]]}")
    return problems


def total_units(ref: Reference, result: Result) -> int:
    assigned = assignment_of(ref, result)
    rows = np.flatnonzero(assigned >= 0)
    return int(ref.scores[rows, assigned[rows]].sum())


def best_fair(ref: Reference) -> tuple[int, int]:
    """(most matches, highest threshold that still matches that many), by bisection over the
    distinct scores with max flows."""
    _, most = best_flow(ref, bonus=SCALE * 10)
    values = np.unique(ref.scores[ref.eligible])
    lo, hi = 0, len(values) - 1
    if most == 0 or len(values) == 0:
        return most, 0
    while lo < hi:  # highest index whose floor keeps `most` matches
        mid = (lo + hi + 1) // 2
        if best_flow(ref, bonus=SCALE * 10, floor=int(values[mid]))[1] == most:
            lo = mid
        else:
            hi = mid - 1
    return most, int(values[lo])


def blocking_pairs(ref: Reference, data: dict[str, Any], result: Result) -> tuple[int, int]:
    """(blocking pairs under the docs' full order, blocking pairs under strict preferences
    alone) over every eligible pair. Ties among mentors: id order rotated per focus area (see
    below); among focus areas: mentees
    by id, then each mentee's focus areas in input order (the engine's demand order). Pins
    stay: a pinned focus area blocks with nobody, and no mentor can drop a pinned one. The strict count ignores every tie-break: a focus area
    must score the mentor higher (or rank it earlier), the mentor must rank it higher by tier
    and score or have a free place."""
    assigned = assignment_of(ref, result)
    n_d, n_m = ref.scores.shape
    if n_d == 0 or n_m == 0:
        return 0, 0
    s = ref.scores
    elig = ref.eligible
    j_of = {m: k for k, m in enumerate(ref.mentors)}
    mentee_recs = data["mentees"]
    # focus area's order: ranked mentors first, then score, then the mentors in id order
    # rotated by the focus area's offset: (position x 2654435761) mod the number of mentors
    mentee_ids = [m["id"] for m in mentee_recs]
    position = np.argsort(
        np.argsort(np.array(mentee_ids, dtype=object)[ref.demand_mentee], kind="stable")
    )
    id_rank = np.argsort(np.argsort(np.array(ref.mentors, dtype=object)))
    rotation = (position.astype(np.int64) * 2654435761) % n_m if n_m > 1 else 0 * position
    turn = (id_rank[None, :] - rotation[:, None]) % n_m
    big = (SCALE * 4 + 2) * (n_m + 1)
    fa_key = (SCALE * 4 - s) * (n_m + 1) + turn
    fa_strict = SCALE * 4 - s
    for d in range(n_d):
        for pos, m in enumerate(mentee_recs[ref.demand_mentee[d]].get("ranked_mentors", [])):
            if m in j_of:
                fa_key[d, j_of[m]] = -big + pos
                fa_strict[d, j_of[m]] = -big + pos
    rows = np.arange(n_d)
    has = assigned >= 0
    cur_key = np.where(has, fa_key[rows, np.maximum(assigned, 0)], np.iinfo(np.int64).max)
    cur_strict = np.where(has, fa_strict[rows, np.maximum(assigned, 0)], np.iinfo(np.int64).max)
    wants = elig & (fa_key < cur_key[:, None])
    wants_strict = elig & (fa_strict < cur_strict[:, None])
    # mentor's order: prefer tier, neutral, avoid tier; then score; then focus-area position
    tier = np.ones((n_d, n_m), np.int64)
    e_pos = {e: k for k, e in enumerate(mentee_ids)}
    for j, rec in enumerate(data["mentors"]):
        for e in rec.get("avoid_mentees", []):
            tier[ref.demand_mentee == e_pos.get(e, -1), j] = 2
        for e in rec.get("prefer_mentees", []):
            tier[ref.demand_mentee == e_pos.get(e, -1), j] = 0
    m_strict = tier * (SCALE * 4) + (SCALE * 2 - s)
    m_key = m_strict * (n_d + 1) + position[:, None]
    counts = {"full": 0, "strict": 0}
    load = np.bincount(assigned[has], minlength=n_m)
    for name, want, key in (("full", wants, m_key), ("strict", wants_strict, m_strict)):
        worst = np.full(n_m, -1, np.int64)  # pinned focus areas cannot be displaced
        held = np.flatnonzero(has)
        movable = np.array([d for d in held.tolist() if d not in ref.pinned], np.int64)
        np.maximum.at(worst, assigned[movable], key[movable, assigned[movable]])
        free = load < ref.capacity
        sibling = np.full((n_d, n_m), -1, np.int64)  # key of a sibling focus area held by j
        for h in held.tolist():
            same = np.flatnonzero(ref.demand_mentee == ref.demand_mentee[h])
            sibling[same, assigned[h]] = 0 if h in ref.pinned else key[h, assigned[h]]
        sibling[held, assigned[held]] = -1
        accepts = np.where(sibling >= 0, key < sibling, free[None, :] | (key < worst[None, :]))
        want = want.copy()
        want[list(ref.pinned)] = False  # a pinned focus area proposes to nobody
        counts[name] = int((want & accepts).sum())
    return counts["full"], counts["strict"]


def false_reasons(ref: Reference, result: Result) -> list[str]:
    """Unmatched reasons that the final solution and the scores contradict."""
    assigned = assignment_of(ref, result)
    has = assigned >= 0
    load = np.bincount(assigned[has], minlength=len(ref.mentors))
    free = load < ref.capacity
    d_pos = {label: k for k, label in enumerate(ref.demands)}
    unmatched = set(np.flatnonzero(~has).tolist())
    threshold = round(result.stats.get("fair_threshold", 0.0) * SCALE)
    problems = []
    for record in result.unmatched:
        d = d_pos[(record["mentee"], record["focus_area"])]
        unmatched.discard(d)
        elig = ref.eligible[d]
        same = np.flatnonzero((ref.demand_mentee == ref.demand_mentee[d]) & has)
        taken = np.zeros(len(ref.mentors), bool)
        taken[assigned[same]] = True
        free_elig = elig & free
        open_ = free_elig & ~taken
        best = int(ref.scores[d, open_].max()) if open_.any() else None
        reason = record["reason"]
        if reason == "no_eligible_mentor":
            ok = not elig.any()
        elif reason == "all_eligible_mentors_full":
            ok = bool(elig.any()) and not free_elig.any()
        elif reason == "only_free_mentors_already_mentor_this_mentee":
            ok = bool(free_elig.any()) and not open_.any()
        elif reason == "free_mentors_below_fairness_threshold":
            ok = best is not None and best < threshold and result.objective == "fair"
        elif reason == "free_mentors_lead_other_groups":
            ok = best is not None and result.program_kind == "group"
        elif reason == "not_chosen_by_objective":
            # a free place never lowers `total` unless the pair scores 0; `coverage`, `fair`
            # (above its threshold) and `stable` never leave one
            ok = best is not None and (
                (result.objective == "total" and best == 0) or result.program_kind == "group"
            )
        else:
            ok = False
        if record["details"].get("eligible_mentors") != int(elig.sum()):
            ok = False
            reason += f" (eligible {record['details'].get('eligible_mentors')} != {elig.sum()})"
        if "best_free_score" in record["details"] and best is not None:
            ok = ok and round(record["details"]["best_free_score"] * SCALE) == best
        if not ok:
            problems.append(f"{ref.demands[d]} {reason}: best open {best}")
    problems += [f"{ref.demands[d]} unmatched without a reason" for d in sorted(unmatched)]
    return problems
