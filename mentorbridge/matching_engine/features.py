"""Factors: each is a value in [0, 1] for every (demand, mentor) pair.

Most factors depend on a small category on each side (timezone, level, language set,
department, location), so each is a small table `T[mentee_category, mentor_category]`. Goal fit
is a sparse product (IDF-weighted wanted skills x mentor proficiency), text similarity a
sparse-sparse product. `KernelTables` flattens all of it for the compiled row kernels
(`kernels.py`), which compute weighted scores one demand row at a time.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import scipy.sparse as sp
from numba import njit
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays, kernels
from mentorbridge.matching_engine.hybrid import (
    MEANING_SHARE,
    HybridIndex,
    TextVectors,
    with_meaning,
)
from mentorbridge.matching_engine.instance import FACTORS, InstanceError, Person
from mentorbridge.matching_engine.kernels import ScoreTables
from mentorbridge.matching_engine.model import Model
from mentorbridge.matching_engine.text import (
    Analyzer,
    EmbeddingIndex,
    TfidfIndex,
    synonym_phrases,
)

F32 = NDArray[np.float32]
I64 = NDArray[np.int64]
CATEGORICAL = ("seniority", "timezone", "language", "department", "location")
PRACTICAL = (*CATEGORICAL, "availability")  # the factors the relevance gate scales
RELEVANCE_FULL = 0.5  # relevance from which the practical factors count in full
AVAILABILITY_FULL_HOURS = 4.0  # hours per month at which availability counts as full
MENTEE_PREFERENCE_SHARE = 0.6
ERR_TIMEZONE = 'people[{k}] (id "{id}"): timezone {tz!r} is not a known IANA timezone'


@dataclass
class Categorical:
    """A factor given by a table over (mentee category, mentor category)."""

    mentee_codes: I64
    mentor_codes: I64
    table: F32

    def pairs(self, rows: I64, cols: I64) -> F32:
        """Values for (demand, mentor) pairs."""
        return self.table[self.mentee_codes[rows], self.mentor_codes[cols]]


K = TypeVar("K", bound=Hashable)


def _codes(values: list[K]) -> tuple[I64, list[K]]:
    index: dict[K, int] = {}
    codes = np.array([index.setdefault(v, len(index)) for v in values], np.int64)
    return codes, list(index)


def _overlap_table(a_sets: list[frozenset[str]], b_sets: list[frozenset[str]]) -> F32:
    """1.0 where two sets share an element, else 0.0 (a product of incidence matrices)."""
    names = {x: k for k, x in enumerate(sorted(set().union(*a_sets, *b_sets)))}

    def incidence(sets: list[frozenset[str]]) -> F32:
        matrix = np.zeros((len(sets), max(len(names), 1)), np.float32)
        for r, values in enumerate(sets):
            matrix[r, [names[v] for v in values]] = 1.0
        return matrix

    return ((incidence(a_sets) @ incidence(b_sets).T) > 0).astype(np.float32)


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

    def __init__(
        self,
        model: Model,
        embeddings: tuple[F32, F32] | TextVectors | None = None,
        meaning_share: float = MEANING_SHARE,
    ) -> None:
        """Build factor tables. With `embeddings` (sentence vectors by key, or the
        (focus-area vectors, mentor vectors) pair in model order) the text factor blends
        meaning and words (`hybrid.HybridIndex`, ``meaning_share`` of meaning)."""
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
        goal_keys = demand_keys(model)
        mentor_keys = list(model.mentor_ids)
        if isinstance(embeddings, tuple):
            embeddings = TextVectors(goal_keys, embeddings[0], mentor_keys, embeddings[1])
        analyzer = Analyzer(synonym_phrases(instance.synonyms))
        self.text: TfidfIndex | EmbeddingIndex | HybridIndex
        self.text = with_meaning(  # type: ignore[assignment]
            TfidfIndex(goals, profiles, analyzer), embeddings, goal_keys, mentor_keys,
            meaning_share,
        )  # fmt: skip
        w = dict(zip(FACTORS, self.weights.tolist(), strict=True))
        self.w = w
        self.constant = (w["availability"] * self.availability).astype(np.float32)
        self.neutral = np.float32(w["preference"] * self.preference_base)
        self._build_gate(model, instance.options.relevance_gate)
        self._kernel: KernelTables | None = None

    def _build_gate(self, model: Model, gate: float) -> None:
        """Relevance first: per demand, how much the practical factors count.

        relevance R = (w_goal x goal_fit + w_text x text) / (the weights of the relevance
        signals the focus area has: goal fit if it names skills, text if it has words), in
        [0, 1]; the practical factors (seniority, timezone, language, department, location,
        availability) are multiplied by min(1, 1 - gate + gate x R / RELEVANCE_FULL). A
        focus area with neither skills nor words has nothing to be relevant to: no gate.
        """
        w = self.w
        has_skills = np.array([bool(a.skills) for a in model.demand_areas])
        if isinstance(self.text, TfidfIndex):
            has_text = np.diff(self.text.queries.indptr) > 0
        else:  # sentence vectors: every goal has a meaning
            has_text = np.ones(model.n_demands, bool)
        signal = w["goal_fit"] * has_skills + w["text"] * has_text
        on = (signal > 0) & (gate > 0)
        self.gate_base = np.where(on, 1.0 - gate, 1.0).astype(np.float32)
        self.gate_scale = np.where(
            on, gate / (np.where(on, signal, 1.0) * RELEVANCE_FULL), 0.0
        ).astype(np.float32)

    def practical_share(self, rows: I64, values: dict[str, F32]) -> F32:
        """How much of their value the practical factors count for (demand, mentor) pairs,
        given the pairs' factor values (see `_build_gate`)."""
        relevance = self.w["goal_fit"] * values["goal_fit"] + self.w["text"] * values["text"]
        share = self.gate_base[rows] + self.gate_scale[rows] * relevance
        return np.minimum(share, 1.0).astype(np.float32)

    def contributions(self, rows: I64, values: dict[str, F32]) -> dict[str, F32]:
        """Each factor's part of the pairs' scores: value x weight, the practical ones times
        `practical_share`. They add up to the score."""
        share = self.practical_share(rows, values)
        out = {}
        for name in FACTORS:
            part = self.w[name] * values[name]
            if name in PRACTICAL and not (name == "seniority" and self.kind == "reverse"):
                part = part * share
            out[name] = part.astype(np.float32)
        return out

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
        width = max([len(a.skills) for a in model.demand_areas] + [1])
        slots = np.full((model.n_demands, width), len(wanted), np.int64)
        per_demand = [sorted({index[s] for s in area.skills}) for area in model.demand_areas]
        counts = np.array([len(skills) for skills in per_demand], np.int64)
        rows = np.repeat(np.arange(model.n_demands, dtype=np.int64), counts)
        cols = np.fromiter(chain.from_iterable(per_demand), np.int64, int(counts.sum()))
        slots[rows, arrays.group_rank(rows)] = cols
        # each demand's IDF total, summed in skill order as before (bincount adds in order)
        total = np.bincount(rows, weights=idf[cols], minlength=model.n_demands)
        vals = (idf[cols] / total[rows]).astype(np.float32)
        self.idf = idf
        self.goal_weights = sp.csr_matrix(
            (vals, (rows, cols)), shape=(model.n_demands, len(wanted) + 1)
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
        table = _overlap_table(a_sets, b_sets)
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

    def kernel_tables(self) -> KernelTables:
        """The score tables of the compiled row kernels (built once)."""
        if self._kernel is None:
            self._kernel = KernelTables.build(self)
        return self._kernel

    def score_block(self, rows: I64) -> F32:
        """Weighted score (float32, in [0, 1]) of demand rows against every mentor."""
        tables = self.kernel_tables()
        rows = np.ascontiguousarray(rows, np.int64)
        out = np.empty((len(rows), self.model.n_mentors), np.float32)
        if len(rows) and self.model.n_mentors:
            kernels.score_rows_float(
                rows, out, tables.args(rows), tables.n_classes, self.model.n_mentors
            )
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


def demand_keys(model: Model) -> list[str]:
    """The key of each demand row's sentence vector: ``"<mentee id>/<focus area id>"``."""
    return [
        f"{model.mentee_ids[int(i)]}/{a.id}"
        for i, a in zip(model.demand_mentee, model.demand_areas, strict=True)
    ]


def _csr_parts(matrix: sp.csr_matrix, scale: float) -> tuple[I64, I64, F32]:
    matrix = sp.csr_matrix(matrix)
    matrix.sort_indices()
    return (
        matrix.indptr.astype(np.int64),
        matrix.indices.astype(np.int64),
        (matrix.data * np.float32(scale)).astype(np.float32),
    )


# a text term held by at least 1 / DENSE_TERM_SHARE of the mentor profiles is added to a
# demand's row as a dense row of every mentor, not through its posting list (a scattered add
# per profile). The app's 20,000 x 6,000 round has 81 such terms of 1,068, 88 % of the text
# factor's adds, and scores its rows in 0.33 s instead of 0.55 (one thread, with the class
# sums by prefix either way); 100,000 x 30,000 plain: 41 of 541 (84 %), 0.75 s instead of
# 0.95-1.19 s per 10,000 rows. An eighth beat a quarter and a sixteenth on both. At most
# DENSE_TERM_CELLS floats are held (64 MB), the longest posting lists first
DENSE_TERM_SHARE = 8
DENSE_TERM_CELLS = 16_000_000


def _dense_terms(t_ptr: I64, t_mentor: I64, t_w: F32, n_mentors: int) -> tuple[I64, F32]:
    """Per term its row in the dense table (-1: posting list), and that table: each row the
    term's posting list spread over every mentor, 0 where a profile lacks it."""
    length = np.diff(t_ptr)
    n_terms = len(length)
    pos = np.full(n_terms, -1, np.int64)
    wide = np.flatnonzero(length * DENSE_TERM_SHARE >= max(n_mentors, 1))
    wide = wide[np.argsort(-length[wide], kind="stable")]
    wide = np.sort(wide[: DENSE_TERM_CELLS // max(n_mentors, 1)])
    # a profile listed twice in one term's postings (never built so) would be added twice
    wide = np.array(
        [t for t in wide if (np.diff(t_mentor[t_ptr[t] : t_ptr[t + 1]]) > 0).all()], np.int64
    )
    table = np.zeros((len(wide), n_mentors), np.float32)
    for k, t in enumerate(wide):
        lo, hi = t_ptr[t], t_ptr[t + 1]
        table[k, t_mentor[lo:hi]] = t_w[lo:hi]
        pos[t] = k
    return pos, table


def row_pointers(rows: I64, n_rows: int) -> I64:
    """CSR pointers of a row-sorted list of entries."""
    return np.searchsorted(rows, np.arange(n_rows + 1)).astype(np.int64)


@dataclass
class KernelTables:
    """Features as flat arrays for the kernels (`kernels.ScoreTables`)."""

    n_classes: int
    n_mentors: int
    parts: ScoreTables
    text: TfidfIndex | EmbeddingIndex | HybridIndex
    text_weight: float
    ranked_ptr: I64
    ranked_cols: I64
    columns: I64 | None = None  # the mentors kept by `restrict`, None for all
    category_rank: I64 | None = None  # see `shortlist.category_rank`

    @classmethod
    def build(cls, features: Features) -> KernelTables:
        """Flatten the factor tables of `features`."""
        model = features.model
        w = features.w
        names = list(CATEGORICAL)
        reverse = features.kind == "reverse"
        mentor_codes = np.stack(
            [features.categorical[n].mentor_codes for n in names], axis=1
        ).astype(np.int64)
        class_b, mclass = np.unique(mentor_codes, axis=0, return_inverse=True)
        a_codes = np.ascontiguousarray(
            np.stack([features.categorical[n].mentee_codes for n in names], axis=1), np.int64
        )
        shape_a = max(len(features.categorical[n].table) for n in names)
        shape_b = max(features.categorical[n].table.shape[1] for n in names)
        tables = np.zeros((len(names), shape_a, shape_b), np.float32)
        for f, name in enumerate(names):
            table = features.categorical[name].table
            if not (name == "seniority" and reverse):
                tables[f, : table.shape[0], : table.shape[1]] = np.float32(w[name]) * table
        seniority = features.categorical["seniority"]
        g_ptr, g_skill, g_w = _csr_parts(features.goal_weights, w["goal_fit"])
        postings = sp.csr_matrix(features.proficiency)
        s_ptr, s_mentor, s_level = _csr_parts(postings, 1.0)
        text = features.text
        if isinstance(text, TfidfIndex):
            q_ptr, q_term, q_w = _csr_parts(text.queries, w["text"])
            t_ptr, t_mentor, t_w = _csr_parts(text.documents_t, 1.0)
            t_dense_pos, t_dense = _dense_terms(t_ptr, t_mentor, t_w, model.n_mentors)
        else:
            q_ptr = np.zeros(model.n_demands + 1, np.int64)
            q_term, t_mentor = np.zeros(0, np.int64), np.zeros(0, np.int64)
            t_ptr = np.zeros(1, np.int64)
            q_w, t_w = np.zeros(0, np.float32), np.zeros(0, np.float32)
            t_dense_pos, t_dense = np.zeros(0, np.int64), np.zeros((0, model.n_mentors), np.float32)
        p_ptr = row_pointers(features.pref_rows, model.n_demands)
        p_delta = (
            np.float32(w["preference"]) * (features.pref_vals - features.preference_base)
        ).astype(np.float32)
        ranked = features.pref_vals > features.preference_base
        sen_table = (np.float32(w["seniority"]) * seniority.table).astype(np.float32)
        parts = ScoreTables(
            const=features.constant.astype(np.float32),
            mclass=mclass.ravel().astype(np.int32),
            a_codes=a_codes,
            tables=tables,
            class_b=np.ascontiguousarray(class_b, np.int64),
            g_ptr=g_ptr,
            g_skill=g_skill,
            g_w=g_w,
            s_ptr=s_ptr,
            s_mentor=s_mentor,
            s_level=s_level,
            q_ptr=q_ptr,
            q_term=q_term,
            q_w=q_w,
            t_ptr=t_ptr,
            t_mentor=t_mentor,
            t_w=t_w,
            t_dense_pos=t_dense_pos,
            t_dense=t_dense,
            dense_text=np.zeros((0, 0), np.float32),  # per call, for embeddings
            p_ptr=p_ptr,
            p_col=features.pref_cols.astype(np.int64),
            p_delta=p_delta,
            reverse=reverse,
            sen_a=seniority.mentee_codes.astype(np.int64),
            sen_b=seniority.mentor_codes.astype(np.int64),
            sen_table=sen_table,
            gate_base=features.gate_base,
            gate_scale=features.gate_scale,
            pref_const=np.array([features.neutral], np.float32),
        )
        return cls(
            n_classes=len(class_b),
            n_mentors=model.n_mentors,
            parts=parts,
            text=text,
            text_weight=w["text"],
            ranked_ptr=row_pointers(features.pref_rows[ranked], model.n_demands),
            ranked_cols=features.pref_cols[ranked].astype(np.int64),
        )

    def args(self, rows: I64) -> ScoreTables:
        """The kernels' score tables for a block of rows (adds the dense text block if any)."""
        if isinstance(self.text, TfidfIndex):
            return self.parts
        block = self.text.block(rows)
        if self.columns is not None:
            block = np.ascontiguousarray(block[:, self.columns])
        block *= np.float32(self.text_weight)
        return self.parts._replace(dense_text=block)

    def restrict(self, cols: I64) -> KernelTables:
        """The same tables for the mentors `cols` only (mentor j becomes position k).

        Posting lists keep their order, so every pair gets exactly the same float sums.
        """
        position = np.full(self.n_mentors, -1, np.int64)
        position[cols] = np.arange(len(cols))
        p = self.parts
        sub_classes = arrays.unique(p.mclass[cols].astype(np.int64))
        s_ptr, s_mentor, s_level = _restrict_postings(p.s_ptr, p.s_mentor, p.s_level, position)
        t_ptr, t_mentor, t_w = _restrict_postings(p.t_ptr, p.t_mentor, p.t_w, position)
        p_ptr, p_col, p_delta = _restrict_postings(p.p_ptr, p.p_col, p.p_delta, position)
        parts = p._replace(
            const=p.const[cols],
            mclass=np.searchsorted(sub_classes, p.mclass[cols]).astype(np.int32),
            class_b=np.ascontiguousarray(p.class_b[sub_classes]),
            s_ptr=s_ptr,
            s_mentor=s_mentor,
            s_level=s_level,
            t_ptr=t_ptr,
            t_mentor=t_mentor,
            t_w=t_w,
            t_dense=np.ascontiguousarray(p.t_dense[:, cols]),
            p_ptr=p_ptr,
            p_col=p_col,
            p_delta=p_delta,
            sen_b=p.sen_b[cols],
        )
        empty = np.zeros(0, np.float32)
        ranked_ptr, ranked_cols, _ = _restrict_postings(
            self.ranked_ptr, self.ranked_cols, empty, position
        )
        return KernelTables(
            n_classes=len(sub_classes),
            n_mentors=len(cols),
            parts=parts,
            text=self.text,
            text_weight=self.text_weight,
            ranked_ptr=ranked_ptr,
            ranked_cols=ranked_cols,
            columns=cols,
        )


def _restrict_postings(ptr: I64, mentor: I64, values: F32, position: I64) -> tuple[I64, I64, F32]:
    """A CSR list (rows -> mentors) cut to the mentors with a position, renumbered."""
    new_ptr, new_mentor, kept = _restricted(ptr, mentor, position)
    kept_values = values[kept] if len(values) == len(mentor) else values
    return new_ptr, new_mentor, kept_values


@njit(cache=True, nogil=True)
def _restricted(ptr: I64, mentor: I64, position: I64) -> tuple[I64, I64, I64]:
    """Row pointers, renumbered mentors and positions kept of `_restrict_postings`."""
    n_rows = len(ptr) - 1
    new_ptr = np.zeros(n_rows + 1, np.int64)
    n = 0
    for r in range(n_rows):
        for k in range(ptr[r], ptr[r + 1]):
            if position[mentor[k]] >= 0:
                n += 1
        new_ptr[r + 1] = n
    new_mentor = np.empty(n, np.int64)
    kept = np.empty(n, np.int64)
    at = 0
    for r in range(n_rows):
        for k in range(ptr[r], ptr[r + 1]):
            p = position[mentor[k]]
            if p >= 0:
                new_mentor[at] = p
                kept[at] = k
                at += 1
    return new_ptr, new_mentor, kept
