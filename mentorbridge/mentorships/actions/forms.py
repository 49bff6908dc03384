"""The form for a new action item (on a meeting's page)."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorbridge.mentorships.actions.selectors import first_due_date
from mentorbridge.mentorships.actions.services import TITLE_NEEDED
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionItemForm(forms.Form):
    title = forms.CharField(
        label="Action item", max_length=300, error_messages={"required": TITLE_NEEDED}
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), label="Who")
    due_on = forms.DateField(label="Due", required=False, widget=DATE)
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False)

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        # The meeting page's ids: action-title, action-owner, action-due_on.
        kwargs.setdefault("auto_id", "action-%s")
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Person.objects.filter(pk__in=mentorship.participant_ids)
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        meeting.queryset = Meeting.objects.filter(mentorship=mentorship)
        self.fields["due_on"].widget.attrs["min"] = first_due_date(mentorship).isoformat()
