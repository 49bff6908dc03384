"""Length limits of the long text fields, defined once for models, forms and API schemas.

The profile form and the program join form show a live counter against these numbers
(``data-maxlength`` on the field, ``static/js/char-counter.js``).
"""

from __future__ import annotations

BIO_MAX_CHARS = 4000
CAREER_GOALS_MAX_CHARS = 4000
# Areas of expertise are short phrases, one per line; the limit counts the lines joined by
# newlines, as the form shows them.
EXPERTISE_MAX_CHARS = 1000
EXPERTISE_PHRASE_MAX_CHARS = 120
FOCUS_AREA_TITLE_MAX_CHARS = 120
FOCUS_AREA_DESCRIPTION_MAX_CHARS = 2000
SKILL_NAME_MAX_CHARS = 100
MAX_SKILLS = 30

EXPERTISE_TOO_LONG = (
    "Areas of expertise are at most {limit} characters in all (this has {length}): "
    "keep the few you could teach best."
)
EXPERTISE_PHRASE_TOO_LONG = (
    "Each area of expertise is at most {limit} characters; “{start}…” has {length}."
)


def expertise_problem(phrases: list[str]) -> str | None:
    """What is wrong with a list of expertise phrases, or ``None`` if it fits the limits."""
    for phrase in phrases:
        if len(phrase) > EXPERTISE_PHRASE_MAX_CHARS:
            return EXPERTISE_PHRASE_TOO_LONG.format(
                limit=EXPERTISE_PHRASE_MAX_CHARS, start=phrase[:30], length=len(phrase)
            )
    length = len("\n".join(phrases))
    if length > EXPERTISE_MAX_CHARS:
        return EXPERTISE_TOO_LONG.format(limit=EXPERTISE_MAX_CHARS, length=length)
    return None
