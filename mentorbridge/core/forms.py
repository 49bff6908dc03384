"""Form pieces every app shares."""

from __future__ import annotations

from typing import Any

from django import forms


class LongTextField(forms.CharField):
    """A multi-line text with a limit and a live counter (``static/js/char-counter.js``).

    Browsers send line breaks as ``\\r\\n`` but count them as one character; the field
    counts them as one too, so the counter and the server agree on the length.
    """

    def __init__(self, *, max_length: int, rows: int = 3, **kwargs: Any) -> None:
        attrs = {"rows": rows, "data-maxlength": max_length}
        kwargs.setdefault("widget", forms.Textarea(attrs=attrs))
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")
