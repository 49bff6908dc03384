"""Reading an agreement: where it stands, its versions, and what changed between two."""

from __future__ import annotations

import dataclasses
import difflib
import enum
import re

from django.http import Http404

from mentorbridge.mentorships.access import participants
from mentorbridge.mentorships.agreements.models import AGREEMENT_FIELDS, AgreementVersion
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.workspace.sections import Section
from mentorbridge.people.models import Person

NO_SUCH_VERSION = "This agreement has no version {number}."


class AgreementStage(enum.Enum):
    NONE = "none"
    AWAITING = "awaiting"
    CONFIRMED = "confirmed"


@dataclasses.dataclass(frozen=True)
class AgreementState:
    """The latest version, who confirmed it, and the version in force (the latest one every
    participant confirmed), for the page, the API and the next step."""

    stage: AgreementStage
    latest: AgreementVersion | None
    in_force: AgreementVersion | None
    confirmed_by: list[Person]
    waiting_for: list[Person]
    version_count: int

    def confirmed_by_person(self, person: Person) -> bool:
        return any(p.pk == person.pk for p in self.confirmed_by)


def mentee_hopes_label(mentorship: Mentorship) -> str:
    """“What Mia wants from it”, or for a group “What the mentees want from it”."""
    if mentorship.is_group:
        return "What the mentees want from it"
    return f"What {mentorship.mentee.first_name} wants from it"


def agreement_versions(mentorship: Mentorship) -> list[AgreementVersion]:
    """Every version, oldest first, with its author and confirmations (three queries)."""
    return list(
        AgreementVersion.objects.filter(mentorship=mentorship)
        .select_related("author")
        .prefetch_related("confirmations__person")
        .order_by("number")
    )


def agreement_state(mentorship: Mentorship) -> AgreementState:
    """Where the agreement stands. Read once per mentorship instance (the page's agreement,
    goals and meetings sections share it); the agreement services and a member joining or
    leaving forget it (``forget_agreement_state``)."""
    cached = mentorship.__dict__.get("_agreement_state")
    if cached is None:
        cached = mentorship.__dict__["_agreement_state"] = _agreement_state(mentorship)
    return cached


def forget_agreement_state(mentorship: Mentorship) -> None:
    mentorship.__dict__.pop("_agreement_state", None)


def _agreement_state(mentorship: Mentorship) -> AgreementState:
    versions = agreement_versions(mentorship)
    people = participants(mentorship)
    if not versions:
        return AgreementState(AgreementStage.NONE, None, None, [], people, 0)
    needed = {p.pk for p in people}
    in_force = None
    for version in reversed(versions):
        if needed <= {c.person_id for c in version.confirmations.all()}:
            in_force = version
            break
    latest = versions[-1]
    confirmed = [c.person for c in latest.confirmations.all()]
    confirmed_ids = {p.pk for p in confirmed}
    waiting = [p for p in people if p.pk not in confirmed_ids]
    stage = AgreementStage.CONFIRMED if not waiting else AgreementStage.AWAITING
    return AgreementState(stage, latest, in_force, confirmed, waiting, len(versions))


def agreement_version(mentorship: Mentorship, number: int) -> AgreementVersion:
    """One version by its number, or a 404 that names it."""
    found = (
        AgreementVersion.objects.filter(mentorship=mentorship, number=number)
        .select_related("author", "mentorship__mentee", "mentorship__mentor")
        .prefetch_related("confirmations__person")
        .first()
    )
    if found is None:
        raise Http404(NO_SUCH_VERSION.format(number=number))
    return found


@dataclasses.dataclass(frozen=True)
class Chunk:
    """A run of text that is the same in both versions, or only in the old or the new one."""

    kind: str  # "same", "removed" or "added"
    text: str


@dataclasses.dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    chunks: list[Chunk]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def display_value(version: AgreementVersion, name: str) -> str:
    """A field as words (choices by their label, dates as dates)."""
    value = getattr(version, name)
    display = getattr(version, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if value is None:
        return ""
    if name == "ends_on":
        return value.strftime("%-d %b %Y")
    return str(value)


def _chunks(old: str, new: str) -> list[Chunk]:
    """Word-level difference (whitespace kept) between two texts."""
    a = re.split(r"(\s+)", old)
    b = re.split(r"(\s+)", new)
    chunks: list[Chunk] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(Chunk("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(Chunk("removed", "".join(a[i1:i2])))
        if j2 > j1:
            chunks.append(Chunk("added", "".join(b[j1:j2])))
    return chunks


def term_labels(mentorship: Mentorship) -> dict[str, str]:
    """Each term's label as people read it ("What Mia wants from it")."""
    labels = {
        name: str(getattr(AgreementVersion._meta.get_field(name), "verbose_name", name))
        for name in AGREEMENT_FIELDS
    }
    labels["mentee_hopes"] = mentee_hopes_label(mentorship)
    labels["mentor_hopes"] = f"What {mentorship.mentor.first_name} wants from it"
    return labels


def agreement_diff(old: AgreementVersion, new: AgreementVersion) -> list[FieldChange]:
    """Every field of the two versions, each with its word-level difference."""
    labels = term_labels(new.mentorship)
    changes = []
    for name in AGREEMENT_FIELDS:
        before, after = display_value(old, name), display_value(new, name)
        label = labels[name]
        changes.append(
            FieldChange(name, label[:1].upper() + label[1:], before, after, _chunks(before, after))
        )
    return changes


def agreement_section(mentorship: Mentorship, viewer: Person) -> Section:
    """The agreement part of the mentorship page."""
    state = agreement_state(mentorship)
    return Section(
        "agreement",
        "Agreement",
        "mentorships/agreements/_section.html",
        {
            "state": state,
            "viewer_confirmed": state.confirmed_by_person(viewer),
            "live": mentorship.is_live,
        },
    )
