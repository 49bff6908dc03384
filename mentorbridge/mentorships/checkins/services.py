"""Giving a check-in and sending feedback notes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorbridge.mentorships.access import check_can_change, others_of
from mentorbridge.mentorships.checkins import occasions
from mentorbridge.mentorships.checkins.models import (
    CheckIn,
    FeedbackNote,
    Visibility,
    Working,
)
from mentorbridge.mentorships.health.settings import care_for
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent, lock_mentorship, refuse_twin
from mentorbridge.notifications.services import notify
from mentorbridge.people.models import Person

ALREADY_CHECKED_IN = "You already checked in for {occasion}: each occasion takes one check-in."
UNKNOWN_OCCASION = "“{occasion}” is not a check-in of this mentorship that is due."
OUT_OF_SCALE = "{field} must be a whole number from 1 to 5."
BAD_WORKING = "“Is this working for you?” takes yes, not_sure or no."
BAD_VISIBILITY = "Who sees {field}: other, team or stats."
EMPTY_FEEDBACK = "Write what's going well, what could be better, or both."
ALREADY_SENT_FEEDBACK = "You already sent this feedback."


def occasion_check(mentorship: Mentorship, name: str, today: datetime.date) -> str:
    """The occasion's label if it is one a participant may check in for now."""
    if name.startswith("scheduled-"):
        due = occasions.scheduled_dates(
            care_for(mentorship.program), timezone.localdate(mentorship.started_at), today
        )
        number = name.removeprefix("scheduled-")
        if number.isdigit() and 1 <= int(number) <= len(due):
            return f"check-in {number}"
    elif name == f"extra-{today.isoformat()}":
        return "today"
    elif name.startswith("meeting-") and name.removeprefix("meeting-").isdigit():
        found = occasions.meeting_occasion(mentorship, int(name.removeprefix("meeting-")))
        if found is not None:
            return found.label.lower()
    raise ValidationError({"occasion": UNKNOWN_OCCASION.format(occasion=name)})


@transaction.atomic
def checkin_submit(
    *,
    mentorship: Mentorship,
    by: Person,
    occasion: str,
    satisfaction: int,
    progress: int,
    working: str,
    text: str = "",
    visibility: dict[str, str] | None = None,
) -> CheckIn:
    """One person's check-in for one occasion; each answer keeps who may read it
    (``visibility`` maps satisfaction, progress, working, text to other / team / stats)."""
    check_can_change(mentorship, by)
    label = occasion_check(mentorship, occasion, timezone.localdate())
    errors: dict[str, str] = {}
    for field, scale in (("satisfaction", satisfaction), ("progress", progress)):
        if not isinstance(scale, int) or not 1 <= scale <= 5:
            errors[field] = OUT_OF_SCALE.format(field=field.capitalize())
    if working not in Working.values:
        errors["working"] = BAD_WORKING
    chosen = {"satisfaction": "other", "progress": "other", "working": "team", "text": "team"}
    chosen.update(visibility or {})
    for field, value in chosen.items():
        if field not in ("satisfaction", "progress", "working", "text"):
            errors[field] = BAD_VISIBILITY.format(field=field)
        elif value not in Visibility.values:
            errors[f"{field}_visibility"] = BAD_VISIBILITY.format(field=field)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return CheckIn.objects.create(
                mentorship=mentorship, person=by, occasion=occasion,
                satisfaction=satisfaction, progress=progress, working=working,
                text=text.strip(),
                **{f"{field}_visibility": value for field, value in chosen.items()},
            )  # fmt: skip
    except IntegrityError:  # a form sent twice, or an occasion answered before
        existing = CheckIn.objects.get(mentorship=mentorship, person=by, occasion=occasion)
        raise AlreadySent(existing, ALREADY_CHECKED_IN.format(occasion=label)) from None


@transaction.atomic
def feedback_send(
    *, mentorship: Mentorship, by: Person, going_well: str, could_be_better: str
) -> FeedbackNote:
    """A “what's going well / what could be better” note to the others in the mentorship (in
    a group, everyone else reads it and is told)."""
    check_can_change(mentorship, by)
    if not (going_well.strip() or could_be_better.strip()):
        raise ValidationError({"going_well": EMPTY_FEEDBACK})
    lock_mentorship(mentorship)
    refuse_twin(
        FeedbackNote.objects.filter(
            mentorship=mentorship,
            author=by,
            going_well=going_well.strip(),
            could_be_better=could_be_better.strip(),
        ),
        ALREADY_SENT_FEEDBACK,
    )
    note = FeedbackNote.objects.create(
        mentorship=mentorship, author=by, going_well=going_well.strip(),
        could_be_better=could_be_better.strip(),
    )  # fmt: skip
    for other in others_of(mentorship, by):
        notify(
            user=other.user, kind="feedback", key=f"feedback:{note.pk}",
            title=f"{by.full_name} sent you feedback",
            body="What's going well and what could be better, in your mentorship's workspace.",
            url=reverse("mentorships-detail", args=[mentorship.pk]) + "#feedback",
            action="Read the feedback", name=other.first_name,
        )  # fmt: skip
    return note
