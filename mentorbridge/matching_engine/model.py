"""Compiled model: an `Instance` turned into integer indices and numpy arrays.

Demands are (mentee, focus area) pairs; each wants one mentor. Mentors and mentees are sorted by
id so that equal inputs in any order give equal outputs (ties are broken by position, which is
id order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.instance import (
    FocusArea,
    Instance,
    InstanceError,
    Mentee,
    Mentor,
)

# Hard rules that remove pairs, in the order they are reported.
RULE_SELF = "self"
RULE_MANAGER_CHAIN = "reporting_chain"
RULE_OWN_REPORT = "own_report"
RULE_MENTEE_OPT_OUT = "mentee_opt_out"
RULE_MENTOR_OPT_OUT = "mentor_opt_out"
RULE_NO_CAPACITY = "no_capacity"
RULE_FORBIDDEN = "forbidden"
RULE_ENDED_EARLY = "ended_early"
RULE_SAME_MENTOR = "same_mentor_other_focus_area"
PAIR_RULES = (
    RULE_SELF,
    RULE_MANAGER_CHAIN,
    RULE_OWN_REPORT,
    RULE_MENTEE_OPT_OUT,
    RULE_FORBIDDEN,
    RULE_ENDED_EARLY,
)
RULE_TEXT = {
    RULE_SELF: "a person is never their own mentor",
    RULE_MANAGER_CHAIN: "the mentor is in the mentee's reporting chain (manager or above)",
    RULE_OWN_REPORT: "the mentor reports to the mentee (directly or indirectly)",
    RULE_MENTEE_OPT_OUT: "the mentee opted out of this mentor",
    RULE_MENTOR_OPT_OUT: "the mentor opted out of this matching round",
    RULE_NO_CAPACITY: "the mentor has capacity 0",
    RULE_FORBIDDEN: "an admin excluded this pair",
    RULE_ENDED_EARLY: "an earlier mentorship of this pair ended early",
    RULE_SAME_MENTOR: "the mentee already has this mentor for another focus area",
}
ERR_PIN_RULE = (
    "rules.pinned[{k}]: pair {mentee} -> {mentor} is removed by hard rule {rule!r}: {text}"
)
ERR_PIN_TWICE = "rules.pinned[{k}]: focus area {area!r} of mentee {mentee!r} is already pinned"
ERR_PIN_SAME = "rules.pinned[{k}]: mentee {mentee!r} is already pinned to mentor {mentor!r}"
ERR_PIN_CAPACITY = (
    "rules.pinned[{k}]: mentor {mentor!r} has more pinned mentees than capacity {cap}"
)

IntArray = NDArray[np.int64]


@dataclass
class Model:
    """Index arrays shared by features, solvers, certificate and explanations."""

    instance: Instance
    person_index: dict[str, int]
    mentee_ids: list[str]
    mentees: list[Mentee]
    mentor_ids: list[str]
    mentors: list[Mentor]
    mentor_index: dict[str, int]
    mentee_index: dict[str, int]
    demand_mentee: IntArray  # demand -> mentee position
    demand_person: IntArray  # demand -> person position
    demand_areas: list[FocusArea]
    mentee_start: IntArray  # mentee position -> first demand (CSR pointer, length n+1)
    mentor_person: IntArray
    capacity: IntArray
    mentor_opt_out: NDArray[np.bool_]
    pair_rows: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))  # demand
    pair_cols: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))  # mentor
    pair_rule: list[str] = field(default_factory=list)
    pinned: list[tuple[int, int]] = field(default_factory=list)  # (demand, mentor)
    # the kernels' view of the rules, rebuilt when pair_rows or capacity is replaced
    kernel_rules: Any = field(default=None, repr=False, compare=False)

    @property
    def n_demands(self) -> int:
        """Number of (mentee, focus area) demands."""
        return len(self.demand_areas)

    @property
    def n_mentors(self) -> int:
        """Number of mentors."""
        return len(self.mentor_ids)

    def demand_label(self, d: int) -> tuple[str, str]:
        """(mentee id, focus area id) of a demand."""
        return self.mentee_ids[int(self.demand_mentee[d])], self.demand_areas[d].id

    def demands_of(self, mentee_id: str) -> range:
        """Demand positions of a mentee."""
        m = self.mentee_index[mentee_id]
        return range(int(self.mentee_start[m]), int(self.mentee_start[m + 1]))

    def demand_of(self, mentee_id: str, area_id: str) -> int:
        """Demand position of a mentee's focus area; KeyError if unknown."""
        for d in self.demands_of(mentee_id):
            if self.demand_areas[d].id == area_id:
                return d
        raise KeyError(f"mentee {mentee_id!r} has no focus area {area_id!r}")

    def rules_for(self, d: int, j: int) -> list[str]:
        """Every hard rule that removes the pair (demand d, mentor j)."""
        found = [
            self.pair_rule[k]
            for k in np.flatnonzero((self.pair_rows == d) & (self.pair_cols == j)).tolist()
        ]
        if self.mentor_opt_out[j]:
            found.append(RULE_MENTOR_OPT_OUT)
        if self.capacity[j] <= 0:
            found.append(RULE_NO_CAPACITY)
        return found

    def add_pair_rule(self, rows: IntArray, cols: IntArray, rule: str) -> None:
        """Remove extra (demand, mentor) pairs, e.g. after `Session.forbid`."""
        self.pair_rows = np.concatenate([self.pair_rows, rows.astype(np.int64)])
        self.pair_cols = np.concatenate([self.pair_cols, cols.astype(np.int64)])
        self.pair_rule.extend([rule] * len(rows))
        self._sort_pairs()

    def drop_pair_rule(self, rows: IntArray, cols: IntArray, rule: str) -> None:
        """Stop removing the given pairs under `rule` (used when an admin pins a forbidden pair)."""
        drop = np.zeros(len(self.pair_rows), bool)
        for d, j in zip(rows.tolist(), cols.tolist(), strict=True):
            drop |= (self.pair_rows == d) & (self.pair_cols == j)
        drop &= np.array([r == rule for r in self.pair_rule], bool)
        keep = ~drop
        self.pair_rows, self.pair_cols = self.pair_rows[keep], self.pair_cols[keep]
        self.pair_rule = [r for r, k in zip(self.pair_rule, keep.tolist(), strict=True) if k]

    def _sort_pairs(self) -> None:
        order = np.lexsort((self.pair_cols, self.pair_rows))
        self.pair_rows, self.pair_cols = self.pair_rows[order], self.pair_cols[order]
        self.pair_rule = np.array(self.pair_rule, dtype=object)[order].tolist()


