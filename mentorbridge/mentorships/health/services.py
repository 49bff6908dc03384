"""Program admins change a program's care settings and reach out to people in a mentorship."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.mentorships.health.models import CareSettings, ReachOut
from mentorbridge.mentorships.health.store import health_mark_stale
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent, lock_mentorship, refuse_twin
from mentorbridge.mentorships.tasks import refresh_program_health
from mentorbridge.notifications.services import notify
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

CARE_FIELDS = [
    "checkin_first_day", "checkin_every_days", "no_meeting_days", "missed_in_a_row",
    "low_satisfaction", "no_goals_days", "overdue_action_items", "agreement_days",
]  # fmt: skip
UNKNOWN_SETTING = "“{name}” is not a care setting of a program."
EMPTY_MESSAGE = "Write the message you want to send."
EMPTY_SUBJECT = "Give the email a subject."
ALREADY_REACHED = "This email was already sent a moment ago."
BAD_RECIPIENTS = "Send to the mentee, the mentor or both."


@transaction.atomic
def care_update(*, program: Program, by: Person | None, **values: Any) -> CareSettings:
    """Change the program's check-in schedule and health thresholds (0 turns a rule off)."""
    # Made first if missing (get_or_create copes with a first save at the same time), then
    # locked: two first saves at once both inserted settings (a unique error, a 500, on PG).
    CareSettings.objects.get_or_create(program=program)
    care = CareSettings.objects.select_for_update().get(program=program)
    for name, value in values.items():
        if name not in CARE_FIELDS:
            raise ValidationError({name: UNKNOWN_SETTING.format(name=name)})
        setattr(care, name, value)
    care.updated_at = timezone.now()
    care.updated_by = by
    care.full_clean(exclude=["program", "updated_by"])
    care.save()
    # Every stored health follows the new thresholds: stale now, stored again in the
    # background (and by the list itself, a chunk per visit, if the worker is behind).
    health_mark_stale(program_id=program.pk)
    transaction.on_commit(lambda: refresh_program_health.enqueue(program_id=program.pk))
    return care


@transaction.atomic
def reach_out(
    *, mentorship: Mentorship, by: Person | None, to: str, subject: str, message: str
) -> list[ReachOut]:
    """An email from a program admin to the mentee, the mentor or both, sent through the app
    (with a copy under the bell) and logged."""
    people = {"mentee": [mentorship.mentee], "mentor": [mentorship.mentor]}
    people["both"] = people["mentee"] + people["mentor"]
    errors = {}
    if to not in people:
        errors["to"] = BAD_RECIPIENTS
    if not subject.strip():
        errors["subject"] = EMPTY_SUBJECT
    if not message.strip():
        errors["message"] = EMPTY_MESSAGE
    if errors:
        raise ValidationError(errors)
    lock_mentorship(mentorship)
    # Each recipient once: the same email to the mentee, then to both, reaches the mentor
    # (and not the mentee again); refused only when everyone asked for already has it.
    recipients, already = [], None
    for person in people[to]:
        try:
            refuse_twin(
                ReachOut.objects.filter(
                    mentorship=mentorship,
                    by=by,
                    to=person,
                    subject=subject.strip()[:200],
                    message=message.strip(),
                ),
                ALREADY_REACHED,
                at="sent_at",
            )
        except AlreadySent as twin:
            already = twin
        else:
            recipients.append(person)
    if already is not None and not recipients:
        raise already
    sender = by.full_name if by else "The program team"
    sent = []
    for person in recipients:
        logged = ReachOut.objects.create(
            mentorship=mentorship, by=by, to=person, subject=subject.strip()[:200],
            message=message.strip(),
        )  # fmt: skip
        notify(
            user=person.user, kind="program_team", key=f"reach_out:{logged.pk}",
            title=f"{subject.strip()} (from {sender}, {mentorship.program.name})",
            body=message.strip(), url=mentorship.get_absolute_url(),
            action="Open your mentorship", name=person.first_name,
        )  # fmt: skip
        sent.append(logged)
    return sent
