"""The personal-data registry apps register into, and the text helper erasures use."""

from __future__ import annotations

import pytest

from mentorbridge.core import personal_data
from mentorbridge.core.personal_data import (
    personal_data_sources,
    register_personal_data,
    replace_ignoring_case,
)


def test_sources_come_in_erasure_order() -> None:
    orders = [source.order for source in personal_data_sources()]
    assert orders == sorted(orders) and len(orders) >= 7


def test_a_name_taken_by_another_module_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(personal_data, "_SOURCES", dict(personal_data._SOURCES))
    with pytest.raises(ValueError, match="“profile” is already registered"):
        register_personal_data(
            "profile", description="x", export=lambda p: None, erase=lambda e: {}, order=1
        )


def test_words_are_replaced_whatever_their_case() -> None:
    assert replace_ignoring_case("Mia and MIA and mia", "mia", "X") == "X and X and X"
    assert replace_ignoring_case("nothing", "", "X") == "nothing"
