"""Forms for the profile a person keeps themselves and for the HRIS upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mentorbridge.core.forms import CleanForm
from mentorbridge.core.parsing import parse_int
from mentorbridge.people.services import SkillEntry, parse_languages, tidy_phrases
from mentorbridge.people.validators import available_timezones

MAX_SKILLS = 30
SKILL_ROW_INCOMPLETE = "Row {n}: choose a level from 1 to 5 for “{name}”."
TOO_MANY_SKILLS = f"List at most {MAX_SKILLS} skills: the ones you use most."


class ProfileForm(CleanForm):
    """The parts of a profile a person edits; job, department and manager come from HR."""

    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000,
        help_text="A few sentences about your work and what you care about.",
    )  # fmt: skip
    career_goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000,
        help_text="Where you want to be in two or three years. Mentoring suggestions use this.",
    )  # fmt: skip
    expertise = forms.CharField(
        label="Areas of expertise", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: things you could teach others (e.g. “Scaling a support team”).",
    )  # fmt: skip
    languages = forms.CharField(
        required=False, help_text="Comma-separated, codes or names: en, German, hi."
    )
    timezone = forms.ChoiceField(choices=())
    mentoring_hours_per_month = forms.IntegerField(
        label="Hours a month for mentoring", min_value=0, max_value=80
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = sorted(available_timezones())
        self.fields["timezone"].choices = [(z, z.replace("_", " ")) for z in zones]  # type: ignore[attr-defined]

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages", "")
        try:
            return parse_languages(raw.split(","))
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_expertise(self) -> list[str]:
        return tidy_phrases(self.cleaned_data.get("expertise", "").splitlines())


def parse_skill_rows(names: list[str], levels: list[str]) -> tuple[list[SkillEntry], list[str]]:
    """Skill rows posted as parallel lists; returns entries and row-level error messages.

    The typed rows are kept by the caller on error, so nothing a person entered is lost.
    """
    entries: list[SkillEntry] = []
    errors: list[str] = []
    for n, (name, level) in enumerate(zip(names, levels, strict=False), start=1):
        name = " ".join(name.split())
        if not name:
            continue
        proficiency = parse_int(level, maximum=5)
        if proficiency is None or proficiency < 1:
            errors.append(SKILL_ROW_INCOMPLETE.format(n=n, name=name))
            continue
        if len(name) > 100:
            errors.append(f"Row {n}: skill names are at most 100 characters.")
            continue
        entries.append(SkillEntry(name=name, proficiency=proficiency))
    if len(entries) > MAX_SKILLS:
        errors.append(TOO_MANY_SKILLS)
    return entries, errors


class ImportForm(CleanForm):
    """An HRIS export to check (and, when it is clean, apply)."""

    file = forms.FileField(
        label="CSV file", help_text="UTF-8 CSV with a header row. See the column list below."
    )
    overwrite_profiles = forms.BooleanField(
        required=False,
        label="Also overwrite what people wrote on their profiles",
        help_text="Bio, career goals, expertise, skills, languages, timezone and mentoring hours. "
        "Off: the file fills these for new people only.",
    )
