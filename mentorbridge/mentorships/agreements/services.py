"""Drafting, changing and confirming a mentorship agreement. Every change is a new version;
a version is in force once every participant has confirmed it."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentorbridge.mentorships.access import check_can_change
from mentorbridge.mentorships.agreements.models import (
    AGREEMENT_FIELDS,
    AgreementConfirmation,
    AgreementVersion,
)
from mentorbridge.mentorships.agreements.selectors import forget_agreement_state
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import MeetingChannel
from mentorbridge.programs.services import agreement_template_for

ALREADY_DRAFTED = "This mentorship already has an agreement: change it instead of drafting anew."
NO_AGREEMENT = "There is no agreement yet: draft one first."
NOTHING_CHANGED = "Nothing changed: this is the same as version {number}."
PLACE_NEEDED = "Say where you'll meet in person (an office, a room, a café)."
LINK_NEEDED = "Give the video link you'll use."
ENDS_BEFORE_START = "The end date must be after the mentorship started ({started:%-d %b %Y})."
NOT_THE_LATEST = (
    "The agreement changed since you read it: read version {latest} and confirm that one."
)
ALREADY_CONFIRMED = "You already confirmed version {number}."
MAX_DURATION_WEEKS = 260
DURATION_RANGE = f"A mentorship lasts from 1 to {MAX_DURATION_WEEKS} weeks."


@dataclasses.dataclass(frozen=True, kw_only=True)
class AgreementTerms:
    """What a version of the agreement says; ``ends_on`` ``None`` means start + duration."""

    mentee_hopes: str
    mentor_hopes: str
    cadence: str
    meeting_minutes: int
    channel: str
    place: str = ""
    video_link: str = ""
    duration_weeks: int
    ends_on: datetime.date | None = None
    confidentiality: str = ""
    feedback: str = ""
    points: str = ""

    @classmethod
    def of(cls, version: AgreementVersion) -> AgreementTerms:
        """The terms a saved version carries."""
        return cls(**{name: getattr(version, name) for name in AGREEMENT_FIELDS})


def _latest(mentorship: Mentorship) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(mentorship=mentorship).order_by("-number").first()


def _lock(mentorship: Mentorship) -> Mentorship:
    """Lock the mentorship row: version numbers and confirmations queue on it."""
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("program", "focus_area")
        .get(pk=mentorship.pk)
    )


def _save_version(
    mentorship: Mentorship, by: Person, terms: AgreementTerms, number: int, note: str
) -> AgreementVersion:
    values = {name: getattr(terms, name) for name in AGREEMENT_FIELDS}
    for name in ("mentee_hopes", "mentor_hopes", "place", "confidentiality", "feedback"):
        values[name] = values[name].strip()
    values["points"] = "\n".join(
        line.strip() for line in values["points"].splitlines() if line.strip()
    )
    started = mentorship.started_at.date()
    if not 1 <= (values["duration_weeks"] or 0) <= MAX_DURATION_WEEKS:
        raise ValidationError({"duration_weeks": [DURATION_RANGE]})
    if values["ends_on"] is None:
        values["ends_on"] = started + datetime.timedelta(weeks=values["duration_weeks"] or 0)
    version = AgreementVersion(
        mentorship=mentorship, number=number, author=by, change_note=note.strip()[:300], **values
    )
    errors: dict[str, list[str]] = {}
    try:
        version.full_clean(exclude=["mentorship", "author"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if version.ends_on and version.ends_on <= started:
        errors.setdefault("ends_on", []).append(ENDS_BEFORE_START.format(started=started))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:  # unreachable while the mentorship row is locked; said plainly
        raise ValidationError(NOT_THE_LATEST.format(latest=number - 1)) from None
    return version


def missing_terms(version: AgreementVersion) -> dict[str, list[str]]:
    """What a version still lacks before it can be confirmed (a draft may be incomplete)."""
    missing: dict[str, list[str]] = {}
    if version.channel == MeetingChannel.IN_PERSON and not version.place:
        missing["place"] = [PLACE_NEEDED]
    if version.channel == MeetingChannel.VIDEO and not version.video_link:
        missing["video_link"] = [LINK_NEEDED]
    return missing


def agreement_draft_terms(mentorship: Mentorship) -> AgreementTerms:
    """What a first draft says: the program's template, cadence and duration."""
    template = agreement_template_for(mentorship.program)
    program = mentorship.program
    return AgreementTerms(
        mentee_hopes=mentorship.focus_area.description or mentorship.focus_area.title,
        mentor_hopes="",
        cadence=program.default_cadence,
        meeting_minutes=template.meeting_minutes,
        channel=template.channel,
        duration_weeks=program.default_duration_weeks,
        confidentiality=template.confidentiality,
        feedback=template.feedback,
        points=template.points,
    )


@transaction.atomic
def agreement_draft(*, mentorship: Mentorship, by: Person) -> AgreementVersion:
    """Either person starts the agreement from the program's template (version 1)."""
    forget_agreement_state(mentorship)
    mentorship = _lock(mentorship)
    check_can_change(mentorship, by)
    if _latest(mentorship) is not None:
        raise ValidationError(ALREADY_DRAFTED)
    return _save_version(mentorship, by, agreement_draft_terms(mentorship), 1, "First draft")


@transaction.atomic
def agreement_change(
    *, mentorship: Mentorship, by: Person, terms: AgreementTerms, note: str = ""
) -> AgreementVersion:
    """Save a change as a new version; nobody has confirmed it yet, so everyone confirms again."""
    forget_agreement_state(mentorship)
    mentorship = _lock(mentorship)
    check_can_change(mentorship, by)
    latest = _latest(mentorship)
    if latest is None:
        raise ValidationError(NO_AGREEMENT)
    if terms.duration_weeks != latest.duration_weeks and terms.ends_on == latest.ends_on:
        # A new duration with the old end date left as it was: the end follows the duration.
        terms = dataclasses.replace(terms, ends_on=None)
    candidate = _save_version(mentorship, by, terms, latest.number + 1, note)
    if AgreementTerms.of(candidate) == AgreementTerms.of(latest):
        raise ValidationError(NOTHING_CHANGED.format(number=latest.number))
    return candidate


@transaction.atomic
def agreement_confirm(*, mentorship: Mentorship, by: Person, number: int) -> AgreementConfirmation:
    """A participant confirms the version they read; it must still be the latest one, and
    complete (a place for meetings in person, a link for video calls)."""
    forget_agreement_state(mentorship)
    mentorship = _lock(mentorship)
    check_can_change(mentorship, by)
    latest = _latest(mentorship)
    if latest is None:
        raise ValidationError(NO_AGREEMENT)
    if latest.number != number:
        raise ValidationError(NOT_THE_LATEST.format(latest=latest.number))
    if latest.confirmations.filter(person=by).exists():
        raise ValidationError(ALREADY_CONFIRMED.format(number=number))
    missing = missing_terms(latest)
    if missing:
        raise ValidationError(missing)
    return AgreementConfirmation.objects.create(version=latest, person=by)
