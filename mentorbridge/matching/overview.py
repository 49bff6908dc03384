"""What a program's admins see at a glance: where every enrolled person stands, and why each
mentee still without a mentor has none.

The per-person state is one SQL expression, so the overview's counts, the enrollment list's
*Matching* filter (programs use it through the ``Standing`` registered in ``apps.py``) and the
CSV export agree by construction. The reasons come from the matching engine's own hard rules
(through ``adapter.program_instance``), never from a second copy of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from mentorbridge.matching.adapter import InstanceScope, program_instance
from mentorbridge.matching.models import (
    OPEN_STATUSES,
    MentorRequest,
    PairExclusion,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from mentorbridge.matching_engine import Instance
from mentorbridge.matching_engine.heap import collector_paused
from mentorbridge.matching_engine.model import (
    RULE_ENDED_EARLY,
    RULE_FORBIDDEN,
    RULE_MANAGER_CHAIN,
    RULE_MENTEE_OPT_OUT,
    RULE_OWN_REPORT,
    RULE_SELF,
    Model,
    compile_model,
)
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role
from mentorbridge.programs.standing import Standing

MENTEE_ROLES = (Role.MENTEE, Role.BOTH)
MENTOR_ROLES = (Role.MENTOR, Role.BOTH)

# Where an enrolled person stands, per role. A mentee counts as matched once every focus area
# has a mentor; until then the most advanced step of their open focus areas counts.
MATCHED, PROPOSED, WAITING, UNMATCHED = "matched", "proposed", "waiting", "unmatched"
STATES: dict[str, str] = {
    MATCHED: "Matched",
    PROPOSED: "Proposal pending",
    WAITING: "Request waiting",
    UNMATCHED: "Unmatched",
}
STATE_HELP = {
    "mentee": {
        MATCHED: "every focus area has a mentor",
        PROPOSED: "a matching round proposed a mentor; waiting for the answers",
        WAITING: "asked a mentor; waiting for the answer",
        UNMATCHED: "a focus area has no mentor, no request and no proposal",
    },
    "mentor": {
        MATCHED: "mentors at least one mentee",
        PROPOSED: "a matching round proposed a mentee; waiting for the answers",
        WAITING: "a mentee's request is waiting for their answer",
        UNMATCHED: "no mentee yet, and nothing waiting",
    },
}

# Kinds of reason a focus area has no mentor, in the order the overview lists them.
REASON_PROPOSED = "proposed"
REASON_WAITING = "waiting"
REASON_FREE = "free"
REASON_FULL = "full"
REASON_NONE_ELIGIBLE = "none_eligible"
REASON_NO_MENTORS = "no_mentors"
REASON_LEFT = "left"
REASON_NO_AREA = "no_area"
REASON_CHANGED = "changed"
REASON_LABELS = {
    REASON_NONE_ELIGIBLE: "No eligible mentor",
    REASON_FULL: "Every eligible mentor is full",
    REASON_NO_MENTORS: "No mentors enrolled",
    REASON_FREE: "Could be matched now",
    REASON_WAITING: "Request waiting",
    REASON_PROPOSED: "Proposal pending",
    REASON_NO_AREA: "No focus area",
    REASON_LEFT: "Left the company",
    REASON_CHANGED: "Changed just now",
}

TEXT_PROPOSED = "Proposed to {mentor}; waiting for {who} to answer."
TEXT_WAITING = "Asked {mentors}; waiting for an answer since {since}."
TEXT_QUESTION = "{mentor} asked a question; waiting for {mentee} to reply."
TEXT_FREE = (
    "{n} eligible mentor{s} with a free place; no request sent and no proposal yet. "
    "A matching round can propose one."
)
TEXT_FULL = "All {n} eligible mentors are {what}."
TEXT_FULL_ONE = "The one eligible mentor is {what}."
TEXT_NO_MENTORS = "No mentors are enrolled yet: invite some."
TEXT_NONE_ELIGIBLE = "No eligible mentor ({n} enrolled): {parts}."
TEXT_ONLY_RULED_OUT = "Only ruled-out pairs: the program team ruled out every mentor ({n})."
TEXT_ALL_DECLINED = "Declined by every mentor ({n}); no one else is enrolled to ask."
TEXT_LEFT = "{mentee} has left the company."
TEXT_NO_AREA = "Has no focus area: ask them to join again with a goal."
TEXT_CHANGED = "Their enrollment changed while this page loaded: reload to see why."
TEXT_DECLINED_TOO = " Declined by {n} mentor{s} so far."

# Why a mentor cannot mentor a mentee, most specific first ("ruled out" and "declined" are
# the engine's one "forbidden" rule, told apart here by where the pair comes from).
EXCLUDED, DECLINED, ALREADY = "excluded", "declined", "already"
BLOCK_ORDER = (
    RULE_SELF, RULE_MANAGER_CHAIN, RULE_OWN_REPORT, RULE_ENDED_EARLY, RULE_MENTEE_OPT_OUT,
    EXCLUDED, DECLINED, ALREADY, RULE_FORBIDDEN,
)  # fmt: skip
BLOCK_WORDS = {
    RULE_SELF: "{n} is the mentee themselves",
    RULE_MANAGER_CHAIN: "{n} in their reporting line",
    RULE_OWN_REPORT: "{n} report{s_verb} to them",
    RULE_ENDED_EARLY: "{n} had a mentorship with them that ended early",
    RULE_MENTEE_OPT_OUT: "{n} they opted out of",
    EXCLUDED: "{n} ruled out by the program team",
    DECLINED: "{n} declined their request",
    ALREADY: "{n} already mentor{s_verb} them",
    RULE_FORBIDDEN: "{n} ruled out for this round",
}


def _s(n: int) -> str:
    return "" if n == 1 else "s"


# ---- per-person state, as SQL --------------------------------------------------------------


def _mentee_state() -> Case:
    areas = FocusArea.objects.filter(enrollment=OuterRef("pk"))
    open_areas = areas.exclude(mentorships__status__in=HOLDS_CAPACITY)
    proposed = open_areas.filter(proposals__status=ProposalStatus.SENT)
    waiting = open_areas.filter(requests__status__in=OPEN_STATUSES)
    return Case(
        When(Exists(areas) & ~Exists(open_areas), then=Value(MATCHED)),
        When(Exists(proposed), then=Value(PROPOSED)),
        When(Exists(waiting), then=Value(WAITING)),
        default=Value(UNMATCHED),
        output_field=CharField(),
    )


def _mentor_state() -> Case:
    mine = {"mentor": OuterRef("person"), "program": OuterRef("program")}
    live = Mentorship.objects.filter(status__in=HOLDS_CAPACITY, **mine)
    proposed = Proposal.objects.filter(
        round__program=OuterRef("program"), mentor=OuterRef("person"), status=ProposalStatus.SENT
    )
    waiting = MentorRequest.objects.filter(status__in=OPEN_STATUSES, **mine)
    return Case(
        When(Exists(live), then=Value(MATCHED)),
        When(Exists(proposed), then=Value(PROPOSED)),
        When(Exists(waiting), then=Value(WAITING)),
        default=Value(UNMATCHED),
        output_field=CharField(),
    )


def with_match_states(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate ``mentee_state`` and ``mentor_state`` (one of ``STATES``; meaningful for the
    roles the enrollment has). Already annotated querysets come back as they are."""
    if "mentee_state" in enrollments.query.annotations:
        return enrollments
    return enrollments.annotate(mentee_state=_mentee_state(), mentor_state=_mentor_state())


