"""The fields of a form that were refused, for the summary above a form (templates/core/
_form_errors.html): each named by its label and linked to its input."""

from __future__ import annotations

from django import template
from django.forms import BaseForm
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def refused_fields(form: BaseForm | None) -> list[tuple[BoundField, str]]:
    """The visible fields with an error, in the form's order, each with the id of its input
    (a group of radio buttons: the first one); none for no form."""
    if form is None or not hasattr(form, "visible_fields") or not form.is_bound:
        return []
    return [(field, _input_id(field)) for field in form.visible_fields() if field.errors]


def _input_id(field: BoundField) -> str:
    if field.id_for_label:
        return str(field.id_for_label)
    options = field.subwidgets
    return str(options[0].id_for_label) if options else str(field.auto_id)
