"""The one rule for text that comes in: no NUL, no control characters, no lone surrogates.

PostgreSQL cannot store NUL or lone surrogates (it answers with an error, which used to become
a 500), and control characters have no place in a name, a search or a note. Tabs and line
breaks are allowed in multi-line text (bios, messages), refused in single-line values (names,
titles). Three places apply it: :class:`mentorbridge.core.middleware.InputCleaningMiddleware`
(path, query string, form posts: 400), :class:`mentorbridge.core.forms.CleanInputFormMixin`
(form fields) and :class:`mentorbridge.core.schemas.InputSchema` (API bodies: 422).
"""

from __future__ import annotations

import re
from typing import Any

FORBIDDEN_CHARACTER = "must not contain {what}"
_ALWAYS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x85\u2028\u2029]")


def _name(char: str) -> str:
    if char == "\x00":
        return "a NUL byte (\\x00)"
    if "\ud800" <= char <= "\udfff":
        return "an invalid character (a lone surrogate)"
    if char in "\n\r\x85\u2028\u2029":
        return "line breaks"
    if char == "\t":
        return "tabs"
    return f"control characters (\\x{ord(char):02x})"


def text_problem(value: Any, *, single_line: bool = False) -> str | None:
    """Why ``value`` (a string, or strings in lists and dicts) is refused, or ``None``."""
    if isinstance(value, str):
        found = _ALWAYS.search(value) or (_LINE_BREAKS.search(value) if single_line else None)
        return FORBIDDEN_CHARACTER.format(what=_name(found.group())) if found else None
    if isinstance(value, list | tuple):
        for item in value:
            if problem := text_problem(item, single_line=single_line):
                return problem
    if isinstance(value, dict):
        for key, item in value.items():
            if problem := text_problem(key, single_line=True) or text_problem(
                item, single_line=single_line
            ):
                return problem
    return None