def filter_by_state(enrollments: QuerySet[Enrollment], *, state: str, role: str) -> QuerySet:
    """Only enrollments in ``state`` for ``role`` ("mentee", "mentor", or "" for either)."""
    if state not in STATES:
        return enrollments
    annotated = with_match_states(enrollments)
    as_mentee = Q(role__in=MENTEE_ROLES, mentee_state=state)
    as_mentor = Q(role__in=MENTOR_ROLES, mentor_state=state)
    if role == Role.MENTEE:
        return annotated.filter(as_mentee)
    if role == Role.MENTOR:
        return annotated.filter(as_mentor)
    return annotated.filter(as_mentee | as_mentor)


@dataclass(frozen=True)
class RoleCounts:
    """Enrolled people in one role and where they stand."""

    role: str
    enrolled: int
    states: dict[str, int]

    def rows(self) -> list[tuple[str, str, int, str]]:
        """(state, label, count, help) in the order the page shows them."""
        return [(s, STATES[s], self.states.get(s, 0), STATE_HELP[self.role][s]) for s in STATES]


def role_counts(program: Program) -> dict[str, RoleCounts]:
    """Per role (mentee, mentor): enrolled people and how many are matched, have a proposal
    pending, have a request waiting, or are unmatched. Two queries whatever the size."""
    active = Enrollment.objects.filter(program=program, status=EnrollmentStatus.ACTIVE)
    result = {}
    for role, roles, column, state in (
        ("mentee", MENTEE_ROLES, "mentee_state", _mentee_state()),
        ("mentor", MENTOR_ROLES, "mentor_state", _mentor_state()),
    ):
        rows = (
            active.filter(role__in=roles)
            .annotate(**{column: state})
            .values(column)
            .annotate(n=Count("pk"))
            .order_by()
        )
        states = {row[column]: row["n"] for row in rows}
        result[role] = RoleCounts(role=role, enrolled=sum(states.values()), states=states)
    return result


