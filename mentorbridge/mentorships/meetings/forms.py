"""Forms for planning, moving, marking and logging meetings, and for agenda items. Times are
entered on the viewer's own clock (their profile's timezone)."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms

from mentorbridge.mentorships.meetings.models import AgendaKind
from mentorbridge.mentorships.meetings.selectors import MeetingTerms
from mentorbridge.mentorships.meetings.services import AGENDA_TEXT_NEEDED, SERIES_MOST
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Cadence, MeetingChannel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(forms.Form):
    """When, how long and where. The time is on the viewer's clock."""

    date = forms.DateField(widget=DATE)
    time = forms.TimeField(widget=TIME)
    minutes = forms.IntegerField(label="Length (minutes)", min_value=15, max_value=240)
    channel = forms.ChoiceField(label="Where we meet", choices=MeetingChannel.choices)
    place = forms.CharField(max_length=200, required=False, help_text="For in person.")
    video_link = forms.URLField(
        label="Video link", max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(person.timezone or "UTC")
        self.fields["time"].help_text = f"Your time ({person.timezone or 'UTC'})."

    @classmethod
    def initial_from(cls, terms: MeetingTerms) -> dict[str, object]:
        return {
            "minutes": terms.minutes, "channel": terms.channel, "place": terms.place,
            "video_link": terms.video_link,
        }  # fmt: skip

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return datetime.datetime.combine(data["date"], data["time"]).replace(tzinfo=self.zone)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(), "minutes": data["minutes"], "channel": data["channel"],
            "place": data["place"], "video_link": data["video_link"],
        }  # fmt: skip


class PlanForm(MeetingForm):
    """A meeting or a series at a cadence."""

    count = forms.IntegerField(
        label="How many meetings", min_value=1, max_value=SERIES_MOST, initial=1,
        help_text="More than one plans a series at the cadence below.",
    )  # fmt: skip
    cadence = forms.ChoiceField(choices=Cadence.choices)


SCOPE_CHOICES = [
    ("this", "This meeting only"),
    ("following", "This and the following meetings of the series"),
]


class MoveForm(MeetingForm):
    """Moving a meeting; for one of a series, also the following ones."""

    scope = forms.ChoiceField(
        label="Move", choices=SCOPE_CHOICES, initial="this", required=False,
        widget=forms.RadioSelect,
        help_text="The following ones shift by the same time and take the same length and place.",
    )  # fmt: skip

    def terms(self) -> dict[str, Any]:
        return {**super().terms(), "scope": self.cleaned_data.get("scope") or "this"}


class MarkForm(forms.Form):
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)
    scope = forms.ChoiceField(choices=SCOPE_CHOICES, required=False)


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=AgendaKind.choices)
    text = forms.CharField(
        label="Agenda item", max_length=500, error_messages={"required": AGENDA_TEXT_NEEDED}
    )
