"""What the mentorship page shows: for its participants every section and the next step;
for program admins and site admins the state and dates only."""

from __future__ import annotations

import dataclasses
import datetime

from django.urls import reverse

from mentorbridge.mentorships.access import headline, others_of
from mentorbridge.mentorships.agreements.selectors import (
    AgreementStage,
    agreement_section,
    agreement_state,
)
from mentorbridge.mentorships.checkins.selectors import feedback_section
from mentorbridge.mentorships.goals.models import Goal, GoalReview, GoalStatus
from mentorbridge.mentorships.goals.selectors import goals_section
from mentorbridge.mentorships.health.selectors import health_section
from mentorbridge.mentorships.meetings.pages import (
    meeting_next_step,
    meetings_section,
    plan_next_step,
)
from mentorbridge.mentorships.meetings.selectors import (
    MeetingCounts,
    last_held_meeting,
    meeting_counts,
    next_meeting,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.workspace.sections import (
    NextStep,
    NextStepRule,
    Section,
    SectionBuilder,
)
from mentorbridge.people.models import Person

#: The page's sections, in order.
SECTION_BUILDERS: list[SectionBuilder] = [
    health_section, agreement_section, goals_section, meetings_section, feedback_section,
]  # fmt: skip


def _url(mentorship: Mentorship, anchor: str) -> str:
    return f"{reverse('mentorships-detail', args=[mentorship.pk])}#{anchor}"


def _ended(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    if m.is_live:
        return None
    return NextStep(
        "This mentorship has ended",
        "Its agreement, goals and their history stay here for you to read.",
    )


#: Health rules that say the pair has stopped meeting: planning a meeting comes first then.
NOT_MEETING = ("no_meeting", "missed_in_a_row")


def _meet_again(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    """At risk because the pair hasn't met (for long, or missed several in a row) and nothing
    is planned: plan a meeting before anything else (goals, check-ins, milestones)."""
    health = sections["health"].context["health"]
    reasons = [r for r in health.reasons if r.rule in NOT_MEETING] if health else []
    if not reasons:
        return None
    missed = [r for r in reasons if r.rule == "missed_in_a_row"]
    advice = missed[0].next_step if missed else "Pick a time that suits you both."
    held_any = sections["meetings"].context["held_any"]
    return NextStep(
        "Plan your next meeting" if held_any else "Plan your first meeting",
        " ".join([*(r.text for r in reasons), advice]),
        reverse("mentorships-meeting-plan", args=[m.pk]),
        "Plan a meeting",
    )


def _agree(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    state = sections["agreement"].context["state"]
    if state.stage is AgreementStage.NONE:
        return NextStep(
            "Agree on how you'll work together",
            "Draft your agreement from the program's template: how often you meet, where, for "
            "how long, what stays confidential. Then change it together until it fits.",
            _url(m, "agreement"),
            "Go to the agreement",
        )
    if state.stage is AgreementStage.AWAITING and not state.confirmed_by_person(viewer):
        return NextStep(
            "Read and confirm the agreement",
            f"Version {state.latest.number} waits for your confirmation. Change anything that "
            "doesn't fit first: the other person then confirms again.",
            _url(m, "agreement"),
            "Read the agreement",
        )
    return None


def _first_goals(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    if sections["goals"].context["cards"]:
        return None
    waiting = sections["agreement"].context["state"].waiting_for
    detail = "What should be different when this mentorship ends? Write it down with its steps."
    if waiting:
        names = " and ".join(p.first_name for p in waiting)
        detail = f"While {names} reads the agreement: {detail[0].lower()}{detail[1:]}"
    return NextStep(
        "Set your first goals", detail, reverse("mentorships-goal-new", args=[m.pk]), "Add a goal"
    )


def _review(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    prompt = sections["goals"].context["review_prompt"]
    if not prompt.due:
        return None
    return NextStep(
        "Review your goals together",
        f"You're past the middle of the mentorship ({prompt.midpoint:%-d %b %Y}): keep, change, "
        "tick off or drop each goal.",
        reverse("mentorships-goal-review", args=[m.pk]),
        "Review goals",
    )


def _checkin(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    due = sections["feedback"].context["due"]
    if due is None:
        return None
    return NextStep(
        "Check in: how is it going?",
        f"Your {due.label.lower()} is due since {due.due_on:%-d %b %Y}: satisfaction, progress "
        "and whether it's working for you, each shared only as you choose.",
        reverse("mentorships-checkin", args=[m.pk]),
        "Check in",
    )


def _waiting(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    state = sections["agreement"].context["state"]
    if state.stage is not AgreementStage.AWAITING:
        return None
    names = " and ".join(p.first_name for p in state.waiting_for)
    return NextStep(
        f"Wait for {names} to confirm the agreement",
        f"You confirmed version {state.latest.number}; it is in force once {names} confirms too.",
        _url(m, "agreement"),
    )


def _milestones(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    bare = [c for c in sections["goals"].context["cards"] if c.goal.is_open and not c.milestones]
    if not bare:
        return None
    return NextStep(
        "Break your goals into milestones",
        f"“{bare[0].goal.description}” has no milestones yet: name the first step.",
        _url(m, f"goal-{bare[0].goal.pk}"),
        "Add a milestone",
    )


def _keep_going(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep:
    return NextStep(
        "Keep going",
        "Tick off milestones as you reach them; review your goals whenever they stop fitting.",
        _url(m, "goals"),
    )


#: Checked in order; the first rule that returns a step is the next step.
NEXT_STEP_RULES: list[NextStepRule] = [
    _ended, meeting_next_step, _meet_again, _agree, _first_goals, _review, _checkin, _waiting,
    _milestones, plan_next_step, _keep_going,
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Workspace:
    """Everything the participant's page shows."""

    mentorship: Mentorship
    viewer: Person
    others: list[Person]
    sections: list[Section]
    next_step: NextStep

    @property
    def title(self) -> str:
        return headline(self.mentorship, self.viewer)


def workspace_for(mentorship: Mentorship, viewer: Person) -> Workspace:
    """The participant's view of their mentorship."""
    sections = [build(mentorship, viewer) for build in SECTION_BUILDERS]
    by_name = {s.name: s for s in sections}
    step = next(found for rule in NEXT_STEP_RULES if (found := rule(mentorship, viewer, by_name)))
    others = others_of(mentorship, viewer)
    return Workspace(mentorship, viewer, others, sections, step)


@dataclasses.dataclass(frozen=True)
class MentorshipState:
    """What program admins and site admins see: state and dates, never content."""

    mentorship: Mentorship
    agreement_stage: AgreementStage
    agreement_versions: int
    agreement_in_force_since: datetime.datetime | None
    goals_set: int
    goals_achieved: int
    last_goal_review: datetime.datetime | None
    meetings: MeetingCounts
    last_meeting_held: datetime.datetime | None
    next_meeting: datetime.datetime | None


def mentorship_state(mentorship: Mentorship) -> MentorshipState:
    """The state of a mentorship without a word of its content."""
    state = agreement_state(mentorship)
    in_force_since = None
    if state.in_force is not None:
        in_force_since = max(c.confirmed_at for c in state.in_force.confirmations.all())
    goals = Goal.objects.filter(mentorship=mentorship)
    last = GoalReview.objects.filter(mentorship=mentorship).order_by("-held_at").first()
    return MentorshipState(
        mentorship=mentorship,
        agreement_stage=state.stage,
        agreement_versions=state.version_count,
        agreement_in_force_since=in_force_since,
        goals_set=goals.count(),
        goals_achieved=goals.filter(status=GoalStatus.ACHIEVED).count(),
        last_goal_review=last.held_at if last else None,
        meetings=meeting_counts(mentorship),
        last_meeting_held=held.starts_at if (held := last_held_meeting(mentorship)) else None,
        next_meeting=coming.starts_at if (coming := next_meeting(mentorship)) else None,
    )
