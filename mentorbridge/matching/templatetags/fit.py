"""``{{ score|fit }}``: the one fit number people see, out of 100 (see ``explanations.fit``)."""

from __future__ import annotations

from django import template

from mentorbridge.matching.explanations import fit as fit_number

register = template.Library()


@register.filter
def fit(score: float | None) -> int | str:
    """A 0–1 engine score as the fit out of 100; "—" when there is none."""
    return "—" if score is None else fit_number(score)
