"""Forms for creating programs, joining them and inviting people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from mentorbridge.core.forms import CleanForm, CleanModelForm, limit_length
from mentorbridge.core.limits import (
    AGREEMENT_TEXT_MAX_CHARS,
    FOCUS_AREA_DESCRIPTION_MAX_CHARS,
    FOCUS_AREA_TITLE_MAX_CHARS,
    MOTIVATION_MAX_CHARS,
    PROGRAM_DESCRIPTION_MAX_CHARS,
)
from mentorbridge.people.models import Department, Person
from mentorbridge.programs.models import (
    DepartmentPreference,
    MeetingPreference,
    Program,
    ProgramAgreementTemplate,
    Role,
)
from mentorbridge.programs.services import FocusAreaInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


FOCUS_TITLE_TOO_LONG = (
    f"Focus area {{n}}: the goal is at most {FOCUS_AREA_TITLE_MAX_CHARS} characters "
    "(this has {length})."
)
FOCUS_DESCRIPTION_TOO_LONG = (
    f"Focus area {{n}}: “What you want to be able to do” is at most "
    f"{FOCUS_AREA_DESCRIPTION_MAX_CHARS} characters (this has {{length}})."
)
UNKNOWN_ADMINS = "No one found for: {items}. Use work emails or employee IDs."


class ProgramForm(CleanModelForm):
    """A program's settings, as its admins see them."""

    admin_people = forms.CharField(
        label="Other program admins", required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Work emails or employee IDs, separated by commas. You stay an admin.",
    )  # fmt: skip

    eligible_departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Leave empty to open the program to every department.",
    )  # fmt: skip

    class Meta:
        model = Program
        fields = [
            "name", "description", "kind", "always_open", "cohort_starts_on", "cohort_ends_on",
            "enrollment_opens_on", "enrollment_closes_on", "default_cadence",
            "default_duration_weeks", "max_mentees_per_mentor", "max_mentors_per_mentee",
            "max_open_requests", "request_expiry_days", "requires_approval", "accepts_requests",
            "waitlist_auto_match",
            "semantic_matching",
            "eligible_min_level", "eligible_max_level", "eligible_departments",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "cohort_starts_on": DATE, "cohort_ends_on": DATE,
            "enrollment_opens_on": DATE, "enrollment_closes_on": DATE,
        }  # fmt: skip
        labels = {"default_duration_weeks": "Default duration (weeks)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["admin_people"].initial = ", ".join(
                p.user.email for p in self.instance.admins.select_related("user")
            )

    def clean_admin_people(self) -> list[Person]:
        items = [
            item.strip()
            for item in self.cleaned_data.get("admin_people", "").replace("\n", ",").split(",")
            if item.strip()
        ]
        people = list(
            Person.objects.filter(
                Q(user__email__in=[i.lower() for i in items]) | Q(employee_id__in=items)
            ).select_related("user")
        )
        found = {p.user.email for p in people} | {p.employee_id for p in people}
        missing = [i for i in items if i not in found and i.lower() not in found]
        if missing:
            raise forms.ValidationError(UNKNOWN_ADMINS.format(items=", ".join(missing)))
        return people


limit_length(ProgramForm, {"description": PROGRAM_DESCRIPTION_MAX_CHARS})


class JoinForm(CleanForm):
    """The program's questions: role, capacity, preferences and focus areas."""

    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect, label="Join as")
    mentor_capacity = forms.IntegerField(
        label="Mentees you can take at once", min_value=0, max_value=50, initial=1, required=False
    )
    department_preference = forms.ChoiceField(
        choices=DepartmentPreference.choices, label="Mentor from", initial="any"
    )
    meeting_preference = forms.ChoiceField(
        choices=MeetingPreference.choices, label="Meet", initial="either"
    )
    motivation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MOTIVATION_MAX_CHARS,
        label="Anything the program team should know?",
    )  # fmt: skip

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        if program.kind == "peer":
            self.fields["role"].choices = [(Role.BOTH, Role.BOTH.label)]  # type: ignore[attr-defined]
            self.fields["role"].initial = Role.BOTH
        self.fields["mentor_capacity"].max_value = program.max_mentees_per_mentor  # type: ignore[attr-defined]
        self.fields[
            "mentor_capacity"
        ].help_text = f"Up to {program.max_mentees_per_mentor} in this program."

    # Limits the template shows (counters, maxlength); the same ones the model and API use.
    focus_title_max = FOCUS_AREA_TITLE_MAX_CHARS
    focus_description_max = FOCUS_AREA_DESCRIPTION_MAX_CHARS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n, item in enumerate(self.focus_areas(), start=1):
            if len(item.title) > FOCUS_AREA_TITLE_MAX_CHARS:
                self.add_error(None, FOCUS_TITLE_TOO_LONG.format(n=n, length=len(item.title)))
            if len(item.description) > FOCUS_AREA_DESCRIPTION_MAX_CHARS:
                self.add_error(
                    None, FOCUS_DESCRIPTION_TOO_LONG.format(n=n, length=len(item.description))
                )
        return cleaned

    def focus_areas(self) -> list[FocusAreaInput]:
        """Focus-area rows posted as ``fa-N-title``, ``fa-N-description``, ``fa-N-skills``."""
        items = []
        for n in range(self.program.max_mentors_per_mentee):
            title = self.data.get(f"fa-{n}-title", "").strip()
            if title:
                items.append(
                    FocusAreaInput(
                        title=title,
                        description=self.data.get(f"fa-{n}-description", "")
                        .replace("\r\n", "\n")
                        .strip(),
                        skills=[s for s in self.data.get(f"fa-{n}-skills", "").split(",")],
                    )
                )
        return items


class InviteForm(CleanForm):
    """Invite people by work email or employee ID, one per line or comma-separated."""

    people = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=100_000,
        label="People to invite",
        help_text="Work emails or employee IDs, separated by commas or new lines.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MENTEE, label="Invite as")

    def identifiers(self) -> list[str]:
        raw = self.cleaned_data["people"].replace(",", "\n").replace(";", "\n")
        return [item.strip() for item in raw.splitlines() if item.strip()]


class AgreementTemplateForm(forms.ModelForm):
    """What new mentorship agreements in the program start from."""

    class Meta:
        model = ProgramAgreementTemplate
        fields = ["points", "meeting_minutes", "channel", "confidentiality", "feedback"]
        widgets = {
            "points": forms.Textarea(attrs={"rows": 4}),
            "confidentiality": forms.Textarea(attrs={"rows": 2}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
        }


limit_length(
    AgreementTemplateForm,
    dict.fromkeys(["points", "confidentiality", "feedback"], AGREEMENT_TEXT_MAX_CHARS),
)
