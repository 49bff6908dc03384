"""The score tables' number filter writes what ``floatformat`` writes."""

from __future__ import annotations

import random

import pytest
from django.template.defaultfilters import floatformat

from mentorbridge.matching.templatetags.fit import decimals, points

TIES_AND_EDGES = [
    0.0,
    -0.0,
    1,
    0,
    -3,
    0.0125,
    0.0135,
    0.1235,
    0.9995,
    0.0005,
    -0.0005,
    -0.0004,
    0.00049999,
    1e-7,
    -1e-7,
    2.675,
    1.0005,
    12345.6785,
    1e15 + 0.5,
    0.1 + 0.2,
    0.3333,
    0.66666,
]


@pytest.mark.parametrize("places", [1, 2, 3, 4])
def test_decimals_writes_ties_signs_and_edges_as_floatformat_does(places: int) -> None:
    for value in TIES_AND_EDGES:
        assert decimals(value, places) == floatformat(value, places), value


def test_decimals_writes_contributions_rounded_to_four_places_as_floatformat_does() -> None:
    rng = random.Random(7)
    # engine contributions come rounded to 4 places: every 5 in the last place is a tie
    values = [round(rng.uniform(-1.5, 1.5), 4) for _ in range(5000)]
    values += [rng.uniform(-1e6, 1e6) for _ in range(2000)]
    for value in values:
        assert decimals(value, 3) == floatformat(value, 3), value


def test_decimals_leaves_what_is_not_a_number_to_floatformat() -> None:
    for value in ["0.12345", "", None, float("inf"), float("nan"), True]:
        assert decimals(value, 3) == floatformat(value, 3)  # type: ignore[arg-type]


def test_points_write_a_contribution_in_the_fits_unit_with_one_decimal() -> None:
    assert points(0.2404) == "24.0"
    assert points(0.00649) == "0.6"
    assert points(0.0) == "0.0"
    assert points(-0.0123) == "-1.2"
    assert points(None) == "—"