def _ancestor_pairs(instance: Instance, person_index: dict[str, int]) -> tuple[IntArray, IntArray]:
    """(person, ancestor) for every person and everyone above them in the reporting line,
    nearest first (the instance is validated: the chain has no cycle)."""
    managers = np.array(
        [person_index[p.manager] if p.manager is not None else -1 for p in instance.people],
        np.int64,
    )
    people: list[IntArray] = []
    above: list[IntArray] = []
    current = managers.copy()
    for _ in range(len(managers)):
        alive = np.flatnonzero(current >= 0)
        if len(alive) == 0:
            break
        people.append(alive)
        above.append(current[alive])
        current[alive] = managers[current[alive]]
    if not people:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    person = np.concatenate(people)
    ancestor = np.concatenate(above)
    order = np.argsort(person, kind="stable")  # per person, nearest ancestor first
    return person[order], ancestor[order]


def compile_model(instance: Instance) -> Model:
    """Build the index arrays and hard-rule pair lists of an instance."""
    person_index = {p.id: k for k, p in enumerate(instance.people)}
    mentees = sorted(instance.mentees, key=lambda m: m.id)
    mentors = sorted(instance.mentors, key=lambda m: m.id)
    mentee_index = {m.id: k for k, m in enumerate(mentees)}
    mentor_index = {m.id: k for k, m in enumerate(mentors)}
    demand_mentee: list[int] = []
    demand_areas: list[FocusArea] = []
    start = [0]
    for k, mentee in enumerate(mentees):
        for area in mentee.focus_areas:
            demand_mentee.append(k)
            demand_areas.append(area)
        start.append(len(demand_areas))
    mentee_person = np.array([person_index[m.id] for m in mentees], np.int64)
    model = Model(
        instance=instance,
        person_index=person_index,
        mentee_ids=[m.id for m in mentees],
        mentees=mentees,
        mentor_ids=[m.id for m in mentors],
        mentors=mentors,
        mentor_index=mentor_index,
        mentee_index=mentee_index,
        demand_mentee=np.array(demand_mentee, np.int64),
        demand_person=mentee_person[np.array(demand_mentee, np.int64)]
        if demand_mentee
        else np.zeros(0, np.int64),
        demand_areas=demand_areas,
        mentee_start=np.array(start, np.int64),
        mentor_person=np.array([person_index[m.id] for m in mentors], np.int64),
        capacity=np.array([m.capacity for m in mentors], np.int64),
        mentor_opt_out=np.array([m.opt_out for m in mentors], bool),
    )
    _collect_pair_rules(model, mentee_person)
    _collect_pins(model)
    return model