def counts_by_role(program: Program) -> dict[str, dict[str, int]]:
    """``role_counts`` as plain numbers: {"mentee": {"enrolled": n, "matched": n, …}, …}."""
    return {
        role: {"enrolled": counts.enrolled, **{s: counts.states.get(s, 0) for s in STATES}}
        for role, counts in role_counts(program).items()
    }


#: What programs' enrollment list and head counts use (registered in ``MatchingConfig.ready``).
STANDING = Standing(
    labels=STATES,
    filter=lambda enrollments, state, role: filter_by_state(enrollments, state=state, role=role),
    counts=counts_by_role,
)


# ---- why a focus area has no mentor ------------------------------------------------------


@dataclass
class UnmatchedArea:
    """One focus area without a mentor, and why."""

    mentee: Person
    focus_area_id: int | None
    title: str
    kind: str
    text: str
    eligible: int = 0
    declined: int = 0

    @property
    def label(self) -> str:
        return REASON_LABELS[self.kind]


@dataclass
class UnmatchedReport:
    """Every focus area of an enrolled mentee that has no mentor, with its reason."""

    areas: list[UnmatchedArea] = field(default_factory=list)

    @property
    def by_kind(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) for each kind of reason present, most pressing first."""
        counts = Counter(a.kind for a in self.areas)
        return [(k, REASON_LABELS[k], counts[k]) for k in REASON_LABELS if counts[k]]


def _pending_proposals(program: Program) -> dict[int, str]:
    texts: dict[int, str] = {}
    for area_id, first, last, mentee_ok, mentor_ok, mentee_first in Proposal.objects.filter(
        round__program=program, status=ProposalStatus.SENT
    ).values_list(
        "focus_area_id", "mentor__first_name", "mentor__last_name", "mentee_accepted",
        "mentor_accepted", "mentee__first_name",
    ):  # fmt: skip
        waiting_for = [
            name
            for name, answered in ((mentee_first, mentee_ok), (f"{first}", mentor_ok))
            if answered is None
        ]
        texts[area_id] = TEXT_PROPOSED.format(
            mentor=f"{first} {last}", who=" and ".join(waiting_for) or "the other person"
        )
    return texts


def _open_requests(program: Program) -> dict[int, str]:
    asked: dict[int, list[tuple[datetime, str, str, str]]] = defaultdict(list)
    for area_id, created, status, first, last, mentee_first in MentorRequest.objects.filter(
        program=program, status__in=OPEN_STATUSES
    ).values_list(
        "focus_area_id", "created_at", "status", "mentor__first_name", "mentor__last_name",
        "mentee__first_name",
    ).order_by("created_at"):  # fmt: skip
        asked[area_id].append((created, status, f"{first} {last}", mentee_first))
    texts = {}
    for area_id, rows in asked.items():
        question = next((r for r in rows if r[1] == RequestStatus.INFO_REQUESTED), None)
        if question is not None:
            texts[area_id] = TEXT_QUESTION.format(mentor=question[2], mentee=question[3])
        else:
            since = timezone.localtime(rows[0][0])
            texts[area_id] = TEXT_WAITING.format(
                mentors=", ".join(r[2] for r in rows), since=f"{since.day} {since:%b}"
            )
    return texts


# the collector would walk the cohort read and compiled again and again: the report of a
# 20,000-mentee program took 6.4-7.2 s, 3.1-4.0 s paused (docs/matching_engine.md, dec06d)
@collector_paused()
def unmatched_report(program: Program) -> UnmatchedReport:
    """Why each enrolled mentee's focus area without a mentor has none, computed from the
    data: a pending proposal, a waiting request, or the engine's hard rules and the mentors'
    free places (a fixed number of queries, however many people are enrolled)."""
    mentees = Enrollment.objects.filter(
        program=program, status=EnrollmentStatus.ACTIVE, role__in=MENTEE_ROLES
    )
    areas = list(
        FocusArea.objects.filter(enrollment__in=mentees)
        .exclude(mentorships__status__in=HOLDS_CAPACITY)
        .select_related("enrollment__person__user")
    )
    report = UnmatchedReport()
    no_area = mentees.filter(~Exists(FocusArea.objects.filter(enrollment=OuterRef("pk"))))
    for enrollment in no_area.select_related("person__user"):
        report.areas.append(
            UnmatchedArea(mentee=enrollment.person, focus_area_id=None, title="",
                          kind=REASON_NO_AREA, text=TEXT_NO_AREA)
        )  # fmt: skip
    if areas:
        _explain_all(program, areas, report)
    report.areas.sort(key=lambda a: (a.mentee.last_name, a.mentee.first_name, a.mentee.pk,
                                     a.focus_area_id or 0))  # fmt: skip
    return report


def _pairs(queryset: QuerySet) -> set[tuple[int, int]]:
    return set(queryset.values_list("mentee_id", "mentor_id"))


def _explain_all(program: Program, areas: list[FocusArea], report: UnmatchedReport) -> None:
    proposed = _pending_proposals(program)
    waiting = _open_requests(program)
    data = program_instance(program, InstanceScope(include_full_mentors=True))
    model = compile_model(Instance.from_dict(data)) if data["mentees"] else None
    mentor_ids = [m["id"] for m in data["mentors"]]
    pk_of = dict(Person.objects.filter(employee_id__in=mentor_ids).values_list("employee_id", "pk"))
    sources = {
        EXCLUDED: _pairs(PairExclusion.objects.filter(program=program)),
        DECLINED: _pairs(
            MentorRequest.objects.filter(program=program, status=RequestStatus.DECLINED)
        ),
        ALREADY: _pairs(Mentorship.objects.filter(program=program, status__in=HOLDS_CAPACITY)),
    }
    declined_by: Counter[int] = Counter(mentee for mentee, _ in sources[DECLINED])
    for area in areas:
        mentee = area.enrollment.person
        item = UnmatchedArea(
            mentee=mentee, focus_area_id=area.pk, title=area.title, kind="", text="",
            declined=declined_by[mentee.pk],
        )  # fmt: skip
        if area.pk in proposed:
            item.kind, item.text = REASON_PROPOSED, proposed[area.pk]
        elif area.pk in waiting:
            item.kind, item.text = REASON_WAITING, waiting[area.pk]
        elif not mentee.is_active:
            item.kind, item.text = REASON_LEFT, TEXT_LEFT.format(mentee=mentee.full_name)
        elif model is None or model.n_mentors == 0:
            item.kind, item.text = REASON_NO_MENTORS, TEXT_NO_MENTORS
        else:
            try:
                d = model.demand_of(mentee.employee_id, str(area.pk))
            except KeyError:  # a proposal or request appeared between the reads
                item.kind, item.text = REASON_CHANGED, TEXT_CHANGED
            else:
                _explain(item, model, d, pk_of, sources)
        report.areas.append(item)


def _explain(
    item: UnmatchedArea,
    model: Model,
    d: int,
    pk_of: dict[str, int],
    sources: dict[str, set[tuple[int, int]]],
) -> None:
    """The reason for a focus area (engine demand ``d``) with no proposal and no open
    request, from the engine's compiled hard rules and the mentors' free places. Costs the
    rules that name this demand, not the number of mentors."""
    a, b = np.searchsorted(model.pair_rows, [d, d + 1])
    blocked = np.unique(model.pair_cols[a:b])
    full_mask = model.capacity <= 0
    paused_mask = model.mentor_opt_out & ~full_mask
    eligible = model.n_mentors - len(blocked)
    full = int(full_mask.sum() - full_mask[blocked].sum())
    paused = int(paused_mask.sum() - paused_mask[blocked].sum())
    free = eligible - full - paused
    item.eligible = eligible
    if free > 0:
        item.kind, item.text = REASON_FREE, TEXT_FREE.format(n=free, s=_s(free))
    elif eligible:
        if paused and full:
            what = f"full ({full}) or paused ({paused})"
        else:
            what = "full" if full else "paused"
        item.kind = REASON_FULL
        text = TEXT_FULL_ONE if eligible == 1 else TEXT_FULL
        item.text = text.format(n=eligible, what=what)
    else:
        rules: dict[int, set[str]] = defaultdict(set)
        for j, rule in zip(model.pair_cols[a:b].tolist(), model.pair_rule[a:b], strict=True):
            rules[j].add(rule)
        item.kind = REASON_NONE_ELIGIBLE
        item.text = _no_eligible_text(model, item.mentee, rules, pk_of, sources)
    if item.declined and item.kind != REASON_NONE_ELIGIBLE:
        item.text += TEXT_DECLINED_TOO.format(n=item.declined, s=_s(item.declined))


def _no_eligible_text(
    model: Model,
    mentee: Person,
    rules: dict[int, set[str]],
    pk_of: dict[str, int],
    sources: dict[str, set[tuple[int, int]]],
) -> str:
    """Every enrolled mentor is ruled out: say by what, one main cause per mentor."""
    causes: Counter[str] = Counter()
    for j, found in rules.items():
        named = set(found)
        if RULE_FORBIDDEN in named:
            pair = (mentee.pk, pk_of.get(model.mentor_ids[j]))
            named |= {source for source, pairs in sources.items() if pair in pairs}
        causes[next(rule for rule in BLOCK_ORDER if rule in named)] += 1
    n = model.n_mentors
    if causes.keys() == {EXCLUDED}:
        return TEXT_ONLY_RULED_OUT.format(n=n)
    if causes.keys() == {DECLINED}:
        return TEXT_ALL_DECLINED.format(n=n)
    parts = [
        BLOCK_WORDS[rule].format(n=causes[rule], s_verb="s" if causes[rule] == 1 else "")
        for rule in BLOCK_ORDER
        if causes[rule]
    ]
    return TEXT_NONE_ELIGIBLE.format(n=n, parts=", ".join(parts))
