"""Keeping the demo's mentorships alive: check-ins, a thank-you note on Maria's profile, a
feedback note, and one more pair that is paused, so the program's Health page shows every
state with its reasons:

- on track: the pair that just started;
- needs attention: Maria's pair (an action item overdue);
- at risk: the pair whose goal review is due (two meetings missed in a row, and the mentee's
  check-in rated satisfaction 2);
- paused: a new pair on leave until next month (the mentor's place still held).

Built through the same services people use; running it again adds nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mentorbridge.demo.content import COMPANY_DOMAIN
from mentorbridge.demo.workspaces import _agree, _pairs, _start
from mentorbridge.mentorships.appreciation.services import thank_you_display, thank_you_send
from mentorbridge.mentorships.checkins.models import CheckIn
from mentorbridge.mentorships.checkins.services import checkin_submit, feedback_send
from mentorbridge.mentorships.lifecycle.services import mentorship_pause
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

SHARED = {"satisfaction": "other", "progress": "other", "working": "team", "text": "team"}


def _checkin_at(m: Mentorship, by: Person, days_in: int, **answers: object) -> None:
    """The first scheduled check-in (day 30), given when it was due."""
    checkin = checkin_submit(
        mentorship=m,
        by=by,
        occasion="scheduled-1",
        visibility=SHARED,
        **answers,  # type: ignore[arg-type]
    )
    CheckIn.objects.filter(pk=checkin.pk).update(
        submitted_at=m.started_at + datetime.timedelta(days=days_in)
    )


@transaction.atomic
def seed_keeping_alive(program: Program) -> int:
    """Check-ins, thanks, feedback and a paused pair; returns how many check-ins were made
    (0 when the program already has some)."""
    if CheckIn.objects.filter(mentorship__program=program).exists():
        return 0
    live = list(
        Mentorship.objects.filter(program=program, status="active")
        .select_related("mentee", "mentor")
        .order_by("started_at")
    )
    today = timezone.localdate()
    maria = Person.objects.get(user__email=f"maria.keller@{COMPANY_DOMAIN}")
    for m in live:
        age = (today - timezone.localdate(m.started_at)).days
        if age < 30 or not Meeting.objects.filter(mentorship=m).exists():
            continue
        if m.mentor_id == maria.pk:
            _checkin_at(m, m.mentee, 31, satisfaction=5, progress=4, working="yes",
                        text="The design review practice is paying off.")  # fmt: skip
            _checkin_at(m, m.mentor, 32, satisfaction=4, progress=4, working="yes")
            note = thank_you_send(
                mentorship=m, by=m.mentee,
                message="Thank you for the hour on my first design review: I walked in calm.",
            )  # fmt: skip
            thank_you_display(note=note, by=m.mentor, on_profile=True, manager_can_see=True)
            feedback_send(
                mentorship=m, by=m.mentor, going_well="You come with a clear agenda every time.",
                could_be_better="Send the draft a day before, so I can read it properly.",
            )  # fmt: skip
        else:
            _checkin_at(m, m.mentee, 33, satisfaction=2, progress=2, working="not_sure",
                        text="We keep missing each other; I'm not sure it fits.")  # fmt: skip
    # Maria keeps her free place for Sam's request; another mentor's pair takes the pause.
    for mentor, area in [p for p in _pairs(program, maria, 2) if p[0].pk != maria.pk][:1]:
        m = _start(program, mentor, area, 40)
        _agree(m, days_ago=38, link="https://meet.larkfield.example/paused-pair")
        mentorship_pause(
            mentorship=m, by=m.mentee, reason="Parental leave: back next month.",
            resume_on=today + datetime.timedelta(days=24),
        )  # fmt: skip
    return CheckIn.objects.filter(mentorship__program=program).count()
