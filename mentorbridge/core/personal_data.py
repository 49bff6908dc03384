"""The personal-data registry: every app says what personal data it holds about a person, how
to export it and how to erase it. The privacy app (near the top) runs them all, so it never has
to know the apps below it, and an app added later only registers itself in its ``ready``.

Export functions return JSON-ready values (dates as ISO text are fine: the export encodes
them). Erase functions run in ``order`` (lowest first) inside one transaction, and get an
:class:`Erasure` that still knows the person's original name and email (an earlier step may
already have anonymised the profile); they return a few figures of what they did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Erasure:
    """Who is being erased, as they were before anything changed, and by whom."""

    person: Any  # people.Person, re-read by each step as it needs
    person_id: int
    user_id: int
    employee_id: str
    full_name: str
    email: str
    label: str  # what they are called from now on: "Erased person #12"
    by: Any  # the site admin's user


@dataclass(frozen=True)
class PersonalDataSource:
    """One kind of personal data an app holds."""

    name: str
    description: str
    export: Callable[[Any], Any]
    erase: Callable[[Erasure], dict[str, int]]
    order: int


_SOURCES: dict[str, PersonalDataSource] = {}
DUPLICATE = "Personal data “{name}” is already registered (by {module})."


def register_personal_data(
    name: str,
    *,
    description: str,
    export: Callable[[Any], Any],
    erase: Callable[[Erasure], dict[str, int]],
    order: int,
) -> None:
    """Register a kind of personal data (call it from ``AppConfig.ready``). Registering the
    same function again under its name is harmless (``ready`` can run twice in tests)."""
    existing = _SOURCES.get(name)
    if existing is not None and existing.export.__module__ != export.__module__:
        raise ValueError(DUPLICATE.format(name=name, module=existing.export.__module__))
    _SOURCES[name] = PersonalDataSource(name, description, export, erase, order)


def personal_data_sources() -> list[PersonalDataSource]:
    """Every registered kind of personal data, in erasure order."""
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.name))


def replace_ignoring_case(text: str, word: str, replacement: str) -> str:
    """``text`` with every occurrence of ``word`` replaced, whatever its case."""
    lowered, target = text.lower(), word.lower()
    if not target:
        return text
    if len(lowered) != len(text):  # lower() changed lengths: replace exact matches only
        return text.replace(word, replacement)
    out, start = [], 0
    while (found := lowered.find(target, start)) >= 0:
        out += [text[start:found], replacement]
        start = found + len(target)
    return "".join([*out, text[start:]])
