from __future__ import annotations

from typing import Any

from django import forms

from mentorbridge.notifications.kinds import KINDS
from mentorbridge.notifications.models import Channel


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in KINDS.items():
            self.fields[name] = forms.ChoiceField(
                label=kind.label, help_text=kind.description, choices=Channel.choices,
                initial=current[name], widget=forms.Select,
            )  # fmt: skip
