"""Shapes every API router shares: the one error body and the base of request bodies."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator

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
    """Base of every request body: the body must be a JSON object.

    Ninja's ``Schema`` reads attributes of whatever it is given, so without this a body of
    ``true`` or ``[]`` would validate as an object with every field left at its default.
    """

    @model_validator(mode="before")
    @classmethod
    def _must_be_an_object(cls, value: Any) -> Any:
        # Ninja wraps the input in a ``DjangoGetter`` before this validator sees it.
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if isinstance(raw, dict | Schema):
            return value
        kind = _JSON_KINDS.get(type(raw), type(raw).__name__)
        raise ValueError(NOT_AN_OBJECT.format(kind=kind))
