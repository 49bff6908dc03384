"""The agreement form: every term of a version, and what changed in a few words."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorbridge.core.forms import limit_length
from mentorbridge.core.limits import AGREEMENT_TEXT_MAX_CHARS
from mentorbridge.mentorships.agreements.models import AGREEMENT_FIELDS, AgreementVersion
from mentorbridge.mentorships.agreements.selectors import mentee_hopes_label
from mentorbridge.mentorships.agreements.services import AgreementTerms
from mentorbridge.mentorships.models import Mentorship

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.ModelForm):
    """Edit the agreement; saving makes a new version that both confirm again."""

    video_link = forms.URLField(
        label="Video link", max_length=500, required=False, assume_scheme="https",
        help_text="For video calls: the link you'll both use.",
    )  # fmt: skip

    class Meta:
        model = AgreementVersion
        fields = [*AGREEMENT_FIELDS, "change_note"]
        widgets = {
            "mentee_hopes": forms.Textarea(attrs={"rows": 3}),
            "mentor_hopes": forms.Textarea(attrs={"rows": 3}),
            "confidentiality": forms.Textarea(attrs={"rows": 2}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
            "points": forms.Textarea(attrs={"rows": 4}),
            "ends_on": DATE,
        }
        labels = {"change_note": "What you changed (optional)"}
        help_texts = {
            "place": "For meetings in person: an office, a room, a café.",
            "ends_on": "Leave empty to end after the duration.",
            "points": "One per line.",
        }

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee_hopes"].label = mentee_hopes_label(mentorship)
        self.fields["mentor_hopes"].label = f"What {mentorship.mentor.first_name} wants from it"
        self.fields["ends_on"].required = False
        self.fields["change_note"].required = False

    def _post_clean(self) -> None:
        """The service validates the version (it knows the mentorship); not the bare model."""

    def terms(self) -> AgreementTerms:
        return AgreementTerms(**{name: self.cleaned_data[name] for name in AGREEMENT_FIELDS})


limit_length(
    AgreementForm,
    dict.fromkeys(
        ["mentee_hopes", "mentor_hopes", "confidentiality", "feedback", "points"],
        AGREEMENT_TEXT_MAX_CHARS,
    ),
)


class ConfirmForm(forms.Form):
    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
