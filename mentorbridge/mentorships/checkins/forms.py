"""The check-in form and the feedback note form."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorbridge.mentorships.checkins.models import Visibility, Working
from mentorbridge.mentorships.forms import offer_people
from mentorbridge.people.models import Person

SCALE = [(n, str(n)) for n in range(1, 6)]


def _who(initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Who sees this answer", choices=Visibility.choices, initial=initial,
        widget=forms.Select,
    )  # fmt: skip


class CheckInForm(forms.Form):
    occasion = forms.CharField(widget=forms.HiddenInput, max_length=40)
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with the mentorship? (1 = not at all, 5 = very)",
        choices=SCALE, coerce=int, widget=forms.RadioSelect,
    )  # fmt: skip
    satisfaction_visibility = _who(Visibility.OTHER)
    progress = forms.TypedChoiceField(
        label="Progress toward your goals (1 = none yet, 5 = a lot)",
        choices=SCALE, coerce=int, widget=forms.RadioSelect,
    )  # fmt: skip
    progress_visibility = _who(Visibility.OTHER)
    working = forms.ChoiceField(
        label="Is this working for you?", choices=Working.choices, widget=forms.RadioSelect
    )
    working_visibility = _who(Visibility.TEAM)
    text = forms.CharField(
        label="Anything else?", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    text_visibility = _who(Visibility.TEAM)

    def visibility(self) -> dict[str, str]:
        return {
            f: self.cleaned_data[f"{f}_visibility"]
            for f in ("satisfaction", "progress", "working", "text")
        }


class FeedbackForm(forms.Form):
    going_well = forms.CharField(
        label="What's going well", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    could_be_better = forms.CharField(
        label="What could be better", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class ThanksForm(forms.Form):
    to = forms.ChoiceField(label="Whom to thank", required=False)
    message = forms.CharField(
        label="Your thank-you note", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    occasion = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args: Any, others: list[Person], **kwargs: Any) -> None:
        """``others``: everyone else in the mentorship. In a pair the note goes to the one
        other person (no choice shown); in a group the thanker picks."""
        super().__init__(*args, **kwargs)
        offer_people(self, "to", others)


class DisplayForm(forms.Form):
    on_profile = forms.BooleanField(label="Show on my profile", required=False)
    manager_can_see = forms.BooleanField(label="Let my manager see it", required=False)
