"""Ranked mentor suggestions for one focus area (self-service "find a mentor").

Unlike a cohort round, nobody competes for places here: every eligible mentor with a free
place is ranked by the same score the round uses, with the same factor breakdown.

A :class:`Suggester` compiles an instance once (hard rules, factor tables, text index) and then
ranks any of its focus areas in milliseconds, so a web process can keep one per program.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from mentorbridge.matching_engine.api import text_vectors
from mentorbridge.matching_engine.explain import breakdown
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.hybrid import MEANING_SHARE, TextVectors
from mentorbridge.matching_engine.instance import Instance, InstanceError
from mentorbridge.matching_engine.model import compile_model
from mentorbridge.matching_engine.shortlist import SCALE, scored_rows

ERR_UNKNOWN_DEMAND = "mentees: no focus area {area!r} for mentee {mentee!r}"


class Suggester:
    """An instance compiled for ranking: build once, then call :meth:`rank` per focus area."""

    def __init__(
        self,
        instance: Instance,
        *,
        vectors: TextVectors | None = None,
        meaning_share: float = MEANING_SHARE,
    ) -> None:
        """Compile the model and the factor tables (the expensive part).

        With ``vectors`` (or the instance's ``embeddings``) the text factor blends meaning
        (``meaning_share``) and words; mentors or goals without a vector are scored on words."""
        self.model = compile_model(instance)
        self.features = Features(
            self.model, text_vectors(self.model, instance, None, vectors), meaning_share
        )
        # Each mentor's place in id order, for breaking ties by id with integers: sorting an
        # object array of 10,000 id strings on every call cost more than scoring the row.
        ids = self.model.mentor_ids
        self._id_order = np.empty(len(ids), np.int64)
        self._id_order[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))

    def has(self, mentee: str, focus_area: str) -> bool:
        """Whether this focus area of this mentee is part of the compiled instance."""
        try:
            self.model.demand_of(mentee, focus_area)
        except KeyError:
            return False
        return True

    def rank(
        self,
        mentee: str,
        focus_area: str,
        *,
        limit: int | None = 20,
        only: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Eligible mentors for one of a mentee's focus areas, best score first (ties by id).

        Each item has ``mentor``, ``score`` (0–1) and ``factors`` (value, weight, contribution
        and words per factor). Mentors removed by a hard rule, full or opted out never appear.
        ``only`` keeps just the named mentors (the caller's filters); ``limit=None`` keeps all.
        """
        model = self.model
        try:
            demand = model.demand_of(mentee, focus_area)
        except KeyError:
            raise InstanceError(ERR_UNKNOWN_DEMAND.format(area=focus_area, mentee=mentee)) from None
        values = scored_rows(self.features, np.array([demand], np.int64))[0]
        eligible = values >= 0
        if only is not None:
            allowed = np.zeros(model.n_mentors, bool)
            for mentor_id in only:
                j = model.mentor_index.get(mentor_id)
                if j is not None:
                    allowed[j] = True
            eligible &= allowed
        columns = np.flatnonzero(eligible)
        order = np.lexsort((self._id_order[columns], -values[columns]))
        chosen = columns[order][:limit] if limit is not None else columns[order]
        factors = breakdown(
            self.features, np.full(len(chosen), demand, np.int64), chosen.astype(np.int64)
        )
        return [
            {"mentor": model.mentor_ids[j], "score": int(values[j]) / SCALE, "factors": f}
            for j, f in zip(chosen.tolist(), factors, strict=True)
        ]


def rank_mentors(
    instance: Instance,
    mentee: str,
    focus_area: str,
    *,
    limit: int | None = 20,
    only: Collection[str] | None = None,
    vectors: TextVectors | None = None,
) -> list[dict[str, Any]]:
    """One-shot :meth:`Suggester.rank` (compiles the instance for this one call)."""
    return Suggester(instance, vectors=vectors).rank(mentee, focus_area, limit=limit, only=only)
