"""Writes about programs and enrollment. Views and the API call these; nothing else writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.core.once import refuse_twin
from mentorbridge.people.models import Person
from mentorbridge.people.services import read_skill_set_removed, skill_for_name
from mentorbridge.people.skill_reading import read_skills
from mentorbridge.programs.models import (
    Enrollment,
    EnrollmentStatus,
    FocusArea,
    Program,
    ProgramAgreementTemplate,
    ProgramStatus,
    Role,
)
from mentorbridge.programs.notifications import invitation_notify
from mentorbridge.programs.signals import (
    announce_mentor_places_opened,
    participation_ended,
    program_closed,
    program_settings_changed,
)

NOT_OPEN = "{program} is not open for enrollment right now."
NOT_ELIGIBLE_LEVEL = "{program} is open to levels {low} to {high}; you are level {level}."
NOT_ELIGIBLE_DEPARTMENT = "{program} is open to {departments} only."
ALREADY_ENROLLED = "You are already enrolled in {program}."
ALREADY_CREATED = "{name} was already created a moment ago: here it is."
NEEDS_FOCUS_AREA = "As a mentee, name at least one focus area: a goal you want a mentor for."
TOO_MANY_FOCUS_AREAS = "{program} allows at most {limit} focus area(s) per mentee."
NEEDS_CAPACITY = "As a mentor, say how many mentees you can take (at least 1)."
CAPACITY_OVER_LIMIT = "{program} allows at most {limit} mentees per mentor."
BAD_TRANSITION = "A program that is {current} cannot become {target}."
NOT_PENDING = "Only enrollments awaiting approval can be approved or declined."
CANNOT_WITHDRAW = "This enrollment is already {status}."
LEFT_PROGRAM = "left the program"
ROLE_NOT_ALLOWED = "Peer programs enroll everyone as both mentee and mentor."
LEFT_COMPANY = "{person} has left the company and cannot be invited."
BAD_ROLE = "Role must be one of: {choices}."
DRAFT_NO_INVITES = (
    "{program} is a draft: only its admins can see it. Open it for enrollment first, then "
    "invite people."
)
STAYS_OUT_OF_DRAFT = (
    "{program} cannot go back to draft: {count} {people} joined or been invited, and a "
    "draft is hidden from everyone but its admins. Pause new requests instead, or close it."
)
# Enrollments that make a program someone's: they can see it and act in it.
PART_OF_IT = (
    EnrollmentStatus.ACTIVE, EnrollmentStatus.PENDING, EnrollmentStatus.INVITED,
)  # fmt: skip


@dataclass(frozen=True)
class FocusAreaInput:
    """A focus area as typed: a title, what the mentee wants, and the skills involved."""

    title: str
    description: str = ""
    skills: Sequence[str] = field(default_factory=tuple)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "program"
    slug, n = base, 2
    while Program.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def program_create(*, creator: Person | None, name: str, **fields: Any) -> Program:
    """Create a program in draft; its creator (if they have a profile) becomes its first
    program admin. Site admins without a profile manage every program anyway."""
    departments = fields.pop("eligible_departments", None)
    admins = fields.pop("admins", None)
    # A form sent twice (or two people at once) makes one program, not "sales-growth-2".
    twins = Program.objects.filter(name__iexact=name.strip())
    refuse_twin(twins, ALREADY_CREATED.format(name=name.strip()))
    program = Program(name=name.strip(), slug=_unique_slug(name), **fields)
    program.full_clean()
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:  # the same slug saved at once by another request (PostgreSQL)
        refuse_twin(twins, ALREADY_CREATED.format(name=name.strip()))
        raise
    if departments:
        program.eligible_departments.set(departments)
    audit_record(
        action=AuditAction.PROGRAM_CREATED,
        target=program,
        summary=f"Program {program.name} created ({program.get_kind_display().lower()})",
        details={"program": program.slug},
    )
    program.admins.add(*([creator] if creator else []), *(admins or []))
    return program


def program_settings(program: Program) -> dict[str, Any]:
    """The program's settings as plain values, to compare before and after a change."""
    values = {f.attname: getattr(program, f.attname) for f in Program._meta.concrete_fields}
    for name in ("id", "status", "created_at", "updated_at"):
        values.pop(name, None)
    return values


