"""People: profiles linked to sign-in accounts, departments and normalised skills."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from mentorbridge.core.limits import BIO_MAX_CHARS, CAREER_GOALS_MAX_CHARS, SKILL_NAME_MAX_CHARS
from mentorbridge.people.validators import (
    LANGUAGE_NAMES,
    validate_expertise,
    validate_languages,
    validate_timezone,
)


class Department(models.Model):
    """An organisational unit, created on demand by the HRIS import or the admin."""

    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="department_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A normalised skill tag. ``slug`` is the folded name; synonyms resolve via the catalogue."""

    name = models.CharField(max_length=SKILL_NAME_MAX_CHARS)
    slug = models.CharField(max_length=SKILL_NAME_MAX_CHARS, unique=True)
    area = models.CharField(max_length=60, blank=True, help_text="Catalogue area, if curated.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


PROFICIENCY_LABELS = {1: "Learning", 2: "Working", 3: "Skilled", 4: "Advanced", 5: "Expert"}


class Person(models.Model):
    """An employee's profile. Everyone is a participant; mentor and mentee are program roles."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    employee_id = models.CharField("employee ID", max_length=40, unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    job_title = models.CharField(max_length=120, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    location = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(
        "timezone", max_length=64, default="UTC", validators=[validate_timezone]
    )
    languages = models.JSONField(
        default=list, blank=True, validators=[validate_languages],
        help_text="ISO 639-1 codes, e.g. [\"en\", \"de\"].",
    )  # fmt: skip
    level = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Grade or level; higher is more senior.",
    )  # fmt: skip
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    hire_date = models.DateField(null=True, blank=True)
    skills: models.ManyToManyField[Skill, PersonSkill] = models.ManyToManyField(
        Skill, through="PersonSkill", related_name="people", blank=True
    )
    expertise = models.JSONField(
        "areas of expertise", default=list, blank=True, validators=[validate_expertise],
        help_text="Short phrases: what you could teach others.",
    )  # fmt: skip
    bio = models.TextField(
        blank=True, max_length=BIO_MAX_CHARS, validators=[MaxLengthValidator(BIO_MAX_CHARS)]
    )
    career_goals = models.TextField(
        blank=True, max_length=CAREER_GOALS_MAX_CHARS,
        validators=[MaxLengthValidator(CAREER_GOALS_MAX_CHARS)],
    )  # fmt: skip
    mentoring_hours_per_month = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(80)],
        help_text="Hours a month you can give to mentoring.",
    )  # fmt: skip
    read_skills = models.JSONField(
        "skills read from the profile", default=list, blank=True,
        help_text="Catalogue skill slugs read from the expertise and bio (skill_reading).",
    )  # fmt: skip
    removed_read_skills = models.JSONField(
        "read skills removed by the person", default=list, blank=True,
        help_text="Slugs the person said were read wrongly; never read again.",
    )  # fmt: skip
    is_active = models.BooleanField("active", default=True)
    left_on = models.DateField("left date", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        permissions = [("import_people", "Can import people from an HRIS file")]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["level"]),
            models.Index(fields=["location"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people-profile", args=[self.employee_id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()

    @property
    def language_names(self) -> list[str]:
        return [LANGUAGE_NAMES.get(code, code) for code in self.languages]


class PersonSkill(models.Model):
    """A skill a person has, with a proficiency from 1 (learning) to 5 (expert)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="person_skills")
    proficiency = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["-proficiency", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="person_skill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.proficiency})"

    @property
    def proficiency_label(self) -> str:
        return PROFICIENCY_LABELS.get(self.proficiency, str(self.proficiency))
