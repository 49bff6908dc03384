import pytest
from django.core.exceptions import ValidationError

from mentorbridge.core.parsing import SHOWN_MAX, check_choice


def test_an_unknown_choice_names_the_field_the_value_and_the_choices() -> None:
    with pytest.raises(ValidationError) as refused:
        check_choice("role", "mentors", ["mentor", "mentee"])
    assert refused.value.message_dict == {"role": ["“mentors” is not one of: mentor, mentee."]}


def test_an_empty_value_or_a_known_choice_is_no_error() -> None:
    check_choice("role", "", ["mentor"])
    check_choice("role", "mentor", ["mentor"])


def test_a_huge_unknown_value_is_not_echoed_back_whole() -> None:
    with pytest.raises(ValidationError) as refused:
        check_choice("role", "x" * 1_000_000, ["mentor"])
    (message,) = refused.value.message_dict["role"]
    assert len(message) < SHOWN_MAX + 40
    assert "x" * (SHOWN_MAX - 1) + "…" in message
