"""API input base: every string in a request body follows the text rule, or the call gets a
422 naming the field (see :mod:`mentorbridge.core.cleaning`)."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, field_validator

from mentorbridge.core.cleaning import text_problem


class InputSchema(Schema):
    """Base of every API request body."""

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_forbidden_characters(cls, value: Any) -> Any:
        if problem := text_problem(value):
            raise ValueError(problem)
        return value


def _one_line(value: str) -> str:
    if problem := text_problem(value, single_line=True):
        raise ValueError(problem)
    return value


# A name or title: one line, no tabs.
Line = Annotated[str, AfterValidator(_one_line)]
