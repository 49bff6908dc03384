"""Parsing numbers from query strings and form posts without surprises."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

MAX_ID = 2**31 - 1


def parse_int(text: str | None, *, maximum: int = MAX_ID) -> int | None:
    """A non-negative whole number written in ASCII digits, at most ``maximum``; else ``None``.

    (``"²".isdigit()`` is true but ``int("²")`` fails, and huge numbers overflow database
    integers, so neither ``isdigit`` nor ``int`` alone is enough.)
    """
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= maximum else None


UNKNOWN_CHOICE = "“{value}” is not one of: {choices}."
SHOWN_MAX = 40  # characters of a refused value repeated in the error


def check_choice(field: str, value: str, choices: Iterable[str]) -> None:
    """Refuse a filter value that is none of ``choices`` (empty means no filter) as a
    ValidationError on ``field``: a typo such as ``role=mentors`` silently listed everyone."""
    allowed = list(choices)
    if value and value not in allowed:
        # the value is echoed back: a query string of a megabyte is not
        shown = value if len(value) <= SHOWN_MAX else value[: SHOWN_MAX - 1] + "…"
        raise ValidationError(
            {field: UNKNOWN_CHOICE.format(value=shown, choices=", ".join(allowed))}
        )
