"""Making a mentorship a group: the mentor or a program admin adds a mentee, a member leaves
or is taken out. Each member takes one of the mentor's places, checked with the mentor's
enrollment row locked (the same lock that starting a mentorship takes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from mentorbridge.core.permissions import is_program_admin
from mentorbridge.mentorships.access import NO_SUCH_MENTORSHIP, mentees, participants
from mentorbridge.mentorships.models import Mentorship, MentorshipMember
from mentorbridge.mentorships.services import MENTOR_FULL, mentor_enrollment, places_taken
from mentorbridge.outbox.services import message_queue
from mentorbridge.people.models import Person
from mentorbridge.people.selectors import reporting_chain
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, Role

MAX_GROUP_SIZE = 12

ONLY_MENTOR_OR_ADMIN = "Only the mentor and the program's admins add or take out group members."
ENDED = "This mentorship has ended: nobody can join it."
NO_SUCH_PERSON = "No one in the directory has the work email or employee ID “{who}”."
PERSON_NEEDED = "Give the new member's work email or employee ID."
ALREADY_IN = "{person} is already in this mentorship."
NOT_A_MENTEE = "{person} is not an enrolled mentee in {program}: invite them to the program first."
REPORTING_LINE = (
    "{person} and {mentor} are in the same reporting line: a mentor never mentors their own "
    "reports or managers."
)
GROUP_FULL = f"A group has at most {MAX_GROUP_SIZE} mentees."
NOT_A_MEMBER = "{person} is not a member of this group."
FIRST_MENTEE = (
    "{person} is the mentee this mentorship started with: end the mentorship instead, or "
    "keep it going with the group."
)


def can_manage_group(user: Any, mentorship: Mentorship) -> bool:
    """The mentor and the program's admins (site admins too) add and take out members."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None and person.pk == mentorship.mentor_id:
        return True
    return is_program_admin(user, mentorship.program)


def person_named(who: str) -> Person:
    """The active person with this work email or employee ID; an error that names it."""
    who = who.strip()
    if not who:
        raise ValidationError({"person": PERSON_NEEDED})
    found = (
        Person.objects.select_related("user")
        .filter(Q(user__email__iexact=who) | Q(employee_id=who), is_active=True)
        .first()
    )
    if found is None:
        raise ValidationError({"person": NO_SUCH_PERSON.format(who=who[:80])})
    return found


def _check_can_join(mentorship: Mentorship, person: Person) -> None:
    program = mentorship.program
    if person.pk in mentorship.participant_ids:
        raise ValidationError({"person": ALREADY_IN.format(person=person.full_name)})
    enrolled = Enrollment.objects.filter(
        program=program, person=person, status=EnrollmentStatus.ACTIVE,
        role__in=[Role.MENTEE, Role.BOTH],
    ).exists()  # fmt: skip
    if not enrolled:
        raise ValidationError(
            {"person": NOT_A_MENTEE.format(person=person.full_name, program=program.name)}
        )
    mentor = mentorship.mentor
    above_member = {p.pk for p in reporting_chain(person)}
    above_mentor = {p.pk for p in reporting_chain(mentor)}
    if mentor.pk in above_member or person.pk in above_mentor:
        raise ValidationError(
            {"person": REPORTING_LINE.format(person=person.full_name, mentor=mentor.full_name)}
        )
    if len(mentees(mentorship)) >= MAX_GROUP_SIZE:
        raise ValidationError({"person": GROUP_FULL})


@transaction.atomic
def group_member_add(*, mentorship: Mentorship, person: Person, by: Any) -> MentorshipMember:
    """Add a mentee to the mentorship, making it (or keeping it) a group. ``by`` is the user
    who adds them: the mentor, a program admin or a site admin. The new member is emailed a
    link to the workspace; everything in it is theirs to read from now on, except the others'
    private notes."""
    if not can_manage_group(by, mentorship):
        raise PermissionDenied(ONLY_MENTOR_OR_ADMIN)
    enrollment = mentor_enrollment(mentorship.program, mentorship.mentor, lock=True)
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not mentorship.is_live:
        raise ValidationError(ENDED)
    _check_can_join(mentorship, person)
    if places_taken(mentorship.program, mentorship.mentor) >= enrollment.mentor_capacity:
        raise ValidationError(
            {"person": MENTOR_FULL.format(mentor=mentorship.mentor, program=mentorship.program)}
        )
    adder = getattr(by, "person", None)
    try:
        with transaction.atomic():
            member = MentorshipMember.objects.create(
                mentorship=mentorship, person=person, added_by=adder
            )
    except IntegrityError:  # added twice at once: the unique constraint kept one
        raise ValidationError({"person": ALREADY_IN.format(person=person.full_name)}) from None
    mentorship.forget_members()
    _welcome(mentorship, member)
    return member


def _welcome(mentorship: Mentorship, member: MentorshipMember) -> None:
    url = settings.SITE_URL + reverse("mentorships-detail", args=[mentorship.pk])
    others = [p for p in participants(mentorship) if p.pk != member.person_id]
    message_queue(
        key=f"group-joined:{member.pk}",
        to=member.person.email,
        subject=f"You joined {mentorship.mentor.full_name}'s mentoring group",
        body=render_to_string(
            "mentorships/groups/email/joined.txt",
            {"person": member.person, "mentorship": mentorship, "others": others, "url": url},
        ),
    )


@transaction.atomic
def group_member_remove(*, mentorship: Mentorship, person: Person, by: Any) -> None:
    """Take a member out of the group: they leave themselves, or the mentor or a program
    admin takes them out. Their place with the mentor frees up; what they wrote in the shared
    workspace stays, and they no longer see it."""
    actor = getattr(by, "person", None) if by.is_authenticated else None
    leaving = actor is not None and actor.pk == person.pk
    if not leaving and not can_manage_group(by, mentorship):
        if actor is None or actor.pk not in mentorship.participant_ids:
            raise PermissionDenied(NO_SUCH_MENTORSHIP)
        raise PermissionDenied(ONLY_MENTOR_OR_ADMIN)
    if person.pk == mentorship.mentee_id:
        raise ValidationError({"person": FIRST_MENTEE.format(person=person.full_name)})
    deleted, _ = MentorshipMember.objects.filter(mentorship=mentorship, person=person).delete()
    if not deleted:
        raise ValidationError({"person": NOT_A_MEMBER.format(person=person.full_name)})
    mentorship.forget_members()
