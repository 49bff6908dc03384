"""Form pieces shared by the workspace's apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from mentorbridge.people.models import Person


def offer_people(form: forms.Form, name: str, people: list[Person]) -> None:
    """Let the choice field ``name`` pick one of ``people`` by employee ID: a visible choice
    only when there are several (a group); with one person, a hidden field set to them."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [(p.employee_id, p.full_name) for p in people]
    if len(people) == 1:
        field.widget = forms.HiddenInput()
        field.initial = people[0].employee_id


def field_errors(form: forms.Form) -> ValidationError:
    """Every error of an invalid ``form`` as one message each, starting with its field's label
    ("Milestone: Ensure this value has at most 200 characters (it has 5000000)."), for the
    small forms whose view redirects back and shows the errors as messages."""
    return ValidationError(
        [
            f"{form.fields[name].label}: {error}" if name in form.fields else error
            for name, errors in form.errors.items()
            for error in errors
        ]
    )
