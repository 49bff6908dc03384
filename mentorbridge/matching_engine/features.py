"""Factors: each is a value in [0, 1] for every (demand, mentor) pair, computed vectorised.

Most factors depend on a small category on each side (timezone, level, language set,
department, location), so each is a small table `T[mentee_category, mentor_category]`; a block
of rows is then a row gather from `T[:, mentor_categories]`. Goal fit is a sparse-dense product
(IDF-weighted wanted skills x mentor proficiency), text similarity a sparse-sparse product.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from mentorbridge.matching_engine.instance import FACTORS, InstanceError, Person
from mentorbridge.matching_engine.model import Model
from mentorbridge.matching_engine.text import EmbeddingIndex, TfidfIndex

F32 = NDArray[np.float32]
I64 = NDArray[np.int64]
CATEGORICAL = ("seniority", "timezone", "language", "department", "location")
AVAILABILITY_FULL_HOURS = 4.0  # hours per month at which availability counts as full
MENTEE_PREFERENCE_SHARE = 0.6
PRECOMPUTE_LIMIT = 8_000_000  # float32 cells per precomputed mentor-row table
ERR_TIMEZONE = 'people[{k}] (id "{id}"): timezone {tz!r} is not a known IANA timezone'


@dataclass
class Categorical:
    """A factor given by a table over (mentee category, mentor category)."""

    mentee_codes: I64
    mentor_codes: I64
    table: F32
    rows: F32 | None = None  # table[:, mentor_codes] when small enough

    def block(self, demand_rows: I64) -> F32:
        """Values for demand rows x all mentors."""
        codes = self.mentee_codes[demand_rows]
        if self.rows is not None:
            return np.take(self.rows, codes, axis=0)
        return self.table[codes][:, self.mentor_codes]

    def pairs(self, rows: I64, cols: I64) -> F32:
        """Values for (demand, mentor) pairs."""
        return self.table[self.mentee_codes[rows], self.mentor_codes[cols]]


def select_rows(
    rows: I64, pair_rows: I64, pair_cols: I64, values: F32 | None = None
) -> tuple[I64, I64, F32]:
    """Entries of a row-sorted sparse list whose row is in `rows` (sorted), as local rows."""
    if len(rows) and len(pair_rows) and rows[-1] - rows[0] + 1 == len(rows):
        a, b = np.searchsorted(pair_rows, [rows[0], rows[-1] + 1])
        sel = np.arange(a, b)
    else:
        sel = np.flatnonzero(np.isin(pair_rows, rows))
    local = np.searchsorted(rows, pair_rows[sel])
    vals = values[sel] if values is not None else np.zeros(len(sel), np.float32)
    return local.astype(np.int64), pair_cols[sel], vals


K = TypeVar("K", bound=Hashable)


def _codes(values: list[K]) -> tuple[I64, list[K]]:
    index: dict[K, int] = {}
    codes = np.array([index.setdefault(v, len(index)) for v in values], np.int64)
    return codes, list(index)


def working_hours_overlap(offset_a: F32, offset_b: F32) -> F32:
    """Share of a 9-17 local working day that two UTC offsets (hours) have in common."""
    delta = offset_a - offset_b
    best = np.zeros_like(delta)
    for wrap in (-24.0, 0.0, 24.0):
        best = np.maximum(best, 8.0 - np.abs(delta + wrap))
    return np.clip(best / 8.0, 0.0, 1.0).astype(np.float32)


def utc_offset_hours(timezone: str, reference_date: str) -> float:
    """UTC offset of an IANA timezone at noon UTC on the reference date."""
    moment = datetime.fromisoformat(reference_date).replace(tzinfo=ZoneInfo("UTC"))
    offset = (moment + timedelta(hours=12)).astimezone(ZoneInfo(timezone)).utcoffset()
    return 0.0 if offset is None else offset.total_seconds() / 3600.0


def seniority_table(kind: str, mentee_levels: F32, mentor_levels: F32) -> F32:
    """Seniority fit by program kind for all level combinations (mentor minus mentee)."""
    delta = mentor_levels[None, :] - mentee_levels[:, None]
    if kind == "reverse":
        value = np.where(delta < 0, 1.0, np.where(delta == 0, 0.3, 0.0))
    elif kind == "peer":
        value = np.clip(1.0 - np.abs(delta) / 3.0, 0.0, 1.0)
    else:  # traditional and group: the mentor is above, ideally by 1-3 levels
        value = np.where(delta <= 0, 0.0, np.where(delta <= 3, 1.0, 1.0 - 0.2 * (delta - 3)))
    return np.clip(value, 0.0, 1.0).astype(np.float32)


class Features:
    """All factor data of a model; computes raw factors and the weighted score."""

    def __init__(self, model: Model, embeddings: tuple[F32, F32] | None = None) -> None:
        """Build factor tables; `embeddings` = (focus-area vectors, mentor vectors) if given."""
        self.model = model
        instance = model.instance
        self.kind = instance.program_kind
        self.weights = np.array([instance.weights[f] for f in FACTORS], np.float32)
        people = instance.people
        mentee_people = [people[int(p)] for p in model.demand_person]
        mentor_people = [people[int(p)] for p in model.mentor_person]
        self.mentee_people, self.mentor_people = mentee_people, mentor_people
        self._build_skills(model, mentor_people)
        self.categorical = self._build_categorical(model, mentee_people, mentor_people)
        hours = np.array([p.hours_per_month for p in mentor_people], np.float32)
        self.availability = np.clip(hours / AVAILABILITY_FULL_HOURS, 0.0, 1.0).astype(np.float32)
        self._build_preferences(model)
        goals = [a.text or " ".join(a.skills) for a in model.demand_areas]
        profiles = [p.text + " " + " ".join(p.skills) for p in mentor_people]
        self.text: TfidfIndex | EmbeddingIndex
        if embeddings is not None:
            self.text = EmbeddingIndex(*embeddings)
        else:
            self.text = TfidfIndex(goals, profiles)
        w = dict(zip(FACTORS, self.weights.tolist(), strict=True))
        self.w = w
        self.constant = (
            w["availability"] * self.availability + w["preference"] * self.preference_base
        ).astype(np.float32)
        for name, factor in self.categorical.items():
            if name == "seniority" and self.kind == "reverse":
                continue
            if len(factor.table) * model.n_mentors <= PRECOMPUTE_LIMIT:
                factor.rows = np.ascontiguousarray(
                    w[name] * factor.table[:, factor.mentor_codes], dtype=np.float32
                )

    def _build_skills(self, model: Model, mentor_people: list[Person]) -> None:
        wanted = sorted({s for a in model.demand_areas for s in a.skills})
        self.skill_names = wanted
        index = {s: k for k, s in enumerate(wanted)}
        n_mentors = model.n_mentors
        proficiency = np.zeros((len(wanted) + 1, n_mentors), np.float32)  # last row: padding
        for j, person in enumerate(mentor_people):
            for skill, level in person.skills.items():
                if skill in index:
                    proficiency[index[skill], j] = level / 5.0
        df = (proficiency[:-1] > 0).sum(axis=1)
        idf = np.log((1.0 + n_mentors) / (1.0 + df)) + 1.0
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        width = max([len(a.skills) for a in model.demand_areas] + [1])
        slots = np.full((model.n_demands, width), len(wanted), np.int64)
        for d, area in enumerate(model.demand_areas):
            skills = sorted({index[s] for s in area.skills})
            total = float(sum(idf[s] for s in skills))
            for k, s in enumerate(skills):
                rows.append(d)
                cols.append(s)
                vals.append(float(idf[s]) / total)
                slots[d, k] = s
        self.idf = idf
        self.goal_weights = sp.csr_matrix(
            (np.array(vals, np.float32), (np.array(rows, np.int64), np.array(cols, np.int64))),
            shape=(model.n_demands, len(wanted) + 1),
        )
        self.proficiency = proficiency
        self.skill_slots = slots

    def _build_categorical(
        self, model: Model, mentees: list[Person], mentors: list[Person]
    ) -> dict[str, Categorical]:
        inst = model.instance
        by_demand = [model.mentees[int(i)] for i in model.demand_mentee]
        result: dict[str, Categorical] = {}
        a, a_vals = _codes([float(p.level) for p in mentees])
        b, b_vals = _codes([float(p.level) for p in mentors])
        table = seniority_table(
            self.kind, np.array(a_vals, np.float32), np.array(b_vals, np.float32)
        )
        result["seniority"] = Categorical(a, b, table)
        offsets: dict[str, float] = {}
        for k, person in enumerate(inst.people):
            if person.timezone not in offsets:
                try:
                    offsets[person.timezone] = utc_offset_hours(
                        person.timezone, inst.options.reference_date
                    )
                except (ZoneInfoNotFoundError, ValueError) as exc:
                    raise InstanceError(
                        ERR_TIMEZONE.format(k=k, id=person.id, tz=person.timezone)
                    ) from exc
        a, a_vals = _codes([offsets[p.timezone] for p in mentees])
        b, b_vals = _codes([offsets[p.timezone] for p in mentors])
        table = working_hours_overlap(
            np.array(a_vals, np.float32)[:, None], np.array(b_vals, np.float32)[None, :]
        )
        result["timezone"] = Categorical(a, b, table)
        a, a_sets = _codes([frozenset(p.languages) for p in mentees])
        b, b_sets = _codes([frozenset(p.languages) for p in mentors])
        table = np.array(
            [[1.0 if x & y else 0.0 for y in b_sets] for x in a_sets],
            np.float32,
        ).reshape(len(a_sets), len(b_sets))
        result["language"] = Categorical(a, b, table)
        depts = sorted({p.department for p in (*mentees, *mentors)})
        dept_index = {v: k for k, v in enumerate(depts)}
        a, a_depts = _codes(
            [
                (m.department_preference, p.department)
                for m, p in zip(by_demand, mentees, strict=True)
            ]
        )
        b = np.array([dept_index[p.department] for p in mentors], np.int64)
        table = np.ones((len(a_depts), len(depts)), np.float32)
        for r, (pref, dept) in enumerate(a_depts):
            same = np.array([d == dept for d in depts])
            if pref == "same":
                table[r] = same
            elif pref == "different":
                table[r] = ~same
        result["department"] = Categorical(a, b, table)
        places = sorted({p.location for p in (*mentees, *mentors)})
        place_index = {v: k for k, v in enumerate(places)}
        a, a_places = _codes(
            [(m.meeting, p.location) for m, p in zip(by_demand, mentees, strict=True)]
        )
        b = np.array([place_index[p.location] for p in mentors], np.int64)
        table = np.ones((len(a_places), len(places)), np.float32)
        for r, (meeting, place) in enumerate(a_places):
            same = np.array([q == place for q in places], np.float32)
            if meeting == "in_person":
                table[r] = same
            elif meeting == "either":
                table[r] = np.maximum(same, 0.5)
        result["location"] = Categorical(a, b, table)
        return result

    def _build_preferences(self, model: Model) -> None:
        mentor_neutral = 0.5
        self.preference_base = np.float32((1 - MENTEE_PREFERENCE_SHARE) * mentor_neutral)
        values: dict[tuple[int, int], list[float]] = {}
        for i, mentee in enumerate(model.mentees):
            n = len(mentee.ranked_mentors)
            for r, ref in enumerate(mentee.ranked_mentors):
                values.setdefault((i, model.mentor_index[ref]), [0.0, mentor_neutral])[0] = (
                    1.0 - 0.5 * r / max(n - 1, 1)
                )
        for j, mentor in enumerate(model.instance.mentors):
            j = model.mentor_index[mentor.id]
            for ref, value in [(x, 1.0) for x in mentor.prefer_mentees] + [
                (x, 0.0) for x in mentor.avoid_mentees
            ]:
                values.setdefault((model.mentee_index[ref], j), [0.0, mentor_neutral])[1] = value
        rows, cols, vals = [], [], []
        for (i, j), (mentee_part, mentor_part) in values.items():
            for d in model.demands_of(model.mentee_ids[i]):
                rows.append(d)
                cols.append(j)
                vals.append(
                    MENTEE_PREFERENCE_SHARE * mentee_part
                    + (1 - MENTEE_PREFERENCE_SHARE) * mentor_part
                )
        order = np.lexsort((np.array(cols, np.int64), np.array(rows, np.int64)))
        self.pref_rows = np.array(rows, np.int64)[order]
        self.pref_cols = np.array(cols, np.int64)[order]
        self.pref_vals = np.array(vals, np.float32)[order]

    def _strength(self, rows: I64) -> F32:
        slots = self.skill_slots[rows]
        best = np.take(self.proficiency, slots[:, 0], axis=0)
        for k in range(1, slots.shape[1]):
            np.maximum(best, np.take(self.proficiency, slots[:, k], axis=0), out=best)
        return best

    def score_block(self, rows: I64) -> F32:
        """Weighted score (float32, in [0, 1]) of sorted demand rows against every mentor."""
        w = self.w
        # in-place arithmetic: every full-size temporary costs a pass over memory
        out = np.asarray(self.goal_weights[rows] @ self.proficiency, dtype=np.float32)
        out *= np.float32(w["goal_fit"])
        out += self.constant[None, :]
        part = self.text.block(rows)
        part *= np.float32(w["text"])
        out += part
        for name, factor in self.categorical.items():
            part = factor.block(rows)
            if factor.rows is None:
                part = part * np.float32(w[name])
                if name == "seniority" and self.kind == "reverse":
                    part *= self._strength(rows)
            out += part
        del part
        r, c, v = select_rows(rows, self.pref_rows, self.pref_cols, self.pref_vals)
        if len(r):
            out[r, c] += w["preference"] * (v - self.preference_base)
        return out

    def score_columns(self, rows: I64, cols: I64) -> F32:
        """Weighted score of sorted demand rows against the sorted mentor columns `cols`."""
        w = self.w
        out = np.asarray(self.goal_weights[rows] @ self.proficiency[:, cols], dtype=np.float32)
        out *= np.float32(w["goal_fit"])
        out += self.constant[cols][None, :]
        part = self.text.block_columns(rows, cols)
        part *= np.float32(w["text"])
        out += part
        for name, factor in self.categorical.items():
            codes = factor.mentee_codes[rows]
            if factor.rows is not None:
                part = factor.rows[codes][:, cols]
            else:
                part = factor.table[codes][:, factor.mentor_codes[cols]] * np.float32(w[name])
                if name == "seniority" and self.kind == "reverse":
                    part *= self._strength(rows)[:, cols]
            out += part
        r, c, v = select_rows(rows, self.pref_rows, self.pref_cols, self.pref_vals)
        pos = np.searchsorted(cols, c).clip(0, max(len(cols) - 1, 0))
        hit = (cols[pos] == c) if len(cols) else np.zeros(len(c), bool)
        if hit.any():
            out[r[hit], pos[hit]] += w["preference"] * (v[hit] - self.preference_base)
        return out

    def factor_pairs(self, rows: I64, cols: I64) -> dict[str, F32]:
        """Unweighted factor values in [0, 1] for (demand, mentor) pairs."""
        goal = np.asarray(
            self.goal_weights[rows].multiply(self.proficiency[:, cols].T).sum(axis=1),
            dtype=np.float32,
        ).ravel()
        values = {"goal_fit": goal, "text": self.text.pairs(rows, cols)}
        for name, factor in self.categorical.items():
            values[name] = factor.pairs(rows, cols)
        if self.kind == "reverse":
            strength = self.proficiency[self.skill_slots[rows], cols[:, None]].max(axis=1)
            values["seniority"] = values["seniority"] * strength
        values["availability"] = self.availability[cols]
        pref = np.full(len(rows), self.preference_base, np.float32)
        keys = self.pref_rows * max(self.model.n_mentors, 1) + self.pref_cols
        wanted = rows * max(self.model.n_mentors, 1) + cols
        pos = np.searchsorted(keys, wanted)
        found = pos < len(keys)
        found[found] = keys[pos[found]] == wanted[found]
        pref[found] = self.pref_vals[pos[found]]
        values["preference"] = pref
        return {name: values[name] for name in FACTORS}