@transaction.atomic
def program_update(*, program: Program, **fields: Any) -> Program:
    """Change a program's settings (not its status: see ``program_set_status``)."""
    departments = fields.pop("eligible_departments", None)
    admins = fields.pop("admins", None)
    fields.pop("status", None)
    # What is stored, not the instance passed in: a ModelForm's validation has already copied
    # the new values onto it, and nothing would look changed (no audit entry, no signal).
    before = program_settings(Program.objects.get(pk=program.pk))
    before_departments = sorted(program.eligible_departments.values_list("name", flat=True))
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    program.save()
    changed = {
        name: [old, new]
        for (name, old), new in zip(before.items(), program_settings(program).values(), strict=True)
        if old != new
    }
    if departments is not None:
        program.eligible_departments.set(departments)
        after_departments = sorted(program.eligible_departments.values_list("name", flat=True))
        if after_departments != before_departments:
            changed["eligible_departments"] = [before_departments, after_departments]
    if changed:
        audit_record(
            action=AuditAction.PROGRAM_SETTINGS_CHANGED,
            target=program,
            summary=f"Settings of {program.name} changed: " + ", ".join(sorted(changed)),
            details={"program": program.slug, "changed": changed},
        )
        program_settings_changed.send(sender=Program, program=program, changed=changed)
    if admins is not None:
        program.admins.set(admins)
    return program


@transaction.atomic
def program_set_status(*, program: Program, status: str) -> Program:
    """Move a program along draft → enrolling → matching → running → closed."""
    if status not in program.allowed_next_statuses():
        raise ValidationError(
            {
                "status": BAD_TRANSITION.format(
                    current=program.get_status_display().lower(),
                    target=ProgramStatus(status).label.lower()
                    if status in ProgramStatus.values
                    else status,
                )
            }
        )
    if status == ProgramStatus.DRAFT:
        count = program.enrollments.filter(status__in=PART_OF_IT).count()
        if count:
            people = "person has" if count == 1 else "people have"
            raise ValidationError(
                {"status": STAYS_OUT_OF_DRAFT.format(program=program, count=count, people=people)}
            )
    audit_record(
        action=AuditAction.PROGRAM_STATUS_CHANGED,
        target=program,
        summary=f"{program.name} moved from {program.get_status_display().lower()} to "
        f"{ProgramStatus(status).label.lower()}",
        details={"program": program.slug, "from": program.status, "to": status},
    )
    program.status = status
    program.save(update_fields=["status"])
    if status == ProgramStatus.CLOSED:
        program_closed.send(sender=Program, program=program)
    return program


def eligibility_problem(program: Program, person: Person) -> str | None:
    """Why ``person`` may not join ``program``, or ``None`` if they may."""
    low, high = program.eligible_min_level, program.eligible_max_level
    if (low is not None and person.level < low) or (high is not None and person.level > high):
        return NOT_ELIGIBLE_LEVEL.format(
            program=program, low=low or 1, high=high or "any", level=person.level
        )
    departments = list(program.eligible_departments.all())
    if departments and person.department_id not in {d.pk for d in departments}:
        return NOT_ELIGIBLE_DEPARTMENT.format(
            program=program, departments=", ".join(d.name for d in departments)
        )
    return None


