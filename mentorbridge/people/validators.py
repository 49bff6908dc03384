"""Field validators shared by forms, the API and the HRIS import."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError

from mentorbridge.core.limits import expertise_problem

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic", "bn": "Bengali", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "kn": "Kannada", "ko": "Korean", "ml": "Malayalam",
    "mr": "Marathi", "ms": "Malay", "nl": "Dutch", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "yo": "Yoruba", "zh": "Chinese",
}  # fmt: skip
BAD_TIMEZONE = "“{value}” is not an IANA timezone (for example Europe/Berlin)."
_NAME_TO_CODE = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}


@cache
def available_timezones() -> frozenset[str]:
    """Every IANA timezone name this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Refuse anything that is not an IANA timezone name such as ``Europe/Berlin``."""
    if value not in available_timezones():
        raise ValidationError(BAD_TIMEZONE.format(value=value), code="invalid_timezone")


def parse_language(value: str) -> str:
    """Turn ``de``, ``DE`` or ``German`` into the ISO 639-1 code ``de``."""
    folded = value.strip().lower()
    if folded in LANGUAGE_NAMES:
        return folded
    if folded in _NAME_TO_CODE:
        return _NAME_TO_CODE[folded]
    raise ValidationError(
        "“%(value)s” is not a known language (use a code such as de or a name such as German).",
        code="invalid_language",
        params={"value": value.strip()},
    )


def validate_languages(values: list[str]) -> None:
    """Every item must be a known ISO 639-1 code."""
    for value in values:
        if value not in LANGUAGE_NAMES:
            parse_language(value)


def validate_expertise(values: list[str]) -> None:
    """Areas of expertise fit their limits (each phrase, and all of them together)."""
    problem = expertise_problem([str(value) for value in values])
    if problem:
        raise ValidationError(problem, code="expertise_too_long")
