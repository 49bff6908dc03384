"""Explanations in words and numbers: factor breakdowns, unmatched reasons, "why not mentor X"."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.instance import FACTORS
from mentorbridge.matching_engine.model import RULE_MENTOR_OPT_OUT, RULE_NO_CAPACITY, RULE_TEXT
from mentorbridge.matching_engine.shortlist import (
    EMPTY,
    SCALE,
    ColumnView,
    block_ranges,
    scored_rows,
)

I64 = NDArray[np.int64]
REASON_NO_ELIGIBLE = "no_eligible_mentor"
REASON_ALL_FULL = "all_eligible_mentors_full"
REASON_SAME_MENTOR = "only_free_mentors_already_mentor_this_mentee"
REASON_BELOW_THRESHOLD = "free_mentors_below_fairness_threshold"
REASON_GROUP_LABEL = "free_mentors_lead_other_groups"
REASON_NOT_CHOSEN = "not_chosen_by_objective"
REASON_TEXT = {
    REASON_NO_ELIGIBLE: "no eligible mentor: every mentor is removed by a hard rule",
    REASON_ALL_FULL: "all {n} eligible mentors are at capacity",
    REASON_SAME_MENTOR: "the eligible mentors with free places already mentor this mentee",
    REASON_BELOW_THRESHOLD: "the eligible mentors with free places score below the fairness "
    "threshold {threshold:.4f}",
    REASON_GROUP_LABEL: "the eligible mentors with free places lead groups for other focus areas",
    REASON_NOT_CHOSEN: "{n} eligible mentors have free places, but matching one would not raise "
    "the objective (the best of them scores {best:.4f})",
}


def _level(v: float) -> str:
    return f"{v:g}"


def factor_text(
    features: Features, d: int, j: int, name: str, value: float, terms: list[str] | None = None
) -> str:
    """One factor of one pair in words (`terms`: the pair's shared text terms, if known)."""
    model = features.model
    mentee = features.mentee_people[d]
    mentor = features.mentor_people[j]
    area = model.demand_areas[d]
    if name == "goal_fit":
        if not area.skills:
            return "the focus area names no skills"
        have = [f"{s} ({mentor.skills[s]}/5)" for s in area.skills if mentor.skills.get(s)]
        lack = [s for s in area.skills if not mentor.skills.get(s)]
        text = "offers " + ", ".join(have) if have else "offers none of the wanted skills"
        return text + ("; lacks " + ", ".join(lack) if lack and have else "")
    if name == "text":
        if terms is None:
            terms = features.text.shared_terms(d, j)
        if terms:
            return "goal and mentor profile share: " + ", ".join(terms)
        return f"text similarity {value:.2f}"
    if name == "seniority":
        diff = mentor.level - mentee.level
        where = f"{abs(diff)} above" if diff > 0 else f"{abs(diff)} below" if diff else "same level"
        return f"mentor level {_level(mentor.level)}, mentee level {_level(mentee.level)} ({where})"
    if name == "timezone":
        return (
            f"{value * 8:.1f} h of shared 9-17 working hours "
            f"({mentee.timezone} / {mentor.timezone})"
        )
    if name == "language":
        shared = sorted(set(mentee.languages) & set(mentor.languages))
        return "both speak " + ", ".join(shared) if shared else "no shared language"
    if name == "department":
        pref = model.mentees[int(model.demand_mentee[d])].department_preference
        same = mentee.department == mentor.department
        kind = f"same department ({mentor.department})" if same else "different departments"
        return f"{kind}; mentee prefers {pref}"
    if name == "location":
        meeting = model.mentees[int(model.demand_mentee[d])].meeting
        same = mentee.location == mentor.location
        where = f"both in {mentor.location}" if same else f"{mentee.location} / {mentor.location}"
        return f"{where}; meeting {meeting.replace('_', ' ')}"
    if name == "availability":
        return f"mentor offers {mentor.hours_per_month:g} h per month"
    mentee_rec = model.mentees[int(model.demand_mentee[d])]
    parts = []
    mentor_id = model.mentor_ids[j]
    if mentor_id in mentee_rec.ranked_mentors:
        parts.append(f"mentee ranked this mentor #{mentee_rec.ranked_mentors.index(mentor_id) + 1}")
    mentor_rec = model.mentors[j]
    if mentee_rec.id in mentor_rec.prefer_mentees:
        parts.append("mentor prefers this mentee")
    if mentee_rec.id in mentor_rec.avoid_mentees:
        parts.append("mentor would rather not take this mentee")
    return "; ".join(parts) if parts else "no stated preference"


def _factor_words(
    features: Features, rows: I64, cols: I64, values: dict[str, Any]
) -> dict[str, list[str]]:
    """Every factor's words for every pair; a text shared by many pairs is built once."""
    model = features.model
    pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
    mentee, mentor = features.mentee_people, features.mentor_people
    areas = model.demand_areas
    records = [model.mentees[i] for i in model.demand_mentee[rows].tolist()]
    zone = values["timezone"].tolist()
    # what each factor's words depend on
    keys: dict[str, list[Any]] = {
        "goal_fit": [(tuple(areas[d].skills), j) for d, j in pairs],
        "seniority": [(mentor[j].level, mentee[d].level) for d, j in pairs],
        "timezone": [
            (v, mentee[d].timezone, mentor[j].timezone)
            for (d, j), v in zip(pairs, zone, strict=True)
        ],
        "language": [(tuple(mentee[d].languages), tuple(mentor[j].languages)) for d, j in pairs],
        "department": [
            (r.department_preference, mentee[d].department, mentor[j].department)
            for r, (d, j) in zip(records, pairs, strict=True)
        ],
        "location": [
            (r.meeting, mentee[d].location, mentor[j].location)
            for r, (d, j) in zip(records, pairs, strict=True)
        ],
        "availability": [mentor[j].hours_per_month for _, j in pairs],
    }
    words: dict[str, list[str]] = {}
    for name, named in keys.items():
        example = dict(zip(named, range(len(named)), strict=True))
        raw = values[name]
        text = {
            key: factor_text(features, pairs[k][0], pairs[k][1], name, float(raw[k]))
            for key, k in example.items()
        }
        words[name] = [text[key] for key in named]
    terms = features.text.shared_terms_many(rows, cols)
    similarity = values["text"].tolist()
    words["text"] = [
        factor_text(features, d, j, "text", v, t)
        for (d, j), v, t in zip(pairs, similarity, terms, strict=True)
    ]
    words["preference"] = [factor_text(features, d, j, "preference", 0.0) for d, j in pairs]
    return words


def breakdown(features: Features, rows: I64, cols: I64) -> list[list[dict]]:
    """Factor contributions of pairs: value, weight, contribution and text (a practical
    factor's contribution is value x weight x the pair's practical share, see
    `Features.contributions`; contributions add up to the score)."""
    values = features.factor_pairs(rows, cols)
    texts = _factor_words(features, rows, cols, values)
    parts = features.contributions(rows, values)
    columns = []
    for name in FACTORS:
        raw = values[name].astype(np.float64)
        weight = features.w[name]
        shown = np.round(raw, 4).tolist()
        part = np.round(parts[name].astype(np.float64), 4).tolist()
        columns.append((name, shown, round(weight, 4), part, texts[name]))
    return [
        [
            {
                "factor": name,
                "value": shown[k],
                "weight": weight,
                "contribution": part[k],
                "text": said[k],
            }
            for name, shown, weight, part, said in columns
        ]
        for k in range(len(rows))
    ]


def rule_counts(features: Features, d: int) -> dict[str, int]:
    """How many mentors each hard rule removes for a demand."""
    model = features.model
    a, b = np.searchsorted(model.pair_rows, [d, d + 1])
    counts = Counter(model.pair_rule[a:b])
    if model.mentor_opt_out.any():
        counts[RULE_MENTOR_OPT_OUT] = int(model.mentor_opt_out.sum())
    closed = (model.capacity <= 0) & ~model.mentor_opt_out
    if closed.any():
        counts[RULE_NO_CAPACITY] = int(closed.sum())
    return dict(sorted(counts.items()))


def unmatched_reasons(
    features: Features,
    demands: I64,
    assigned: I64,
    free: I64,
    threshold: int,
    group_labels: tuple[I64, I64] | None,
) -> list[dict]:
    """Why each unmatched demand got no mentor (exact: every mentor is considered).

    Eligibility follows from the hard rules alone, so only demands that still have eligible
    mentors with free places need their scores computed.
    """
    model = features.model
    closed = model.mentor_opt_out | (model.capacity <= 0)
    n_open = int((~closed).sum())
    free_cols = np.flatnonzero((free > 0) & ~closed)
    mentee_mentors: dict[int, set[int]] = {}
    for d in np.flatnonzero(assigned >= 0).tolist():
        mentee_mentors.setdefault(int(model.demand_mentee[d]), set()).add(int(assigned[d]))
    out: list[dict] = []
    needs_scores: list[tuple[int, I64, dict[str, Any]]] = []
    # distinct removed (demand, open mentor) pairs, counted per demand
    width = max(model.n_mentors, 1)
    keys = arrays.unique(model.pair_rows * width + model.pair_cols)
    keys = keys[~closed[keys % width]]
    removed_count = np.bincount(keys // width, minlength=model.n_demands)
    is_free = np.zeros(model.n_mentors, bool)
    is_free[free_cols] = True
    removed_free = np.bincount(keys[is_free[keys % width]] // width, minlength=model.n_demands)
    for d in demands.tolist():
        n_eligible = n_open - int(removed_count[d])
        mentee_id, area_id = model.demand_label(d)
        record: dict[str, Any] = {"mentee": mentee_id, "focus_area": area_id}
        if len(free_cols) > removed_free[d]:
            a, b = np.searchsorted(model.pair_rows, [d, d + 1])
            open_cols = np.setdiff1d(free_cols, model.pair_cols[a:b])
        else:
            open_cols = free_cols[:0]
        details: dict[str, Any] = {"eligible_mentors": n_eligible}
        if n_eligible == 0:
            reason = REASON_NO_ELIGIBLE
            details["removed_by_rule"] = rule_counts(features, d)
        elif len(open_cols) == 0:
            reason = REASON_ALL_FULL
        else:
            details["with_free_places"] = len(open_cols)
            taken = mentee_mentors.get(int(model.demand_mentee[d]), set())
            not_taken = np.array([j for j in open_cols.tolist() if j not in taken], np.int64)
            if len(not_taken) == 0:
                reason = REASON_SAME_MENTOR
            else:
                reason = REASON_NOT_CHOSEN
                needs_scores.append((d, not_taken, record))
        record["reason"] = reason
        record["details"] = details
        out.append(record)
    wanted = np.array([d for d, _, _ in needs_scores], np.int64)
    # the free mentors are usually few after a solve (the app's 20k round: 2 places left for
    # 5,600 unmatched focus areas): score the rows against those columns only
    needed = np.unique(np.concatenate([c for _, c, _ in needs_scores])) if needs_scores else EMPTY
    view = ColumnView(features, needed) if 4 * len(needed) < model.n_mentors else None
    at = view.position if view is not None else np.arange(model.n_mentors, dtype=np.int64)
    width = len(needed) if view is not None else model.n_mentors
    for lo, hi in block_ranges(len(wanted), width):
        rows = wanted[lo:hi]
        block_scores = view.score(rows) if view is not None else scored_rows(features, rows)
        for local, (d, cols, record) in enumerate(needs_scores[lo:hi]):
            best = int(block_scores[local, at[cols]].max())
            details = record["details"]
            details["best_free_score"] = best / SCALE
            if best < threshold:
                record["reason"] = REASON_BELOW_THRESHOLD
            elif group_labels is not None and all(
                group_labels[1][j] >= 0 and group_labels[1][j] != group_labels[0][d]
                for j in cols.tolist()
            ):
                record["reason"] = REASON_GROUP_LABEL
    for record in out:
        details = record["details"]
        record["text"] = REASON_TEXT[record["reason"]].format(
            n=details.get("with_free_places", details["eligible_mentors"]),
            threshold=threshold / SCALE,
            best=details.get("best_free_score", 0.0),
        )
    return out


def rule_text(rules: list[str]) -> list[dict[str, str]]:
    """Hard rules in words."""
    return [{"rule": r, "text": RULE_TEXT[r]} for r in rules]