def _validate_answers(
    program: Program, role: str, mentor_capacity: int, focus_areas: Sequence[FocusAreaInput]
) -> None:
    errors: dict[str, str] = {}
    if program.kind == "peer" and role != Role.BOTH:
        errors["role"] = ROLE_NOT_ALLOWED
    if role in (Role.MENTEE, Role.BOTH):
        if not [fa for fa in focus_areas if fa.title.strip()]:
            errors["focus_areas"] = NEEDS_FOCUS_AREA
        elif len(focus_areas) > program.max_mentors_per_mentee:
            errors["focus_areas"] = TOO_MANY_FOCUS_AREAS.format(
                program=program, limit=program.max_mentors_per_mentee
            )
    if role in (Role.MENTOR, Role.BOTH):
        if mentor_capacity < 1:
            errors["mentor_capacity"] = NEEDS_CAPACITY
        elif mentor_capacity > program.max_mentees_per_mentor:
            errors["mentor_capacity"] = CAPACITY_OVER_LIMIT.format(
                program=program, limit=program.max_mentees_per_mentor
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def enrollment_join(
    *,
    program: Program,
    person: Person,
    role: str,
    mentor_capacity: int = 0,
    department_preference: str = "any",
    meeting_preference: str = "either",
    motivation: str = "",
    focus_areas: Sequence[FocusAreaInput] = (),
) -> Enrollment:
    """Join a program (or accept an invitation to it) with the answers to its questions.

    Invited people skip approval; otherwise programs that require approval put the
    enrollment in "awaiting approval".
    """
    existing = Enrollment.objects.select_for_update().filter(program=program, person=person).first()
    invited = existing is not None and existing.status == EnrollmentStatus.INVITED
    if existing is not None and existing.status in (
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.PENDING,
    ):
        raise ValidationError(ALREADY_ENROLLED.format(program=program))
    if not invited:
        if not program.is_enrollment_open():
            raise ValidationError(NOT_OPEN.format(program=program))
        problem = eligibility_problem(program, person)
        if problem:
            raise PermissionDenied(problem)
    focus_areas = [fa for fa in focus_areas if fa.title.strip()]
    _validate_answers(program, role, mentor_capacity, focus_areas)
    is_mentor = role in (Role.MENTOR, Role.BOTH)
    enrollment = existing or Enrollment(program=program, person=person)
    enrollment.role = role
    enrollment.mentor_capacity = mentor_capacity if is_mentor else 0
    enrollment.department_preference = department_preference
    enrollment.meeting_preference = meeting_preference
    enrollment.motivation = motivation.strip()
    enrollment.status = (
        EnrollmentStatus.PENDING
        if program.requires_approval and not invited
        else EnrollmentStatus.ACTIVE
    )
    enrollment.created_at = timezone.now()
    enrollment.decided_at = (
        None if enrollment.status == EnrollmentStatus.PENDING else timezone.now()
    )
    enrollment.full_clean(exclude=["program", "person", "invited_by"])
    try:
        enrollment.save()
    except IntegrityError:
        raise ValidationError(ALREADY_ENROLLED.format(program=program)) from None
    _retire_focus_areas(enrollment)
    if role in (Role.MENTEE, Role.BOTH):
        for position, item in enumerate(focus_areas):
            title, description = item.title.strip()[:120], item.description.strip()
            focus_area = FocusArea.objects.create(
                enrollment=enrollment,
                title=title,
                description=description,
                read_skills=read_skills(title, description),
                position=position,
            )
            focus_area.skills.set({skill_for_name(s).pk for s in item.skills if s.strip()})
    if is_mentor and program.waitlist_auto_match and enrollment.status == EnrollmentStatus.ACTIVE:
        announce_mentor_places_opened(program.pk)
    return enrollment


def _retire_focus_areas(enrollment: Enrollment) -> None:
    """Clear the way for new answers without losing history: focus areas that ever had a
    mentorship, request or proposal are kept (inactive); the rest are deleted."""
    for focus_area in FocusArea.objects.filter(enrollment=enrollment):
        used = (
            focus_area.mentorships.exists()
            or focus_area.requests.exists()
            or focus_area.proposals.exists()
        )
        if used:
            focus_area.is_active = False
            focus_area.save(update_fields=["is_active", "updated_at"])
        else:
            focus_area.delete()


@transaction.atomic
def enrollment_invite(
    *, program: Program, people: Sequence[Person], role: str, invited_by: Person | None
) -> list[Enrollment]:
    """Invite people to a program; each gets an email and joins with one click.

    People already enrolled (or awaiting approval) are left as they are.
    """
    if role not in Role.values:
        raise ValidationError({"role": BAD_ROLE.format(choices=", ".join(Role.values))})
    if program.status == ProgramStatus.DRAFT:
        raise ValidationError(DRAFT_NO_INVITES.format(program=program))
    invited: list[Enrollment] = []
    for person in people:
        if not person.is_active:
            raise ValidationError(LEFT_COMPANY.format(person=person))
        enrollment, created = Enrollment.objects.get_or_create(
            program=program,
            person=person,
            defaults={"role": role, "status": EnrollmentStatus.INVITED, "invited_by": invited_by},
        )
        if not created and enrollment.status in (
            EnrollmentStatus.DECLINED,
            EnrollmentStatus.WITHDRAWN,
        ):
            enrollment.status = EnrollmentStatus.INVITED
            enrollment.role = role
            enrollment.invited_by = invited_by
            enrollment.save(update_fields=["status", "role", "invited_by", "updated_at"])
            created = True
        if created:
            invited.append(enrollment)
            invitation_notify(enrollment)
    return invited


def _status_locked(enrollment: Enrollment) -> None:
    """Re-read the enrollment's status under a row lock, so two people acting at once (a
    double click, two admins, an admin deciding while the person leaves) each act on what the
    other left, not on the row as their page loaded it."""
    enrollment.status = (
        Enrollment.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=enrollment.pk)
    )


