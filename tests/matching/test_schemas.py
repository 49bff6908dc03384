"""API bodies of the matching app: what a round may be started with."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mentorbridge.matching.schemas import RoundIn


def test_a_round_with_a_misspelt_factor_is_refused_naming_it_and_the_real_factors() -> None:
    with pytest.raises(ValidationError) as refused:
        RoundIn(objective="total", weights={"skill": 0.5, "goal_fit": 0.3})
    message = str(refused.value)
    assert "no such factor: skill" in message and "goal_fit" in message


def test_a_round_with_known_factors_keeps_their_weights() -> None:
    assert RoundIn(weights={"goal_fit": 0.3, "text": 0.2}).weights == {"goal_fit": 0.3, "text": 0.2}