def _collect_pair_rules(model: Model, mentee_person: IntArray) -> None:
    instance = model.instance
    n_people = len(instance.people)
    mentor_of = np.full(n_people, -1, np.int64)
    mentor_of[model.mentor_person] = np.arange(model.n_mentors)
    mentee_of = np.full(n_people, -1, np.int64)
    mentee_of[mentee_person] = np.arange(len(mentee_person))
    person, ancestor = _ancestor_pairs(instance, model.person_index)
    # (mentee, mentor, rule) in the order rules are reported: self, reporting chain, the
    # mentee's opt-outs, own reports, admin exclusions, earlier mentorships ended early
    parts: list[tuple[IntArray, IntArray, int]] = []
    self_mentee = np.flatnonzero(mentor_of[mentee_person] >= 0)
    parts.append((self_mentee, mentor_of[mentee_person[self_mentee]], 0))
    chain = (mentee_of[person] >= 0) & (mentor_of[ancestor] >= 0)
    parts.append((mentee_of[person[chain]], mentor_of[ancestor[chain]], 1))
    opt_outs = [
        (i, model.mentor_index[ref])
        for i, m in enumerate(model.mentees)
        for ref in m.opt_out_mentors
    ]
    parts.append((_column(opt_outs, 0), _column(opt_outs, 1), 2))
    own = (mentor_of[person] >= 0) & (mentee_of[ancestor] >= 0)
    parts.append((mentee_of[ancestor[own]], mentor_of[person[own]], 3))
    for code, name in ((4, "forbidden"), (5, "ended_early")):
        pairs = [
            (model.mentee_index[x.mentee], model.mentor_index[x.mentor])
            for x in getattr(instance.rules, name)
        ]
        parts.append((_column(pairs, 0), _column(pairs, 1), code))
    names = np.array(
        [
            RULE_SELF,
            RULE_MANAGER_CHAIN,
            RULE_MENTEE_OPT_OUT,
            RULE_OWN_REPORT,
            RULE_FORBIDDEN,
            RULE_ENDED_EARLY,
        ],
        dtype=object,
    )
    mentee = np.concatenate([p[0] for p in parts]).astype(np.int64)
    mentor = np.concatenate([p[1] for p in parts]).astype(np.int64)
    codes = np.concatenate([np.full(len(p[0]), p[2], np.int64) for p in parts])
    # one entry per demand of the mentee
    first = model.mentee_start[mentee]
    counts = model.mentee_start[mentee + 1] - first
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    model.pair_rows = (np.repeat(first, counts) + offsets).astype(np.int64)
    model.pair_cols = np.repeat(mentor, counts)
    model.pair_rule = names[np.repeat(codes, counts)].tolist()
    model._sort_pairs()


def _column(pairs: list[tuple[int, int]], k: int) -> IntArray:
    return np.array([p[k] for p in pairs], np.int64)


def _collect_pins(model: Model) -> None:
    used: dict[int, int] = {}
    seen_demands: set[int] = set()
    seen_pairs: set[tuple[int, int]] = set()
    for k, pin in enumerate(model.instance.rules.pinned):
        mentee = model.mentees[model.mentee_index[pin.mentee]]
        area = pin.focus_area or mentee.focus_areas[0].id
        d = model.demand_of(pin.mentee, area)
        j = model.mentor_index[pin.mentor]
        blocking = [r for r in model.rules_for(d, j) if r != RULE_FORBIDDEN]
        if blocking:
            raise InstanceError(
                ERR_PIN_RULE.format(
                    k=k,
                    mentee=pin.mentee,
                    mentor=pin.mentor,
                    rule=blocking[0],
                    text=RULE_TEXT[blocking[0]],
                )
            )
        if d in seen_demands:
            raise InstanceError(ERR_PIN_TWICE.format(k=k, area=area, mentee=pin.mentee))
        i = int(model.demand_mentee[d])
        if (i, j) in seen_pairs:
            raise InstanceError(ERR_PIN_SAME.format(k=k, mentee=pin.mentee, mentor=pin.mentor))
        used[j] = used.get(j, 0) + 1
        if used[j] > model.capacity[j]:
            raise InstanceError(
                ERR_PIN_CAPACITY.format(k=k, mentor=pin.mentor, cap=int(model.capacity[j]))
            )
        seen_demands.add(d)
        seen_pairs.add((i, j))
        model.pinned.append((d, j))
    if model.pinned:
        # A pin is an admin decision: it overrides an admin's own exclusion of the same pair.
        rows = np.array([d for d, _ in model.pinned], np.int64)
        cols = np.array([j for _, j in model.pinned], np.int64)
        model.drop_pair_rule(rows, cols, RULE_FORBIDDEN)
        block_pinned_mentor_elsewhere(model)


def block_pinned_mentor_elsewhere(model: Model) -> None:
    """A pinned mentor cannot serve the same mentee's other focus areas."""
    have = set(
        zip(model.pair_rows.tolist(), model.pair_cols.tolist(), model.pair_rule, strict=True)
    )
    rows: list[int] = []
    cols: list[int] = []
    for d, j in model.pinned:
        i = int(model.demand_mentee[d])
        for other in range(int(model.mentee_start[i]), int(model.mentee_start[i + 1])):
            if other != d and (other, j, RULE_SAME_MENTOR) not in have:
                rows.append(other)
                cols.append(j)
    if rows:
        model.add_pair_rule(np.array(rows, np.int64), np.array(cols, np.int64), RULE_SAME_MENTOR)
