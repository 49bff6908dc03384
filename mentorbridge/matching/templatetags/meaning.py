"""``{% meaning_status program %}``: whether a program matches by meaning and whether the
vectors it needs are computed yet, in words for its admins ("" when it matches on words)."""

from __future__ import annotations

from django import template

from mentorbridge.matching.adapter import semantic_enabled
from mentorbridge.matching.vectors import vectors_missing
from mentorbridge.matching_engine.semantic import is_available
from mentorbridge.programs.models import Program

register = template.Library()


@register.simple_tag
def meaning_status(program: Program | None) -> str:
    """What semantic matching does in the program right now."""
    if program is None or program.pk is None or not semantic_enabled(program):
        return ""
    if not is_available():
        return (
            "Semantic matching is on, but the 'semantic' extra is not installed: goals and "
            "profiles are matched on words."
        )
    missing = vectors_missing(program)
    if missing:
        what = "profile or goal" if missing == 1 else "profiles and goals"
        return (
            f"Semantic matching is on; meaning is computed in the background for {missing} "
            f"{what} (matched on words until then)."
        )
    return "Semantic matching is on; meaning is computed for every profile and goal."
