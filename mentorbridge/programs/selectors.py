"""Reads about programs: what a person sees, enrollment lists and counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from mentorbridge.core.parsing import check_choice
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role
from mentorbridge.programs.standing import standing


def programs_visible_to(user: object) -> QuerySet[Program]:
    """Site admins see every program; others see all but drafts, plus drafts they administer."""
    programs = Program.objects.all()
    if getattr(user, "is_superuser", False):
        return programs
    person = getattr(user, "person", None)
    return programs.filter(~Q(status="draft") | Q(admins=person)).distinct()


def enrollments_of(person: Person) -> dict[int, Enrollment]:
    """program id → the person's enrollment, for every program they are part of."""
    return {e.program_id: e for e in Enrollment.objects.filter(person=person)}


@dataclass(frozen=True)
class EnrollmentCounts:
    """Head counts for an admin's enrollment list."""

    mentees: int
    mentors: int
    pending: int
    invited: int
    capacity: int
    focus_areas: int


def enrollment_counts(program: Program) -> EnrollmentCounts:
    """How many mentees, mentors, pending and invited people, and the mentor capacity."""
    active = Q(enrollments__status=EnrollmentStatus.ACTIVE)
    mentee_roles = Q(enrollments__role__in=[Role.MENTEE, Role.BOTH])
    mentor_roles = Q(enrollments__role__in=[Role.MENTOR, Role.BOTH])
    row = Program.objects.filter(pk=program.pk).aggregate(
        mentees=Count("enrollments", filter=active & mentee_roles),
        mentors=Count("enrollments", filter=active & mentor_roles),
        pending=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.PENDING)),
        invited=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.INVITED)),
    )
    capacity = sum(
        Enrollment.objects.filter(
            program=program, status=EnrollmentStatus.ACTIVE, role__in=[Role.MENTOR, Role.BOTH]
        ).values_list("mentor_capacity", flat=True)
    )
    focus_areas = FocusArea.objects.filter(
        enrollment__program=program, enrollment__status=EnrollmentStatus.ACTIVE
    ).count()
    return EnrollmentCounts(
        mentees=row["mentees"],
        mentors=row["mentors"],
        pending=row["pending"],
        invited=row["invited"],
        capacity=capacity,
        focus_areas=focus_areas,
    )


def enrollment_filters_check(*, role: str = "", status: str = "", state: str = "") -> None:
    """Refuse (a ValidationError by field) filters of ``enrollment_list`` that name no role,
    status or standing, rather than list everyone (or no one) as if they had been applied."""
    check_choice("role", role, Role.values)
    check_choice("status", status, EnrollmentStatus.values)
    registered = standing()
    check_choice("state", state, registered.labels if registered is not None else ())


def enrollment_list(
    program: Program, *, role: str = "", status: str = "", query: str = "", state: str = ""
) -> QuerySet[Enrollment]:
    """A program's enrollments for its admins, with person and focus areas loaded.

    ``state`` (one of the registered standing's labels, see ``programs.standing``) keeps the
    people who stand there in ``role``, or in either role when ``role`` is empty.
    """
    enrollments = Enrollment.objects.filter(program=program)
    registered = standing()
    if state and registered is not None and state in registered.labels:
        enrollments = registered.filter(enrollments, state, role)
    if role == Role.MENTEE:
        enrollments = enrollments.filter(role__in=[Role.MENTEE, Role.BOTH])
    elif role == Role.MENTOR:
        enrollments = enrollments.filter(role__in=[Role.MENTOR, Role.BOTH])
    if status:
        enrollments = enrollments.filter(status=status)
    for word in query.split():
        enrollments = enrollments.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__user__email__icontains=word)
            | Q(person__employee_id__iexact=word)
        )
    return (
        enrollments.select_related("program", "person__department", "person__user")
        .prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.prefetch_related("skills"))
        )
        .order_by("person__last_name", "person__first_name")
    )


NOT_FOUND_TO_INVITE = "No one found for: {items}. Check the emails or employee IDs."
LEFT_TO_INVITE = "Left the company, so not invited: {items}."


@dataclass(frozen=True)
class Invitees:
    """Who a typed list of emails and employee IDs names, and what names no one we can invite."""

    people: list[Person]
    unknown: list[str]
    left: list[str]

    @property
    def problems(self) -> list[str]:
        return [*self.unknown, *self.left]

    def problem_text(self) -> str:
        texts = []
        if self.unknown:
            texts.append(NOT_FOUND_TO_INVITE.format(items=", ".join(self.unknown)))
        if self.left:
            texts.append(LEFT_TO_INVITE.format(items=", ".join(self.left)))
        return " ".join(texts)


def invitees(items: list[str]) -> Invitees:
    """The active people named by work email (any case) or employee ID, in one query; the
    items that name no one, and those that name someone who has left."""
    lowered = [item.lower() for item in items]
    matches = Person.objects.filter(Q(user__email__in=lowered) | Q(employee_id__in=items))
    by_key: dict[str, Person] = {}
    for person in matches.select_related("user"):
        by_key[person.user.email.lower()] = person
        by_key[person.employee_id] = person
    people: dict[int, Person] = {}
    unknown: list[str] = []
    left: list[str] = []
    for item in items:
        found = by_key.get(item) or by_key.get(item.lower())
        if found is None:
            unknown.append(item)
        elif not found.is_active:
            left.append(item)
        else:
            people[found.pk] = found
    return Invitees(people=list(people.values()), unknown=unknown, left=left)
