from __future__ import annotations

from django import forms

from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.mentorships.health.services import CARE_FIELDS


class CareForm(forms.ModelForm):
    class Meta:
        model = CareSettings
        fields = CARE_FIELDS


class ReachOutForm(forms.Form):
    to = forms.ChoiceField(
        label="Send to",
        choices=[("both", "Both"), ("mentee", "The mentee"), ("mentor", "The mentor")],
    )
    subject = forms.CharField(max_length=200, initial="How is your mentorship going?")
    message = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
