from __future__ import annotations

from typing import Any

from django import forms

from mentorbridge.mentorships.checkins.models import Visibility
from mentorbridge.mentorships.forms import offer_people
from mentorbridge.mentorships.lifecycle.models import GoalsReached, Recommend
from mentorbridge.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _who() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Who reads this answer", choices=Visibility.choices, initial=Visibility.TEAM,
        widget=forms.Select,
    )  # fmt: skip


class PauseForm(forms.Form):
    reason = forms.CharField(label="Why pause?", max_length=300)
    resume_on = forms.DateField(label="Resume on", widget=DATE)


class ExtendForm(forms.Form):
    resume_on = forms.DateField(label="Keep it paused until", widget=DATE)


class ClosureForm(forms.Form):
    goals_reached = forms.ChoiceField(
        label="Did you reach your goals?", choices=GoalsReached.choices, widget=forms.RadioSelect
    )
    what_helped = forms.CharField(
        label="What helped most?", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    would_recommend = forms.ChoiceField(
        label="Would you recommend this mentorship's other person to a colleague?",
        choices=Recommend.choices, widget=forms.RadioSelect,
    )  # fmt: skip
    overall = forms.TypedChoiceField(
        label="Overall (1 = poor, 5 = excellent)", choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int, widget=forms.RadioSelect,
    )  # fmt: skip
    stay_in_touch = forms.BooleanField(label="I'd like to stay in touch", required=False)
    goals_reached_visibility = _who()
    what_helped_visibility = _who()
    would_recommend_visibility = _who()
    overall_visibility = _who()

    def answers(self) -> dict[str, Any]:
        """The survey's answers and, under ``visibility``, who reads each."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.endswith("_visibility")}
        data["visibility"] = {
            k.removesuffix("_visibility"): v
            for k, v in self.cleaned_data.items()
            if k.endswith("_visibility")
        }
        return data


class IntroductionForm(forms.Form):
    mentee = forms.ChoiceField(label="Whom to introduce", required=False)
    colleague = forms.CharField(
        label="Colleague (employee ID or work email)", max_length=254,
        help_text="Find them under People.",
    )  # fmt: skip
    note = forms.CharField(
        label="Why should they talk?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The colleague reads this and the two names, nothing else of the mentorship.",
    )  # fmt: skip

    def __init__(self, *args: Any, mentees: list[Person], **kwargs: Any) -> None:
        """``mentees``: the mentorship's mentees; a choice only in a group."""
        super().__init__(*args, **kwargs)
        offer_people(self, "mentee", mentees)
