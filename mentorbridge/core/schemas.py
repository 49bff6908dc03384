"""Shapes every API router shares: the one error body and the base of request bodies, whose
strings follow the text rule (:mod:`mentorbridge.core.cleaning`) or get a 422 naming the
field."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, field_validator, model_validator

from mentorbridge.core.cleaning import text_problem

INTEGER_RANGE = range(-(2**63), 2**63)  # what a database integer (a record's id) can hold
OUT_OF_RANGE = "must be a whole number between {low:,} and {high:,}"
NOT_AN_OBJECT = "The request body must be a JSON object ({{…}}), not {kind}."
_JSON_KINDS = {bool: "true or false", int: "a number", float: "a number", str: "a string",
               list: "a list", type(None): "null"}  # fmt: skip


class ErrorOut(Schema):
    """Every 4xx answer of the API: what went wrong, and by field where fields are to blame.

    ``errors`` maps a field (``bio``, ``skills.0.proficiency``, ``offset``; ``__all__`` for the
    request as a whole) to its messages; it is empty when no field is to blame.
    """

    detail: str = Field(..., examples=["bio: String should have at most 4000 characters"])
    errors: dict[str, list[str]] = Field(
        ..., examples=[{"bio": ["String should have at most 4000 characters"]}]
    )


class InputSchema(Schema):
    """Base of every request body: the body must be a JSON object, and no string in it may
    hold NUL bytes, control characters or lone surrogates.

    Ninja's ``Schema`` reads attributes of whatever it is given, so without this a body of
    ``true`` or ``[]`` would validate as an object with every field left at its default.
    A field the endpoint does not know (a misspelt ``starts_on``) is refused naming it, not
    dropped while the answer says 201.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _must_be_an_object(cls, value: Any) -> Any:
        # Ninja wraps the input in a ``DjangoGetter`` before this validator sees it.
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if isinstance(raw, dict | Schema):
            return value
        kind = _JSON_KINDS.get(type(raw), type(raw).__name__)
        raise ValueError(NOT_AN_OBJECT.format(kind=kind))

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_forbidden_characters(cls, value: Any) -> Any:
        if problem := text_problem(value):
            raise ValueError(problem)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _fit_a_database_integer(cls, value: Any) -> Any:
        """A whole number no database column holds (a focus area id of 10³⁰) is refused
        naming its field, instead of failing in the query (a 500)."""
        if isinstance(value, int) and not isinstance(value, bool) and value not in INTEGER_RANGE:
            low, high = INTEGER_RANGE.start, INTEGER_RANGE.stop - 1
            raise ValueError(OUT_OF_RANGE.format(low=low, high=high))
        return value


def _one_line(value: str) -> str:
    if problem := text_problem(value, single_line=True):
        raise ValueError(problem)
    return value


# A name or title: one line, no tabs.
Line = Annotated[str, AfterValidator(_one_line)]
