"""Introductions with double opt-in: a mentor introduces a mentee to a colleague; the
colleague accepts or declines first, and only then are the two connected by email. The
colleague sees the note and the two names, never the mentorship's content."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from mentorbridge.mentorships.access import check_can_change, mentees
from mentorbridge.mentorships.lifecycle.models import Introduction, IntroductionStatus
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.notifications.services import notify
from mentorbridge.people.models import Person

MENTORS_INTRODUCE = "Only the mentor introduces the mentee to colleagues."
NO_SUCH_COLLEAGUE = "Nobody active in the directory has the employee ID or email “{who}”."
NOT_A_COLLEAGUE = "Introduce the mentee to someone outside this mentorship."
NOTE_NEEDED = "Say in a few words why the two of you think they should talk."
ALREADY_INTRODUCED = "{colleague} was already asked about {mentee}."
NOT_A_MENTEE = "“{employee_id}” is not a mentee of this mentorship."
ALREADY_ANSWERED = "This introduction was already answered."
NO_SUCH_INTRODUCTION = "No such introduction."


def colleague_find(who: str) -> Person:
    """An active person by employee ID or work email."""
    who = who.strip()
    found = Person.objects.filter(is_active=True).filter(
        Q(employee_id=who) | Q(user__email__iexact=who)
    ).select_related("user").first() if who else None  # fmt: skip
    if found is None:
        raise ValidationError({"colleague": NO_SUCH_COLLEAGUE.format(who=who)})
    return found


@transaction.atomic
def introduction_create(
    *, mentorship: Mentorship, by: Person, colleague: Person, note: str, mentee: str = ""
) -> Introduction:
    """The mentor asks a colleague whether they'd talk to a mentee: the one named by employee
    id ``mentee`` (in a group), or else the mentorship's first mentee."""
    check_can_change(mentorship, by)
    if by.pk != mentorship.mentor_id:
        raise PermissionDenied(MENTORS_INTRODUCE)
    introduced = next(
        (p for p in mentees(mentorship) if p.employee_id == mentee), None
    ) if mentee else mentorship.mentee  # fmt: skip
    if introduced is None:
        raise ValidationError({"mentee": NOT_A_MENTEE.format(employee_id=mentee)})
    if colleague.pk in mentorship.participant_ids:
        raise ValidationError({"colleague": NOT_A_COLLEAGUE})
    if not note.strip():
        raise ValidationError({"note": NOTE_NEEDED})
    try:
        with transaction.atomic():
            intro = Introduction.objects.create(
                mentorship=mentorship, by=by, mentee=introduced, colleague=colleague,
                note=note.strip(),
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(
            ALREADY_INTRODUCED.format(colleague=colleague.full_name, mentee=introduced.full_name)
        ) from None
    notify(
        user=colleague.user, kind="introduction", key=f"introduction:{intro.pk}",
        title=f"{by.full_name} would like to introduce you to {introduced.full_name}",
        body=intro.note, url=reverse("mentorships-introduction", args=[intro.pk]),
        action="Accept or decline", name=colleague.first_name,
    )  # fmt: skip
    return intro


def introduction_for(user: object, pk: int) -> Introduction:
    """The introduction, for the colleague it asks (404 for anyone else)."""
    intro = get_object_or_404(
        Introduction.objects.select_related(
            "mentorship__mentee__user",
            "mentorship__mentor__user",
            "by",
            "colleague__user",
            "mentee__user",
        ),
        pk=pk,
    )
    person = getattr(user, "person", None)
    if person is None or person.pk != intro.colleague_id:
        raise Http404(NO_SUCH_INTRODUCTION)
    return intro


@transaction.atomic
def introduction_answer(*, introduction: Introduction, by: Person, accept: bool) -> Introduction:
    """The colleague answers. Accepting connects the mentee and the colleague by email and
    shows the introduction in the workspace; declining tells the mentor only."""
    intro = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if by.pk != intro.colleague_id:
        raise PermissionDenied(NO_SUCH_INTRODUCTION)
    if intro.status != IntroductionStatus.ASKED:
        raise ValidationError(ALREADY_ANSWERED)
    intro.status = IntroductionStatus.ACCEPTED if accept else IntroductionStatus.DECLINED
    intro.answered_at = timezone.now()
    intro.save(update_fields=["status", "answered_at"])
    m, colleague = intro.mentorship, intro.colleague
    if accept:
        for person, other in ((intro.mentee, colleague), (colleague, intro.mentee)):
            notify(
                user=person.user, kind="introduction", key=f"introduction_connected:{intro.pk}",
                title=f"Meet {other.full_name}, introduced by {intro.by.full_name}",
                body=f"{intro.note}\n\nWrite to {other.first_name}: {other.email}",
                url=other.get_absolute_url(), action=f"See {other.first_name}'s profile",
                name=person.first_name,
            )  # fmt: skip
    notify(
        user=intro.by.user, kind="introduction", key=f"introduction_answered:{intro.pk}",
        title=f"{colleague.full_name} {'accepted' if accept else 'declined'} your introduction",
        url=m.get_absolute_url() + "#feedback", action="Open the mentorship",
        name=intro.by.first_name,
    )  # fmt: skip
    return intro
