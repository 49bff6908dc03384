"""Thanking the other person, and choosing where a thank-you note shows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from mentorbridge.mentorships.access import check_can_change, other_participant
from mentorbridge.mentorships.appreciation.models import ThankYouNote
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import lock_mentorship, refuse_twin
from mentorbridge.notifications.services import notify
from mentorbridge.people.models import Person

EMPTY_THANKS = "Write a line or two: what are you thankful for?"
NOT_YOUR_NOTE = "Only the person thanked chooses where a thank-you note shows."
ALREADY_THANKED = "You already sent {name} this thank-you note."
MANAGER_FOR_MENTORS = "Only mentors can let their manager see thanks (for recognition)."


@transaction.atomic
def thank_you_send(
    *, mentorship: Mentorship, by: Person, message: str, occasion: str = "", to: str = ""
) -> ThankYouNote:
    """Thank another person in the mentorship (they are told in the app and by email): the
    one named by employee id ``to``, or else the other person of the pair (in a group, the
    mentor for a mentee and the first mentee for the mentor)."""
    check_can_change(mentorship, by)
    other = other_participant(mentorship, by, to)
    if not message.strip():
        raise ValidationError({"message": EMPTY_THANKS})
    lock_mentorship(mentorship)
    refuse_twin(
        ThankYouNote.objects.filter(
            mentorship=mentorship, author=by, recipient=other, message=message.strip()
        ),
        ALREADY_THANKED.format(name=other.first_name),
    )
    note = ThankYouNote.objects.create(
        mentorship=mentorship, author=by, recipient=other, message=message.strip(),
        occasion=occasion[:40],
    )  # fmt: skip
    notify(
        user=other.user, kind="thank_you", key=f"thank_you:{note.pk}",
        title=f"{by.full_name} thanked you", body=note.message,
        url=reverse("mentorships-detail", args=[mentorship.pk]) + "#feedback",
        action="See it in your mentorship", name=other.first_name,
    )  # fmt: skip
    return note


@transaction.atomic
def thank_you_display(
    *, note: ThankYouNote, by: Person, on_profile: bool, manager_can_see: bool
) -> ThankYouNote:
    """The receiver shows the note on their profile or not, and (mentors) lets their manager
    see it or not."""
    if by.pk != note.recipient_id:
        raise PermissionDenied(NOT_YOUR_NOTE)
    if manager_can_see and note.recipient_id != note.mentorship.mentor_id:
        raise ValidationError({"manager_can_see": MANAGER_FOR_MENTORS})
    note.on_profile = on_profile
    note.manager_can_see = manager_can_see
    note.save(update_fields=["on_profile", "manager_can_see"])
    return note
