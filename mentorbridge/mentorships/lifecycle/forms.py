from __future__ import annotations

from django import forms

from mentorbridge.mentorships.lifecycle.models import GoalsReached, Recommend

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PauseForm(forms.Form):
    reason = forms.CharField(label="Why pause?", max_length=300)
    resume_on = forms.DateField(label="Resume on", widget=DATE)


class ExtendForm(forms.Form):
    resume_on = forms.DateField(label="Resume on", widget=DATE)


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


class IntroductionForm(forms.Form):
    colleague = forms.CharField(
        label="Colleague (employee ID or work email)", max_length=254,
        help_text="Find them under People.",
    )  # fmt: skip
    note = forms.CharField(
        label="Why should they talk?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The colleague reads this and the two names, nothing else of the mentorship.",
    )  # fmt: skip
