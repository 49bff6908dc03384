"""Form pieces shared by the workspace's apps."""

from __future__ import annotations

from django import forms

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