@transaction.atomic
def enrollment_decide(*, enrollment: Enrollment, approve: bool) -> Enrollment:
    """A program admin approves or declines an enrollment awaiting approval."""
    _status_locked(enrollment)
    if enrollment.status != EnrollmentStatus.PENDING:
        raise ValidationError(NOT_PENDING)
    enrollment.status = EnrollmentStatus.ACTIVE if approve else EnrollmentStatus.DECLINED
    enrollment.decided_at = timezone.now()
    enrollment.save(update_fields=["status", "decided_at", "updated_at"])
    return enrollment


NOT_A_MENTOR_ENROLLMENT = "Only mentors set a capacity."


@transaction.atomic
def enrollment_set_mentoring(
    *, enrollment: Enrollment, capacity: int, accepting_requests: bool
) -> Enrollment:
    """A mentor changes how many mentees they take and whether they take new ones now.

    Lowering capacity never ends a mentorship; it only stops new ones until places free up.
    Raising it lets the program's waitlist be matched (when the program does that).
    """
    if not enrollment.is_mentor:
        raise ValidationError(NOT_A_MENTOR_ENROLLMENT)
    program = enrollment.program
    if not 1 <= capacity <= program.max_mentees_per_mentor:
        raise ValidationError(
            {"mentor_capacity": CAPACITY_OVER_LIMIT.format(
                program=program, limit=program.max_mentees_per_mentor
            ) if capacity > 1 else NEEDS_CAPACITY}
        )  # fmt: skip
    grew = capacity > enrollment.mentor_capacity or (
        accepting_requests and not enrollment.accepting_requests
    )
    enrollment.mentor_capacity = capacity
    enrollment.accepting_requests = accepting_requests
    enrollment.save(update_fields=["mentor_capacity", "accepting_requests", "updated_at"])
    if grew and program.waitlist_auto_match and enrollment.status == EnrollmentStatus.ACTIVE:
        announce_mentor_places_opened(program.pk)
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment) -> Enrollment:
    """A participant leaves a program (or turns down an invitation). Their open requests and
    pending proposals, both ways, are withdrawn (the other people are told) and their
    mentorships in the program end."""
    _status_locked(enrollment)
    if enrollment.status in (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.DECLINED):
        raise ValidationError(
            CANNOT_WITHDRAW.format(status=enrollment.get_status_display().lower())
        )
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.decided_at = timezone.now()
    enrollment.save(update_fields=["status", "decided_at", "updated_at"])
    participation_ended.send(
        sender=Enrollment, person=enrollment.person, program=enrollment.program, reason=LEFT_PROGRAM
    )
    return enrollment


def agreement_template_for(program: Program) -> ProgramAgreementTemplate:
    """The program's agreement template, or the house default (unsaved) if admins set none."""
    found = ProgramAgreementTemplate.objects.filter(program=program).first()
    return found or ProgramAgreementTemplate(program=program)


@transaction.atomic
def agreement_template_update(*, program: Program, **fields: Any) -> ProgramAgreementTemplate:
    """Program admins set what new agreements in the program start from."""
    template, _ = ProgramAgreementTemplate.objects.get_or_create(program=program)
    changed = {
        name: [getattr(template, name), value]
        for name, value in fields.items()
        if getattr(template, name) != value
    }
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    if changed:
        audit_record(
            action=AuditAction.PROGRAM_SETTINGS_CHANGED,
            target=program,
            summary=f"Agreement template of {program.name} changed: " + ", ".join(sorted(changed)),
            details={"program": program.slug, "agreement_template": changed},
        )
    return template


READ_SKILL_UNKNOWN = (
    "“{skill}” was not read from the focus area “{owner}”, so there is nothing to remove."
)
READ_SKILL_NOT_REMOVED = "“{skill}” was not removed from the focus area “{owner}”."


def focus_area_remove_read_skill(*, focus_area: FocusArea, slug: str) -> FocusArea:
    """The mentee says a skill was read wrongly from this goal: matching stops using it."""
    return read_skill_set_removed(
        focus_area, slug=slug, removed=True, unknown=READ_SKILL_UNKNOWN,
        not_removed=READ_SKILL_NOT_REMOVED,
    )  # fmt: skip


def focus_area_restore_read_skill(*, focus_area: FocusArea, slug: str) -> FocusArea:
    """Undo :func:`focus_area_remove_read_skill`."""
    return read_skill_set_removed(
        focus_area, slug=slug, removed=False, unknown=READ_SKILL_UNKNOWN,
        not_removed=READ_SKILL_NOT_REMOVED,
    )  # fmt: skip
