"""Who is in a mentorship and who sees what of it. One place, so the pages, the API, the
calendar and the emails agree.

- Its participants (the mentee, the mentor, and in a group mentorship every other mentee who
  joined it) see and do everything inside it; private notes stay their author's alone.
- Program admins of its program, and site admins, see its state and dates only: never its
  content (agreement text, goals, reviews). The page they see says so.
- Anyone else: it does not exist for them (404).
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentorbridge.core.permissions import is_program_admin
from mentorbridge.mentorships.models import Mentorship, MentorshipMember, members_prefetch
from mentorbridge.people.models import Person

NO_SUCH_MENTORSHIP = "No such mentorship."
CONTENT_IS_PRIVATE = (
    "Only the people in this mentorship see its agreement and goals; program admins see its "
    "state and dates."
)
ENDED_READ_ONLY = "This mentorship has ended: its agreement and goals can be read, not changed."
NOT_ANOTHER_PARTICIPANT = "“{employee_id}” is not someone else in this mentorship."


def mentees(mentorship: Mentorship) -> list[Person]:
    """The mentorship's mentees: its first mentee, then the group's members as they joined."""
    return [mentorship.mentee, *(m.person for m in mentorship.group_members)]


def participants(mentorship: Mentorship) -> list[Person]:
    """Everyone in the mentorship, mentees first (in joining order), the mentor last."""
    return [*mentees(mentorship), mentorship.mentor]


def others_of(mentorship: Mentorship, viewer: Person) -> list[Person]:
    """Everyone in the mentorship but the viewer."""
    return [p for p in participants(mentorship) if p.pk != viewer.pk]


def counterpart(mentorship: Mentorship, viewer: Person) -> Person:
    """Who a one-to-one gesture (a thank-you note) goes to when nobody is named: the mentor,
    for a mentee; the first mentee, for the mentor. In a pair, simply the other person."""
    return mentorship.mentor if viewer.pk != mentorship.mentor_id else mentorship.mentee


def other_participant(mentorship: Mentorship, viewer: Person, employee_id: str | None) -> Person:
    """The participant the viewer named by employee id (``to``), or their counterpart when
    none is named. Naming yourself or someone outside the mentorship is refused."""
    if not employee_id:
        return counterpart(mentorship, viewer)
    for person in others_of(mentorship, viewer):
        if person.employee_id == employee_id:
            return person
    raise ValidationError({"to": NOT_ANOTHER_PARTICIPANT.format(employee_id=employee_id)})


def is_participant(mentorship: Mentorship, person: Person | None) -> bool:
    return person is not None and person.pk in mentorship.participant_ids


def names(people: list[Person], *, first: bool = False) -> str:
    """“Ana”, “Ana and Ben”, “Ana, Ben and Chloé”."""
    words = [p.first_name if first else p.full_name for p in people]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def headline(mentorship: Mentorship, person: Person | int) -> str:
    """The mentorship as one of its people names it: “Mentoring Ana and Ben”, “Mentored by
    Maria” or, in a group, “Mentored by Maria, with Ben”."""
    pk = person if isinstance(person, int) else person.pk
    if pk == mentorship.mentor_id:
        return f"Mentoring {names(mentees(mentorship))}"
    fellows = [p for p in mentees(mentorship) if p.pk != pk]
    if fellows:
        return f"Mentored by {mentorship.mentor.full_name}, with {names(fellows)}"
    return f"Mentored by {mentorship.mentor.full_name}"


def mentorships_of(person: Person | int) -> QuerySet[Mentorship]:
    """Every mentorship the person is in: as its mentee, its mentor or a group member."""
    pk = person if isinstance(person, int) else person.pk
    joined = MentorshipMember.objects.filter(person_id=pk).values("mentorship_id")
    return Mentorship.objects.filter(Q(mentee_id=pk) | Q(mentor_id=pk) | Q(pk__in=joined))


def in_mentorships_of(person: Person | int, field: str = "mentorship") -> Q:
    """A filter for rows that belong to one of the person's mentorships (meetings, notes…):
    ``Meeting.objects.filter(in_mentorships_of(person))``."""
    return Q(**{f"{field}_id__in": mentorships_of(person).values("pk")})


def with_members(queryset: QuerySet[Any], lookup: str = "members") -> QuerySet[Any]:
    """The queryset with each mentorship's group members read in one more query."""
    return queryset.prefetch_related(members_prefetch(lookup))


class Access(enum.Enum):
    PARTICIPANT = "participant"
    STATE_ONLY = "state_only"


def access_to(user: Any, mentorship: Mentorship) -> Access | None:
    """How much of the mentorship the user may see, or ``None`` for nothing at all."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if is_participant(mentorship, person):
        return Access.PARTICIPANT
    if is_program_admin(user, mentorship.program):
        return Access.STATE_ONLY
    return None


def mentorship_for(user: Any, pk: int) -> tuple[Mentorship, Access]:
    """The mentorship and the user's access to it; 404 for anyone without access."""
    mentorship = get_object_or_404(
        with_members(Mentorship.objects.select_related(
            "program", "mentee__user", "mentor__user", "focus_area", "mentee__department",
            "mentor__department",
        )),
        pk=pk,
    )  # fmt: skip
    access = access_to(user, mentorship)
    if access is None:
        raise Http404(NO_SUCH_MENTORSHIP)
    return mentorship, access


def mentorship_content_for(user: Any, pk: int) -> Mentorship:
    """The mentorship, for reading its content: participants only (admins get a 403 that
    says why, everyone else a 404)."""
    mentorship, access = mentorship_for(user, pk)
    if access is not Access.PARTICIPANT:
        raise PermissionDenied(CONTENT_IS_PRIVATE)
    return mentorship


NOT_A_PARTICIPANT = "Only the people in this mentorship can change it."


def check_can_change(mentorship: Mentorship, by: Any) -> None:
    """Services call this first: only participants change a live mentorship's content."""
    if by is None or by.pk not in mentorship.participant_ids:
        raise PermissionDenied(NOT_A_PARTICIPANT)
    if not mentorship.is_live:
        raise ValidationError(ENDED_READ_ONLY)
