"""``{{ score|fit }}``: the one fit number people see, out of 100 (see ``explanations.fit``);
``{{ part|points }}``: a factor's contribution in the fit's unit, points out of 100, as the
score tables print it; ``{{ value|decimals:3 }}``: a number with fixed decimals."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

from mentorbridge.matching.explanations import fit as fit_number

register = template.Library()


@register.filter
def fit(score: float | None) -> int | str:
    """A 0–1 engine score as the fit out of 100; "—" when there is none."""
    return "—" if score is None else fit_number(score)


@register.filter
def decimals(value: float, places: int = 3) -> str:
    """``value`` with ``places`` decimals, exactly as ``floatformat:places`` writes it in this
    English-only site (the value as written, rounded half up; no "-" on a zero), in a tenth
    of its time: a page of ten cards rounds 90 contributions. Anything but a float or an int
    goes to ``floatformat``."""
    if not isinstance(value, float | int) or isinstance(value, bool) or not math.isfinite(value):
        return floatformat(value, places)
    try:
        rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the default context holds
        return floatformat(value, places)
    return f"{rounded if rounded else abs(rounded):f}"


@register.filter
def points(contribution: float | None) -> str:
    """A factor's 0–1 contribution as points of the fit out of 100, one decimal ("24.0"): the
    breakdown in the unit of the fit it adds up to; "—" when there is none."""
    if contribution is None:
        return "—"
    return decimals(contribution * 100, 1)
