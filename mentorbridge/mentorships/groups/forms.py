"""Adding a mentee to a group: their work email or employee ID."""

from __future__ import annotations

from django import forms

from mentorbridge.core.forms import CleanForm
from mentorbridge.core.limits import IDENTIFIER_MAX_CHARS


class GroupMemberForm(CleanForm):
    person = forms.CharField(
        label="Work email or employee ID",
        max_length=IDENTIFIER_MAX_CHARS,
        help_text="A mentee enrolled in the program; they take one of the mentor's places.",
    )
