"""Forms for shared and private notes."""

from __future__ import annotations

from django import forms

from mentorbridge.mentorships.notes.services import NOTE_MOST


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note", required=False, max_length=NOTE_MOST, widget=forms.Textarea(attrs={"rows": 3})
    )
