"""Forms for the profile a person keeps themselves and for the HRIS upload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mentorbridge.core.forms import CleanForm, LongTextField
from mentorbridge.core.limits import (
    BIO_MAX_CHARS,
    CAREER_GOALS_MAX_CHARS,
    EXPERTISE_MAX_CHARS,
    MAX_SKILLS,
    SKILL_NAME_MAX_CHARS,
    expertise_problem,
)
from mentorbridge.core.parsing import parse_int
from mentorbridge.people.catalogue import fold, load_catalogue
from mentorbridge.people.services import (
    TOO_MANY_SKILLS,
    SkillEntry,
    parse_languages,
    skill_name_fits,
    tidy_phrases,
)
from mentorbridge.people.validators import available_timezones, validate_timezone

SKILL_ROW_INCOMPLETE = "Row {n}: choose a level from 1 to 5 for “{name}”."
SKILL_ROW_TOO_LONG = (
    f"Row {{n}}: skill names are at most {SKILL_NAME_MAX_CHARS} characters, counted as stored "
    "(ß counts as ss)."
)
SKILLS_TO_CONFIRM = (
    "Some skills are not in the catalogue: for each one marked below, pick the catalogue "
    "skill you mean or keep it as your own, then save again."
)
# The value of the "keep it as my own skill" choice next to a skill outside the catalogue.
KEEP_OWN = "__own__"


def skill_choice_field(name: str) -> str:
    """The form field that carries the choices for one skill outside the catalogue."""
    return f"skill_choice::{fold(name)}"


def timezone_names() -> list[str]:
    """Every IANA timezone, sorted, for the timezone picker's datalist."""
    return sorted(available_timezones())


class ProfileForm(CleanForm):
    """The parts of a profile a person edits; job, department and manager come from HR."""

    bio = LongTextField(
        max_length=BIO_MAX_CHARS, rows=4, required=False,
        help_text="A few sentences about your work and what you care about.",
    )  # fmt: skip
    career_goals = LongTextField(
        max_length=CAREER_GOALS_MAX_CHARS, required=False,
        help_text="Where you want to be in two or three years. Mentoring suggestions use this.",
    )  # fmt: skip
    expertise = LongTextField(
        label="Areas of expertise", max_length=EXPERTISE_MAX_CHARS, required=False,
        help_text="One per line: things you could teach others (e.g. “Scaling a support team”).",
    )  # fmt: skip
    languages = forms.CharField(
        required=False, max_length=500, help_text="Comma-separated, codes or names: en, German, hi."
    )
    timezone = forms.CharField(
        max_length=64,
        help_text="Type a city or region, e.g. Berlin or America/New_York.",
        widget=forms.TextInput(
            attrs={
                "list": "timezone-options",
                "autocomplete": "off",
                "spellcheck": "false",
                "data-timezone-picker": "",
            }
        ),
    )
    mentoring_hours_per_month = forms.IntegerField(
        label="Hours a month for mentoring", min_value=0, max_value=80
    )

    def clean_timezone(self) -> str:
        """An IANA name, forgiving case and spaces for underscores ("america/new york")."""
        typed = self.cleaned_data.get("timezone", "").strip()
        wanted = typed.replace(" ", "_").casefold()
        match = next((z for z in available_timezones() if z.casefold() == wanted), typed)
        validate_timezone(match)
        return match

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages", "")
        try:
            return parse_languages(raw.split(","))
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_expertise(self) -> list[str]:
        phrases = tidy_phrases(self.cleaned_data.get("expertise", "").splitlines())
        problem = expertise_problem(phrases)
        if problem:
            raise ValidationError(problem)
        return phrases


def parse_skill_rows(names: list[str], levels: list[str]) -> tuple[list[SkillEntry], list[str]]:
    """Skill rows posted as parallel lists; returns entries and row-level error messages.

    A row with a name needs a level: there is no default. The typed rows are kept by the
    caller on error, so nothing a person entered is lost.
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
        if not skill_name_fits(name):
            errors.append(SKILL_ROW_TOO_LONG.format(n=n))
            continue
        entries.append(SkillEntry(name=name, proficiency=proficiency))
    if len(entries) > MAX_SKILLS:
        errors.append(TOO_MANY_SKILLS)
    return entries, errors


CHOOSE_A_FILE = "Choose a CSV file to check or import."


@dataclass(frozen=True)
class SkillToConfirm:
    """A typed skill outside the catalogue, waiting for the person's choice."""

    name: str
    closest: list[str]

    @property
    def field(self) -> str:
        return skill_choice_field(self.name)


def resolve_skill_choices(
    entries: list[SkillEntry],
    unknown: dict[str, list[str]],
    choices_for: Callable[[str], list[str]],
) -> tuple[list[SkillEntry], dict[str, SkillToConfirm]]:
    """Apply the person's choices for skills outside the catalogue.

    ``unknown`` maps such names to their closest catalogue skills; ``choices_for(field)`` gives
    what was ticked for one of them: catalogue skills (each replaces the typed name, at its
    level) and/or :data:`KEEP_OWN`. Names with no choice yet are returned to be confirmed.
    """
    catalogue = load_catalogue()
    resolved: list[SkillEntry] = []
    pending: dict[str, SkillToConfirm] = {}
    for entry in entries:
        closest = unknown.get(entry.name)
        if closest is None:
            resolved.append(entry)
            continue
        picks = choices_for(skill_choice_field(entry.name))
        if not picks:
            pending[entry.name] = SkillToConfirm(name=entry.name, closest=closest)
            resolved.append(entry)
            continue
        if KEEP_OWN in picks:
            resolved.append(entry)
        for pick in picks:
            skill = catalogue.canonical(pick) if pick != KEEP_OWN else None
            if skill is not None:
                resolved.append(SkillEntry(name=skill.name, proficiency=entry.proficiency))
    return resolved, pending


class ImportForm(CleanForm):
    """An HRIS export to check (and, when it is clean, apply). ``checked`` names a file this
    session already checked, so it can be imported without choosing it again."""

    file = forms.FileField(
        label="CSV file", required=False,
        help_text="UTF-8 CSV with a header row. See the column list below.",
    )  # fmt: skip
    checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    overwrite_profiles = forms.BooleanField(
        required=False,
        label="Also overwrite what people wrote on their profiles",
        help_text="Bio, career goals, expertise, skills, languages, timezone and mentoring hours. "
        "Off: the file fills these for new people only.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("checked"):
            self.add_error("file", CHOOSE_A_FILE)
        return data
