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


# Free texts people write to each other or to the program team. Forms, API schemas and the
# services all use these numbers, so a web form cannot store what the API refuses.
REQUEST_MESSAGE_MAX_CHARS = 4000
QUESTION_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 4000
NOTE_MAX_CHARS = 2000
MOTIVATION_MAX_CHARS = 2000
PROGRAM_DESCRIPTION_MAX_CHARS = 10000
AGREEMENT_TEXT_MAX_CHARS = 4000
GOAL_DESCRIPTION_MAX_CHARS = 300
GOAL_WHY_MAX_CHARS = 2000
MILESTONE_TITLE_MAX_CHARS = 200
MAX_MILESTONES = 50
REVIEW_SUMMARY_MAX_CHARS = 4000
# Short values: a search, an employee ID or email naming someone, a choice's code.
# A search is 100 characters so that every query string the API accepts fits in one request
# line (REQUEST_LINE_MAX_BYTES) even when each character is 4 bytes of UTF-8, percent-encoded.
SEARCH_MAX_CHARS = 100
IDENTIFIER_MAX_CHARS = 254
CHOICE_MAX_CHARS = 40
# Lists in request bodies.
MAX_LIST_ITEMS = 1000
MAX_LANGUAGES = 30

TEXT_TOO_LONG = "{label} is at most {limit} characters (this has {length})."


def check_length(field: str, label: str, value: str, limit: int) -> None:
    """Refuse ``value`` longer than ``limit`` with a ``ValidationError`` naming ``field``."""
    from django.core.exceptions import ValidationError

    length = len(value.strip())
    if length > limit:
        raise ValidationError(
            {field: [TEXT_TOO_LONG.format(label=label, limit=limit, length=length)]}
        )


# The web server refuses a request line (method, path, query string) longer than this with
# 414 before the app reads it (gunicorn's limit_request_line, its maximum; nginx's default
# buffer is 8 KB too). The longest valid request of every API operation fits under it.
REQUEST_LINE_MAX_BYTES = 8190
