"""The workspace's “Check-ins and feedback” section: the check-in due, the answers each person
may read, feedback notes and thank-you notes."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone

from mentorbridge.mentorships.checkins import occasions
from mentorbridge.mentorships.checkins.models import CheckIn, FeedbackNote, Visibility
from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.mentorships.health.settings import care_for
from mentorbridge.mentorships.lifecycle.models import Introduction
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.workspace.sections import Section
from mentorbridge.people.models import Person

ANSWERS = ("satisfaction", "progress", "working", "text")


@dataclasses.dataclass(frozen=True)
class SharedCheckIn:
    """A check-in as one reader sees it: hidden answers are ``None``."""

    checkin: CheckIn
    mine: bool
    satisfaction: int | None
    progress: int | None
    working: str | None
    text: str | None


def as_seen_by(checkin: CheckIn, viewer: Person, *, team: bool = False) -> SharedCheckIn:
    """The answers ``viewer`` may read: all of their own; of the other person's, those shared
    with them; the program team (``team``) reads those shared with the other or the team."""
    mine = not team and checkin.person_id == viewer.pk
    readable = {Visibility.OTHER, Visibility.TEAM} if team else {Visibility.OTHER}

    def answer(field: str) -> object:
        shown = mine or getattr(checkin, f"{field}_visibility") in readable
        if not shown:
            return None
        if field == "working":
            return checkin.get_working_display()
        return getattr(checkin, field)

    return SharedCheckIn(checkin, mine, *(answer(f) for f in ANSWERS))  # type: ignore[arg-type]


def checkin_due(
    mentorship: Mentorship,
    person: Person,
    today: datetime.date | None = None,
    *,
    care: CareSettings | None = None,
    given: list[CheckIn] | None = None,
) -> occasions.Occasion | None:
    """The scheduled check-in the person still owes, if one is due (``care`` and the
    mentorship's check-ins ``given``, when the caller has read them already)."""
    if not mentorship.is_live:
        return None
    today = today or timezone.localdate()
    due = occasions.latest_scheduled(
        care or care_for(mentorship.program), timezone.localdate(mentorship.started_at), today
    )
    if due is None:
        return None
    if given is None:
        answered = CheckIn.objects.filter(
            mentorship=mentorship, person=person, occasion=due.name
        ).exists()
    else:
        answered = any(c.person_id == person.pk and c.occasion == due.name for c in given)
    return None if answered else due


def _meeting_to_rate(
    mentorship: Mentorship, viewer: Person, given: list[CheckIn]
) -> occasions.Occasion | None:
    """The last held meeting, if the viewer has not rated it yet (one tap after a meeting)."""
    from mentorbridge.mentorships.meetings.selectors import last_held_meeting

    if not mentorship.is_live:
        return None
    meeting = last_held_meeting(mentorship)
    if meeting is None:
        return None
    name = f"meeting-{meeting.pk}"
    if any(c.person_id == viewer.pk and c.occasion == name for c in given):
        return None
    held = timezone.localdate(meeting.starts_at)
    return occasions.Occasion(name, held, f"the meeting of {held:%-d %b}")


def feedback_section(mentorship: Mentorship, viewer: Person) -> Section:
    from mentorbridge.mentorships.appreciation.models import ThankYouNote

    today = timezone.localdate()
    care = care_for(mentorship.program)
    given = list(CheckIn.objects.filter(mentorship=mentorship).select_related("person"))
    checkins = [as_seen_by(c, viewer) for c in given[:20]]
    visible = [c for c in checkins if c.mine or any(
        getattr(c, f) is not None for f in ANSWERS
    )]  # fmt: skip
    return Section(
        "feedback",
        "Check-ins and feedback",
        "mentorships/checkins/_section.html",
        {
            "live": mentorship.is_live,
            "due": checkin_due(mentorship, viewer, today, care=care, given=given),
            "next_on": occasions.next_scheduled(
                care, timezone.localdate(mentorship.started_at), today
            ),
            "checkins": visible,
            "feedback": list(
                FeedbackNote.objects.filter(mentorship=mentorship).select_related("author")[:20]
            ),
            "thanks": list(
                ThankYouNote.objects.filter(mentorship=mentorship).select_related(
                    "author", "recipient"
                )[:20]
            ),
            "viewer_is_mentor": viewer.pk == mentorship.mentor_id,
            "rate_meeting": _meeting_to_rate(mentorship, viewer, given),
            "introductions": list(
                Introduction.objects.filter(mentorship=mentorship).select_related(
                    "colleague", "mentee"
                )
            ),
        },
    )
