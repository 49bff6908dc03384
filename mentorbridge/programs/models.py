"""Programs, enrollments and the focus areas mentees want a mentor for."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mentorbridge.core.limits import FOCUS_AREA_DESCRIPTION_MAX_CHARS, FOCUS_AREA_TITLE_MAX_CHARS
from mentorbridge.people.models import Department, Person, Skill
from mentorbridge.people.skill_reading import shown_read_skills


class ProgramKind(models.TextChoices):
    TRADITIONAL = "traditional", "Traditional (senior mentors junior)"
    REVERSE = "reverse", "Reverse (junior mentors senior)"
    PEER = "peer", "Peer (colleagues at a similar level)"
    GROUP = "group", "Group (one mentor, several mentees)"


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ENROLLING = "enrolling", "Enrolling"
    MATCHING = "matching", "Matching"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


# Allowed status moves: a program goes forward, and may go back one step before it runs.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProgramStatus.DRAFT: (ProgramStatus.ENROLLING,),
    ProgramStatus.ENROLLING: (ProgramStatus.DRAFT, ProgramStatus.MATCHING),
    ProgramStatus.MATCHING: (ProgramStatus.ENROLLING, ProgramStatus.RUNNING),
    ProgramStatus.RUNNING: (ProgramStatus.CLOSED,),
    ProgramStatus.CLOSED: (),
}


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"


class Program(models.Model):
    """A mentoring program run by program admins: who may join, when, and on what terms."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=ProgramKind, default=ProgramKind.TRADITIONAL)
    status = models.CharField(max_length=20, choices=ProgramStatus, default=ProgramStatus.DRAFT)
    always_open = models.BooleanField(
        default=False, help_text="No cohort: people can join and find mentors at any time."
    )
    cohort_starts_on = models.DateField(null=True, blank=True)
    cohort_ends_on = models.DateField(null=True, blank=True)
    enrollment_opens_on = models.DateField(null=True, blank=True)
    enrollment_closes_on = models.DateField(null=True, blank=True)
    default_cadence = models.CharField(max_length=20, choices=Cadence, default=Cadence.BIWEEKLY)
    default_duration_weeks = models.PositiveSmallIntegerField(
        default=26, validators=[MinValueValidator(1), MaxValueValidator(260)]
    )
    max_mentees_per_mentor = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    max_mentors_per_mentee = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many focus areas (each with its own mentor) a mentee may have.",
    )  # fmt: skip
    max_open_requests = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Open mentor requests a mentee may have at once.",
    )  # fmt: skip
    request_expiry_days = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    semantic_matching = models.CharField(
        "semantic matching", max_length=3, blank=True, default="",
        choices=[("", "Site default"), ("on", "On"), ("off", "Off")],
        help_text="Match goals and profiles by meaning as well as words (sentence embeddings). "
        "Site default: the MENTORBRIDGE_SEMANTIC_MATCHING environment variable.",
    )  # fmt: skip
    waitlist_auto_match = models.BooleanField(
        "match the waitlist automatically", default=False,
        help_text="When a mentor place frees up, match waiting mentees without a new round.",
    )  # fmt: skip
    accepts_requests = models.BooleanField(
        "mentees may request mentors", default=True,
        help_text="Mentees find and request mentors themselves (alongside matching rounds).",
    )  # fmt: skip
    requires_approval = models.BooleanField(
        default=False, help_text="Program admins approve each enrollment."
    )
    eligible_min_level = models.PositiveSmallIntegerField(null=True, blank=True)
    eligible_max_level = models.PositiveSmallIntegerField(null=True, blank=True)
    eligible_departments = models.ManyToManyField(
        Department, blank=True, related_name="eligible_programs",
        help_text="Leave empty to open the program to every department.",
    )  # fmt: skip
    admins = models.ManyToManyField(Person, related_name="administered_programs", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs-detail", args=[self.slug])

    def is_enrollment_open(self, today: datetime.date | None = None) -> bool:
        """People may join now: the program is enrolling (or running and always open) and the
        enrollment window, if any, includes today."""
        today = today or timezone.localdate()
        if self.status == ProgramStatus.ENROLLING:
            pass
        elif not (self.always_open and self.status == ProgramStatus.RUNNING):
            return False
        if self.enrollment_opens_on and today < self.enrollment_opens_on:
            return False
        return not (self.enrollment_closes_on and today > self.enrollment_closes_on)

    def allowed_next_statuses(self) -> tuple[str, ...]:
        return STATUS_TRANSITIONS[self.status]

    def is_matching_open(self) -> bool:
        """Requests, rounds and proposals happen only while enrolling, matching or running."""
        return self.status in (
            ProgramStatus.ENROLLING,
            ProgramStatus.MATCHING,
            ProgramStatus.RUNNING,
        )

    def clean(self) -> None:
        """Paired settings must be in order (forms and the API both end up here)."""
        errors = {}
        pairs = [
            ("cohort_starts_on", "cohort_ends_on", "The cohort must end after it starts."),
            ("enrollment_opens_on", "enrollment_closes_on", "Enrollment must close after opening."),
            ("eligible_min_level", "eligible_max_level", "The lowest level exceeds the highest."),
        ]  # fmt: skip
        for start, end, message in pairs:
            low, high = getattr(self, start), getattr(self, end)
            if low is not None and high is not None and low > high:
                errors[end] = message
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"
    BOTH = "both", "Mentee and mentor"


class EnrollmentStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    PENDING = "pending", "Awaiting approval"
    ACTIVE = "active", "Enrolled"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DepartmentPreference(models.TextChoices):
    ANY = "any", "No preference"
    SAME = "same", "Someone from my department"
    DIFFERENT = "different", "Someone from another department"


class MeetingPreference(models.TextChoices):
    EITHER = "either", "Either"
    VIRTUAL = "virtual", "Virtual"
    IN_PERSON = "in_person", "In person"


class Enrollment(models.Model):
    """A person's place in a program as mentee, mentor or both, with their answers."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(max_length=10, choices=Role)
    status = models.CharField(
        max_length=12, choices=EnrollmentStatus, default=EnrollmentStatus.ACTIVE
    )
    accepting_requests = models.BooleanField(
        default=True, help_text="Mentors can pause new requests and proposals at any time."
    )
    mentor_capacity = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(50)],
        help_text="How many mentees you can mentor at once.",
    )  # fmt: skip
    department_preference = models.CharField(
        max_length=10, choices=DepartmentPreference, default=DepartmentPreference.ANY
    )
    meeting_preference = models.CharField(
        max_length=10, choices=MeetingPreference, default=MeetingPreference.EITHER
    )
    motivation = models.TextField(blank=True, help_text="Anything the program admins should know.")
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="enrollment_unique"),
        ]
        indexes = [models.Index(fields=["program", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.program} as {self.get_role_display()}"

    @property
    def is_mentee(self) -> bool:
        return self.role in (Role.MENTEE, Role.BOTH)

    @property
    def is_mentor(self) -> bool:
        return self.role in (Role.MENTOR, Role.BOTH)


class ActiveFocusAreas(models.Manager["FocusArea"]):
    """Focus areas the mentee still has. Replaced ones stay, inactive, for their history."""

    def get_queryset(self) -> models.QuerySet[FocusArea]:
        return super().get_queryset().filter(is_active=True)


class FocusArea(models.Model):
    """A goal a mentee wants a mentor for; each focus area gets its own mentor.

    When a mentee re-joins with new goals, old focus areas that have a mentorship, request or
    proposal are kept inactive (history and the "ended early" rule depend on them); the
    default manager, and so ``enrollment.focus_areas``, shows only active ones.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="focus_areas")
    is_active = models.BooleanField(default=True)
    title = models.CharField(max_length=FOCUS_AREA_TITLE_MAX_CHARS)
    description = models.TextField(
        blank=True, max_length=FOCUS_AREA_DESCRIPTION_MAX_CHARS,
        validators=[MaxLengthValidator(FOCUS_AREA_DESCRIPTION_MAX_CHARS)],
        help_text="What you want to be able to do.",
    )  # fmt: skip
    skills = models.ManyToManyField(Skill, blank=True, related_name="focus_areas")
    read_skills = models.JSONField(
        "skills read from the goal", default=list, blank=True,
        help_text="Catalogue skill slugs read from the title and description.",
    )  # fmt: skip
    removed_read_skills = models.JSONField(
        "read skills removed by the mentee", default=list, blank=True,
        help_text="Slugs the mentee said were read wrongly; never read again.",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    all_objects = models.Manager()
    objects = ActiveFocusAreas()

    class Meta:
        ordering = ["position", "id"]
        default_manager_name = "objects"
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return self.title

    def wanted_skills(self) -> dict[str, str]:
        """Slug -> name of every skill matching counts for this goal: the skills picked by
        hand, then those read from its words that the mentee did not remove."""
        wanted = {s.slug: s.name for s in self.skills.all()}
        wanted.update(shown_read_skills(self.read_skills, self.removed_read_skills, wanted))
        return wanted


class MeetingChannel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


class ProgramAgreementTemplate(models.Model):
    """What a mentorship agreement in this program starts from (its cadence and duration come
    from the program's own defaults). Program admins edit it on the program's settings page."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="agreement_template"
    )
    points = models.TextField(
        "default points", blank=True,
        help_text="One per line: what every pair in this program agrees to.",
    )  # fmt: skip
    meeting_minutes = models.PositiveSmallIntegerField(
        "meeting length (minutes)", default=45,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )  # fmt: skip
    channel = models.CharField(max_length=10, choices=MeetingChannel, default=MeetingChannel.VIDEO)
    confidentiality = models.TextField(
        blank=True, default="What we talk about stays between us unless we both agree otherwise."
    )
    feedback = models.TextField(
        "how we give feedback", blank=True,
        default="We say what works and what doesn't at the end of each meeting.",
    )  # fmt: skip

    def __str__(self) -> str:
        return f"Agreement template of {self.program}"


class ProgramChange(models.Model):
    """A write to a program's enrollments, focus areas or focus-area skills: one row per
    writing statement and program, added by the database's own triggers (migration
    ``0009_program_changes``), so every write path counts — services, ``bulk_create``,
    ``QuerySet.update``, deletes and raw SQL alike. Nothing in Python writes it.

    The suggestions' cache stamp reads the count and the highest id of a program's rows (an
    index-only scan of that program's rows) instead of counting its enrollments, focus areas
    and their skills. The count sees a writer that commits after a later one (ids are taken
    in statement order, rows become visible in commit order); on PostgreSQL the id comes from a
    sequence and is never reused, even after a rollback, so a stamp read inside a transaction
    that rolls back is never taken by another change. No foreign key on purpose: a row here
    locks nothing. Python writes only when it cuts a long log (``programs.changes``, queued by
    the scheduler), and then leaves one fresh row above every id taken before."""

    id = models.BigAutoField(primary_key=True)
    program_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["program_id", "id"], name="programs_change_program_id")]

    def __str__(self) -> str:
        return f"change {self.pk} of program {self.program_id}"
