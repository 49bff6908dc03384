"""Form pieces every app shares: long-text fields, and bases that refuse forbidden characters
before a field touches the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from mentorbridge.core.cleaning import text_problem


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


MULTI_LINE_WIDGETS = (forms.Textarea, forms.PasswordInput, forms.FileInput)


def single_line(field: forms.Field) -> bool:
    """Text fields drawn as one-line inputs (names, titles, searches) take no line breaks."""
    return not isinstance(field.widget, MULTI_LINE_WIDGETS)


KEY_RANGE = range(-(2**63), 2**63)  # what a database integer key can hold
NOT_A_CHOICE = "{label}: “{value}” is not one of the choices."


def out_of_range_key(field: forms.Field, raw: Any) -> str | None:
    """A raw value of a model choice field that is a whole number no database key can hold
    (the lookup would fail in the database: a 500, not an error on the form)."""
    if not isinstance(field, forms.ModelChoiceField):
        return None
    for value in raw if isinstance(raw, list | tuple) else [raw]:
        text = str(value).strip() if value is not None else ""
        if not text.lstrip("+-").isdigit():
            continue
        try:
            number = int(text)
        except ValueError:  # "²" is a digit int() can't read, "+-5" no number: the field says
            continue
        if number not in KEY_RANGE:
            return text
    return None


REQUIRED = "{label} is required."


class CleanInputFormMixin(forms.BaseForm):
    """Mixed into every form: a field whose raw value breaks the text rule
    (:mod:`mentorbridge.core.cleaning`), or a choice of a record by a number no key can hold,
    gets an error naming it and is not cleaned further, so no lookup or query sees the value.
    A missing answer names its field too (“Join as is required.”, not “This field is
    required.”, which says nothing in a list of errors or to a screen reader)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = forms.Field.default_error_messages["required"]
        for name, field in self.fields.items():
            if field.error_messages.get("required") == default:
                label = field.label or name.replace("_", " ").capitalize()
                field.error_messages["required"] = REQUIRED.format(label=label)

    def _clean_fields(self) -> None:
        for name, bound in self._bound_items():  # type: ignore[attr-defined]
            field = bound.field
            raw = bound.initial if field.disabled else bound.data
            problem = text_problem(raw, single_line=single_line(field))
            if problem:
                self.add_error(
                    name, f"{field.label or name.replace('_', ' ').capitalize()} {problem}."
                )
                continue
            if (huge := out_of_range_key(field, raw)) is not None:
                label = field.label or name.replace("_", " ").capitalize()
                self.add_error(name, NOT_A_CHOICE.format(label=label, value=huge[:40]))
                continue
            try:
                self.cleaned_data[name] = field._clean_bound_field(bound)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except forms.ValidationError as error:
                self.add_error(name, error)


class CleanForm(CleanInputFormMixin, forms.Form):
    """A form that refuses forbidden characters."""


class CleanModelForm(CleanInputFormMixin, forms.ModelForm):
    """A model form that refuses forbidden characters."""


def limit_length(form_class: type[forms.BaseForm], limits: dict[str, int]) -> None:
    """Give fields a form derives from models (or Django's auth forms) the one limit each:
    ``maxlength`` in the page, and a validation error past it."""
    for name, limit in limits.items():
        field = form_class.base_fields[name]  # type: ignore[attr-defined]
        assert isinstance(field, forms.CharField), name
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
        field.widget.attrs.update({"maxlength": str(limit), "data-maxlength": str(limit)})
