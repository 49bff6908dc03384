"""The shared form base: a choice of a record by a number no database key can hold is an
error on the form naming the field (it was a 500: the lookup overflowed in the database)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.test import Client

from mentorbridge.core.forms import CleanForm
from mentorbridge.people.models import Department, Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


class DepartmentsForm(CleanForm):
    one = forms.ModelChoiceField(Department.objects.all(), required=False)
    many = forms.ModelMultipleChoiceField(Department.objects.all(), required=False)


@pytest.mark.parametrize("field", ["one", "many"])
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE])
def test_a_record_chosen_by_a_number_no_key_can_hold_is_a_form_error_naming_the_field(
    field: str, value: str
) -> None:
    form = DepartmentsForm({field: [value] if field == "many" else value})
    assert not form.is_valid()
    assert form.errors[field] == [f"{field.capitalize()}: “{value}” is not one of the choices."]


def test_a_record_chosen_by_its_key_is_still_chosen() -> None:
    department = Department.objects.create(name="Engineering")
    form = DepartmentsForm({"one": str(department.pk), "many": [str(department.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["many"].get() == form.cleaned_data["one"] == department


def test_a_program_form_with_a_huge_department_number_answers_with_the_form_and_makes_nothing(
    client_for: Callable[[Person | None], Client], program_admin: Person, program: Program
) -> None:
    response = client_for(program_admin).post(
        "/programs/new/", {"name": "Sales Growth", "eligible_departments": [HUGE]}
    )
    assert response.status_code in (200, 400)
    assert "is not one of the choices" in response.content.decode()
    assert Program.objects.count() == 1


class NamedForm(CleanForm):
    role = forms.ChoiceField(label="Join as", choices=[("mentee", "Mentee")])
    team_name = forms.CharField()
    note = forms.CharField(error_messages={"required": "Say why."})


def test_a_missing_answer_names_its_field() -> None:
    form = NamedForm({})
    assert not form.is_valid()
    assert form.errors["role"] == ["Join as is required."]
    assert form.errors["team_name"] == ["Team name is required."]
    assert form.errors["note"] == ["Say why."]  # a form's own message stays


def test_the_join_page_names_the_missing_role(
    client_for: Callable[[Person | None], Client], outsider: Person, program: Program
) -> None:
    response = client_for(outsider).post(f"/programs/{program.slug}/join/", {"motivation": ""})
    assert "Join as is required." in response.content.decode()


@pytest.mark.parametrize("field", ["one", "many"])
@pytest.mark.parametrize("value", ["²", "+-5", "--3", "٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣"])
def test_a_record_chosen_by_digits_int_cannot_read_or_a_key_cannot_hold_is_a_form_error(
    field: str, value: str
) -> None:
    form = DepartmentsForm({field: [value] if field == "many" else value})
    assert not form.is_valid()
    assert field in form.errors
