"""Parsing numbers from query strings and form posts without surprises."""

from __future__ import annotations

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
