"""Public API: `solve(instance)` and the reusable `Session` (pin, forbid, resolve, why_not)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays, heap
from mentorbridge.matching_engine.certificate import CertifyMemory
from mentorbridge.matching_engine.classes import has_members, mentor_classes
from mentorbridge.matching_engine.explain import (
    breakdown,
    rule_text,
    unmatched_reasons,
)
from mentorbridge.matching_engine.features import Features, demand_keys
from mentorbridge.matching_engine.hybrid import TextVectors
from mentorbridge.matching_engine.instance import Instance, InstanceError
from mentorbridge.matching_engine.model import (
    RULE_FORBIDDEN,
    RULE_TEXT,
    block_pinned_mentor_elsewhere,
    compile_model,
)
from mentorbridge.matching_engine.result import Assignment, Result
from mentorbridge.matching_engine.rounds import (
    RoundOutcome,
    StepCallback,
    gap_of,
    run_round,
    sample_beside_shortlist,
)
from mentorbridge.matching_engine.shortlist import (
    SCALE,
    block_ranges,
    build_shortlist,
    scored_rows,
)
from mentorbridge.matching_engine.solvers import repair
from mentorbridge.matching_engine.solvers.flow import Meanwhile
from mentorbridge.matching_engine.text import Embedder

ProgressFactory = Callable[[str, int], Callable[[int], None]]
ERR_STABLE_GROUP = "objective: 'stable' is not available for program_kind 'group'"
ERR_UNKNOWN = "unknown {kind} {id!r}"
BREAKDOWNS_KEPT = 500_000  # factor breakdowns a session keeps for re-solves at most
AHEAD_STEP = 1_000  # pairs worded per step while a solve runs in a child (about 40 ms)
Pair = tuple[int, int]


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, or of a child process it waited for
    if that was larger (a solve may run in a forked child, see `Session`), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


ERR_NO_VECTORS = (
    "options.text_embeddings is true but there are no sentence vectors: give the instance "
    "'embeddings', or pass an embedder or vectors"
)


def text_vectors(
    model: Any,
    instance: Instance,
    embedder: Embedder | None = None,
    vectors: TextVectors | None = None,
) -> TextVectors | None:
    """Sentence vectors for the text factor, or None for words alone.

    Passed ``vectors`` come first (an app's stored vectors; keys without one are scored on
    words), then the instance's ``embeddings``, then the ``embedder`` (computes them now).
    ``options.text_embeddings`` asks for meaning: with it and no source at all, InstanceError.
    """
    if vectors is not None:
        return vectors
    given = instance.embeddings
    if given:
        return TextVectors.from_mappings(given, given)
    if embedder is not None:
        people = instance.people
        goals = [a.text or " ".join(a.skills) for a in model.demand_areas]
        profiles = [people[int(p)].text for p in model.mentor_person]
        return TextVectors(
            demand_keys(model),
            np.asarray(embedder(goals), np.float32),
            list(model.mentor_ids),
            np.asarray(embedder(profiles), np.float32),
        )
    if instance.options.text_embeddings:
        raise InstanceError(ERR_NO_VECTORS)
    return None


def _lower_objective_text(mentor: str, score: float, chosen: Assignment, full: bool) -> str:
    """Why `mentor` (scoring `score`) was not chosen over `chosen`, which was: below it, the
    same, or above it (then the places it has are worth more to the objective elsewhere)."""
    versus = f"the chosen mentor {chosen.mentor} ({chosen.score:.4f})"
    diff = round(chosen.score - score, 6)
    if diff > 0:
        return f"{mentor} scores {score:.4f}, {diff:.4f} below {versus}" + (
            "; the mentor is full" if full else ""
        )
    if diff == 0:
        return f"{mentor} scores {score:.4f}, the same as {versus}" + (
            "; the mentor is full" if full else "; the tie keeps the chosen mentor"
        )
    because = (
        "the mentor is full with focus areas that add more to the objective"
        if full
        else "choosing it would lower the objective elsewhere"
    )
    return f"{mentor} scores {score:.4f}, {-diff:.4f} above {versus}, but {because}"


class Session:
    """A solved matching round that keeps features, scores and shortlist for quick re-solves."""

    def __init__(
        self,
        instance: Instance,
        *,
        embedder: Embedder | None = None,
        vectors: TextVectors | None = None,
        progress: ProgressFactory | None = None,
        explain_while_solving: bool = False,
        explain_in_thread: bool = False,
    ) -> None:
        """Compile the instance, compute features and the shortlist (the expensive part).

        ``vectors`` (or the instance's ``embeddings``, or an ``embedder``) blend meaning
        into the text factor (see ``hybrid``). With ``explain_while_solving`` each flow solve
        after the first runs in a forked child process while this one words the factor
        breakdowns of the last round's pairs (most stay in the final solution): a second
        core does the explaining during the solves. The result is the same; meant for a
        one-shot process such as the CLI, not for a web worker. With ``explain_in_thread``
        (a web worker's kept session) the wording runs only while a compiled stage runs in a
        worker thread of this process (the repair of the auctions' assignment, whose kernels
        release the GIL): no child process, and the breakdowns stay for the re-solves."""
        if instance.objective == "stable" and instance.program_kind == "group":
            raise InstanceError(ERR_STABLE_GROUP)
        self.instance = instance
        self.explain_while_solving = explain_while_solving
        self.explain_in_thread = explain_in_thread
        self.seconds: dict[str, float] = {}
        t0 = time.perf_counter()
        self.model = compile_model(instance)
        self.features = Features(self.model, text_vectors(self.model, instance, embedder, vectors))
        t1 = time.perf_counter()
        self.seconds["features"] = t1 - t0
        tick = progress("score", self.model.n_demands) if progress else None
        spread = not has_members(mentor_classes(self.features, self.model.capacity))
        # the first solve's dense sample, where it would take one, solved meanwhile
        self._first_sample = sample_beside_shortlist(
            self.features, instance.options.shortlist_k, instance.options.max_rounds, spread
        )
        self.shortlist = build_shortlist(
            self.features, instance.options.shortlist_k, tick, spread=spread
        )
        t2 = time.perf_counter()
        # Scoring and top-K selection share one blocked pass: split its wall time by the
        # measured share of each part.
        sl = self.shortlist
        share = sl.score_seconds / max(sl.score_seconds + sl.select_seconds, 1e-9)
        self.seconds["score"] = (t2 - t1) * share
        self.seconds["shortlist"] = (t2 - t1) * (1 - share)
        self._pinned_scores()
        self.memory = CertifyMemory()
        self.last: Result | None = None
        # factor breakdowns by (demand, mentor): they depend on the scores only, so a re-solve
        # after a pin or forbid words only the pairs it has not worded before
        self._breakdowns: dict[tuple[int, int], list[dict]] = {}

    def _pinned_scores(self) -> None:
        """Score units of each pinned pair (a pair's score depends on the pair only: pairs
        scored before are not scored again after a pin or a forbid)."""
        known: dict[tuple[int, int], int] = getattr(self, "_pair_units", {})
        missing = sorted({d for d, j in self.model.pinned if (d, j) not in known})
        if missing:
            rows = np.array(missing, np.int64)
            values = scored_rows(self.features, rows)
            position = {d: k for k, d in enumerate(missing)}
            for d, j in self.model.pinned:
                if d in position:
                    known[(d, j)] = max(int(values[position[d], j]), 0)
        self._pair_units = known
        self.pinned_scores: dict[int, int] = {d: known[(d, j)] for d, j in self.model.pinned}

    def warm_up(self) -> None:
        """Load the compiled kernels a pin or a forbid uses (about 0.5 CPU s once per process),
        for a session kept for re-solves: the first pin then pays only for itself."""
        if self.model.n_demands and self.model.n_mentors:
            scored_rows(self.features, np.zeros(1, np.int64))
            repair.warm_up()

    def solve(
        self,
        on_step: StepCallback | None = None,
        on_flow: Callable[[list[Assignment]], None] | None = None,
    ) -> Result:
        """Solve (or re-solve) the round and build the explained result.

        `on_step(stage, round, gap)` hears where the solve is, for a progress display:
        "prices", "round" (after each round, with its bound's relative gap; 0 once proven
        optimal) and "stable" as `rounds.run_round` says, then "explain" (the number of rounds
        solved, no gap) while the result is worded.

        `on_flow(assignments)` hears each round's flow as the result's assignments would be
        (scores, pinned flags and factor breakdowns; not the stable objective's), before its
        certificate: where that certificate proves it optimal, the result's assignments are
        the same. A caller may start storing them while the certificate runs, and must check
        them against the result. It must not raise."""
        options = self.instance.options
        outcome = run_round(
            self.features,
            self.shortlist,
            self.pinned_scores,
            options.shortlist_k,
            options.max_rounds,
            self.memory,
            self._explain_ahead if self.explain_while_solving or self.explain_in_thread else None,
            on_step,
            fork=self.explain_while_solving,
            first_sample=self._first_sample,
            on_flow=None if on_flow is None else lambda assigned: on_flow(self._flow(assigned)),
        )
        self._first_sample = None  # the first solve's only
        if on_step is not None:
            on_step("explain", outcome.rounds, None)
        t0 = time.perf_counter()
        result = self._result(outcome)
        explain = time.perf_counter() - t0
        seconds = {**self.seconds, **outcome.seconds, "explain": explain}
        result.stats["seconds"] = {k: round(v, 4) for k, v in seconds.items()}
        result.stats["seconds"]["total"] = round(sum(seconds.values()), 4)
        result.stats["peak_memory_mb"] = round(peak_memory_mb(), 1)
        self.last = result
        return result

    resolve = solve

    def pin(self, mentee: str, mentor: str, focus_area: str | None = None) -> None:
        """Force a pair into the next solution (its score and shortlist entry are reused)."""
        model = self.model
        d, j = self._pair(mentee, mentor, focus_area)
        blocking = [r for r in model.rules_for(d, j) if r != RULE_FORBIDDEN]
        if blocking:
            raise InstanceError(
                f"cannot pin {mentee} -> {mentor}: {RULE_TEXT[blocking[0]]} ({blocking[0]})"
            )
        self._first_sample = None  # of the instance before the pin
        model.drop_pair_rule(np.array([d]), np.array([j]), RULE_FORBIDDEN)
        model.pinned = [(pd, pj) for pd, pj in model.pinned if pd != d] + [(d, j)]
        block_pinned_mentor_elsewhere(model)
        used = sum(1 for _, pj in model.pinned if pj == j)
        if used > model.capacity[j]:
            model.pinned.pop()
            raise InstanceError(f"cannot pin {mentee} -> {mentor}: mentor capacity is full")
        # the pairs the pin removes: the mentor with the mentee's other focus areas
        others = np.array([o for o in model.demands_of(mentee) if o != d], np.int64)
        self._drop_pairs(others, np.full(len(others), j, np.int64))
        self._pinned_scores()

    def prefer(self, pairs: Iterable[tuple[str, str, str]]) -> None:
        """Where scores tie, the next solve keeps these (mentee, mentor, focus area) pairs, as a
        re-solve keeps its last solution: a session built again (after a restart) then gives a
        preview of the same objective that keeps as many of them as the kept session's would.
        Where two optima tie in score and in kept pairs too, the fresh solve and the kept
        session's repaired flow may take either (and members of a class of alike mentors may be
        split anew). Pairs the instance no longer has are skipped."""
        model = self.model
        assigned = np.full(model.n_demands, -1, np.int64)
        for mentee, mentor, area in pairs:
            j = model.mentor_index.get(mentor)
            if j is None or mentee not in model.mentee_index:
                continue
            try:
                assigned[model.demand_of(mentee, area)] = j
            except KeyError:
                continue
        self.memory.assigned = assigned

    def forbid(self, mentee: str, mentor: str) -> None:
        """Remove a pair for every focus area of the mentee, as an admin exclusion."""
        model = self.model
        _, j = self._pair(mentee, mentor, None)
        rows = np.array(list(model.demands_of(mentee)), np.int64)
        taken = set(rows.tolist())
        self._first_sample = None  # its scores are of the instance before the forbid
        model.pinned = [(d, pj) for d, pj in model.pinned if not (d in taken and pj == j)]
        model.add_pair_rule(rows, np.full(len(rows), j, np.int64), RULE_FORBIDDEN)
        self._drop_pairs(rows, np.full(len(rows), j, np.int64))
        self._pinned_scores()

    def _drop_pairs(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> None:
        """Take pairs a new hard rule removes out of the shortlist and its reserve (the pairs
        earlier rules removed are out already). Found through each row's entries: no pass
        over the whole shortlist unless a pair is in it."""
        sl = self.shortlist
        at: list[int] = []
        for d, j in zip(rows.tolist(), cols.tolist(), strict=True):
            start = int(sl.indptr[d])
            at.extend((start + np.flatnonzero(sl.row(d)[0] == j)).tolist())
        width = max(self.model.n_mentors, 1)
        removed = np.unique(rows * width + cols)
        reserve = sl.reserve_rows * width + sl.reserve_cols
        in_reserve = arrays.isin(reserve, removed) if len(removed) else np.zeros(len(reserve), bool)
        if not at and not in_reserve.any():
            return
        keep = np.ones(len(sl.cols), bool)
        keep[np.array(at, np.int64)] = False
        sl.drop(keep, ~in_reserve)

    def _pair(self, mentee: str, mentor: str, focus_area: str | None) -> tuple[int, int]:
        model = self.model
        if mentee not in model.mentee_index:
            raise InstanceError(ERR_UNKNOWN.format(kind="mentee", id=mentee))
        if mentor not in model.mentor_index:
            raise InstanceError(ERR_UNKNOWN.format(kind="mentor", id=mentor))
        demands = model.demands_of(mentee)
        area = focus_area or model.demand_areas[demands[0]].id
        try:
            d = model.demand_of(mentee, area)
        except KeyError as exc:
            raise InstanceError(ERR_UNKNOWN.format(kind="focus area", id=area)) from exc
        return d, model.mentor_index[mentor]

    def why_not(self, mentee: str, mentor: str, focus_area: str | None = None) -> dict[str, Any]:
        """Why a mentor was not proposed to a mentee: hard rules, or the score comparison."""
        result = self.last or self.solve()
        model = self.model
        _, j = self._pair(mentee, mentor, focus_area)
        chosen = {(a.mentee, a.focus_area): a for a in result.assignments}
        areas = (
            [focus_area]
            if focus_area
            else [model.demand_areas[d].id for d in model.demands_of(mentee)]
        )
        answers = []
        for area in areas:
            d = model.demand_of(mentee, area)
            answer: dict[str, Any] = {"mentee": mentee, "focus_area": area, "mentor": mentor}
            rules = model.rules_for(d, j)
            current = chosen.get((mentee, area))
            if rules:
                answer["verdict"] = "removed_by_hard_rule"
                answer["rules"] = rule_text(rules)
            elif current is not None and current.mentor == mentor:
                answer["verdict"] = "assigned"
            else:
                score = max(int(scored_rows(self.features, np.array([d]))[0, j]), 0) / SCALE
                answer["verdict"] = "lower_objective"
                answer["score"] = score
                answer["factors"] = breakdown(self.features, np.array([d]), np.array([j]))[0]
                full = sum(1 for a in result.assignments if a.mentor == mentor)
                answer["mentor_load"] = {"assigned": full, "capacity": int(model.capacity[j])}
                if current is not None:
                    answer["chosen_mentor"] = current.mentor
                    answer["chosen_score"] = current.score
                    answer["score_difference"] = round(current.score - score, 6)
                    answer["text"] = _lower_objective_text(
                        mentor, score, current, full >= model.capacity[j]
                    )
                else:
                    answer["text"] = f"{mentor} scores {score:.4f}; this focus area is unmatched"
            answers.append(answer)
        return {"mentee": mentee, "mentor": mentor, "answers": answers}

    def pair_scores(self) -> list[dict[str, Any]]:
        """Shortlisted eligible pairs with integer-exact scores (score = units / 10^6)."""
        model = self.model
        sl = self.shortlist
        rows = sl.rows
        out = []
        for d, j, s in zip(rows.tolist(), sl.cols.tolist(), sl.scores.tolist(), strict=True):
            mentee, area = model.demand_label(d)
            out.append(
                {
                    "mentee": mentee,
                    "focus_area": area,
                    "mentor": model.mentor_ids[j],
                    "score": s / SCALE,
                }
            )
        for d, j in model.pinned:
            if sl.score_of(d, j) is None:
                mentee, area = model.demand_label(d)
                out.append(
                    {
                        "mentee": mentee,
                        "focus_area": area,
                        "mentor": model.mentor_ids[j],
                        "score": self.pinned_scores[d] / SCALE,
                    }
                )
        return out

    def all_pair_scores(self) -> Iterator[list[tuple[str, str, str, float]]]:
        """Every eligible pair with its score, in blocks of demands (for external checks)."""
        model = self.model
        for lo, hi in block_ranges(model.n_demands, model.n_mentors):
            rows = np.arange(lo, hi, dtype=np.int64)
            values = scored_rows(self.features, rows)
            local, cols = np.nonzero(values >= 0)
            block: list[tuple[str, str, str, float]] = []
            for r, j, v in zip(
                local.tolist(), cols.tolist(), values[local, cols].tolist(), strict=True
            ):
                mentee, area = model.demand_label(lo + r)
                block.append((mentee, area, model.mentor_ids[j], v / SCALE))
            yield block

    def _breakdown(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> list[list[dict]]:
        """Factor breakdowns of pairs, each pair worded once per session."""
        keys = self._word_pairs(rows, cols)
        cache = self._breakdowns
        if self.explain_while_solving:
            # a one-shot process (the CLI): the breakdowns move into the result, no copies
            # (about 800,000 factor dictionaries at 100,000 x 30,000); a re-solve words again
            return [cache.pop(key) for key in keys]
        return [[dict(f) for f in cache[key]] for key in keys]

    def _word_pairs(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> list[Pair]:
        """Put the breakdowns of pairs not worded yet into the cache; returns the pairs."""
        cache = self._breakdowns
        keys = list(zip(rows.tolist(), cols.tolist(), strict=True))
        missing = [k for k, key in enumerate(keys) if key not in cache]
        if missing:
            if len(cache) + len(missing) > BREAKDOWNS_KEPT:
                cache.clear()
                missing = list(range(len(keys)))
            at = np.array(missing, np.int64)
            for k, factors in zip(
                missing, breakdown(self.features, rows[at], cols[at]), strict=True
            ):
                cache[keys[k]] = factors
        return keys

    def _explain_ahead(self, assigned: NDArray[np.int64]) -> Meanwhile | None:
        """Work for the time a solve runs in a child process (or a repair in a worker
        thread): word the breakdowns of the last assignment's pairs (a round changes few of
        them), a step at a time. The C heap's free memory goes back to the system first: the
        forked child starts with this process's resident memory (see `heap`)."""
        heap.trim()
        rows = np.flatnonzero(assigned >= 0).astype(np.int64)
        cols = assigned[rows]
        cache = self._breakdowns
        pairs = zip(rows.tolist(), cols.tolist(), strict=True)
        todo = [k for k, key in enumerate(pairs) if key not in cache]
        if not todo or len(cache) + len(todo) > BREAKDOWNS_KEPT // 2:
            return None
        at = np.array(todo, np.int64)
        rows, cols = rows[at], cols[at]

        def work(busy: Callable[[], bool]) -> None:
            for lo in range(0, len(rows), AHEAD_STEP):
                if not busy():
                    return
                self._word_pairs(rows[lo : lo + AHEAD_STEP], cols[lo : lo + AHEAD_STEP])

        return work

    def _assignments(
        self, rows: NDArray[np.int64], cols: NDArray[np.int64], listed: NDArray[np.int64],
        factors: list[list[dict]],
    ) -> list[Assignment]:  # fmt: skip
        """The result's assignments of the pairs (rows, cols), with their listed score units
        and factor breakdowns."""
        model = self.model
        pinned = dict(model.pinned)
        assignments = []
        for k, (d, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            mentee, area = model.demand_label(d)
            units = self.pinned_scores[d] if d in pinned else int(listed[k])
            assignments.append(
                Assignment(
                    mentee, area, model.mentor_ids[j], units / SCALE, d in pinned, factors[k]
                )
            )
        return assignments

    def _flow(self, assigned: NDArray[np.int64]) -> list[Assignment]:
        """A round's flow as the result's assignments (`solve`'s `on_flow`): its pairs are
        listed, and each is worded once per session (the result then finds them worded). The
        pinned pairs are not in the flow (their demands are out of its market): the result's
        are added, as `run_round` adds them."""
        assigned = assigned.copy()
        for d, j in self.model.pinned:
            assigned[d] = j
        rows = np.flatnonzero(assigned >= 0).astype(np.int64)
        cols = assigned[rows]
        listed = np.maximum(self.shortlist.scores_of(rows, cols), 0)
        cache = self._breakdowns
        factors = [[dict(f) for f in cache[key]] for key in self._word_pairs(rows, cols)]
        return self._assignments(rows, cols, listed, factors)

    def _result(self, outcome: RoundOutcome) -> Result:
        model = self.model
        assigned = outcome.assigned
        rows = np.flatnonzero(assigned >= 0).astype(np.int64)
        cols = assigned[rows]
        assert outcome.scores is not None
        assignments = self._assignments(
            rows, cols, outcome.scores[rows], self._breakdown(rows, cols)
        )
        free = model.capacity - np.bincount(cols, minlength=model.n_mentors)
        free[model.mentor_opt_out] = 0
        unmatched_rows = np.flatnonzero(assigned < 0).astype(np.int64)
        unmatched = unmatched_reasons(
            self.features, unmatched_rows, assigned, free, outcome.threshold, outcome.group_labels
        )
        total_units = sum(int(a.score * SCALE + 0.5) for a in assignments)
        stats: dict[str, Any] = {
            "objective": outcome.objective_units / SCALE,
            "bound": outcome.bound_units / SCALE,
            "gap": gap_of(outcome),
            "objective_definition": _definition(self.instance, outcome),
            "total_score": total_units / SCALE,
            "matched": len(assignments),
            "demands": model.n_demands,
            "mentees": len(model.mentee_ids),
            "mentors": model.n_mentors,
            "min_score": min((a.score for a in assignments), default=0.0),
            "shortlist_pairs": len(self.shortlist.cols),
            "rounds": outcome.rounds,
            "exact_certify_rows": outcome.exact_rows,
            "pairs_added_by_certificate": outcome.added_pairs,
            "certified": outcome.certified,
            "exact_fallback": outcome.exact_fallback,
            "repaired_rounds": outcome.repaired_rounds,
            "first_prices": outcome.first_prices,
        }
        if outcome.certificate_note:
            stats["certificate_note"] = outcome.certificate_note
        if outcome.bonus:
            stats["bonus_per_match"] = outcome.bonus / SCALE
        if self.instance.objective == "fair":
            stats["fair_threshold"] = outcome.threshold / SCALE
        if outcome.blocking_pairs is not None:
            stats["blocking_pairs"] = outcome.blocking_pairs
        groups: dict[str, str] = {}
        if outcome.group_labels is not None:
            names: dict[int, str] = {}
            for focus, code in zip(
                model.demand_areas, outcome.group_labels[0].tolist(), strict=True
            ):
                names[code] = focus.group
            for j, code in enumerate(outcome.group_labels[1].tolist()):
                if code >= 0:
                    groups[model.mentor_ids[j]] = names[code]
        pair_scores = self.pair_scores() if self.instance.options.return_pair_scores else None
        return Result(
            objective=self.instance.objective,
            program_kind=self.instance.program_kind,
            assignments=assignments,
            unmatched=unmatched,
            stats=stats,
            pair_scores=pair_scores,
            mentor_groups=groups,
        )


def _definition(instance: Instance, outcome: RoundOutcome) -> str:
    objective = instance.objective
    if objective == "coverage":
        return "sum of scores + bonus_per_match x matched focus areas"
    if objective == "fair":
        return "sum of (score + bonus_per_match) over pairs with score >= fair_threshold"
    if objective == "stable":
        return (
            "sum of scores of the stable matching; bound is an upper bound on the best total "
            "(the gap bounds the price of stability)"
        )
    if instance.program_kind == "group":
        return "sum of scores with one focus-area label per mentor; bound ignores the label rule"
    return "sum of scores"


def solve(
    instance: Instance,
    *,
    embedder: Embedder | None = None,
    vectors: TextVectors | None = None,
    progress: ProgressFactory | None = None,
) -> Result:
    """Score, shortlist, solve, certify and explain a matching round in one call."""
    return Session(instance, embedder=embedder, vectors=vectors, progress=progress).solve()


def why_not(instance: Instance, mentee: str, mentor: str, focus_area: str | None = None) -> dict:
    """Solve and explain why `mentor` was not proposed to `mentee`."""
    return Session(instance).why_not(mentee, mentor, focus_area)


__all__: Sequence[str] = ("Session", "solve", "why_not")
