"""The agreement in the JSON API: read, draft, change, confirm, versions and comparison.
Participants only: program admins get 403 (content is private), anyone else 404."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from mentorbridge.core.limits import AGREEMENT_TEXT_MAX_CHARS, CHOICE_MAX_CHARS
from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.agreements import selectors, services
from mentorbridge.mentorships.agreements.models import AgreementVersion

router = Router()


TEXT = Field("", max_length=AGREEMENT_TEXT_MAX_CHARS)


class TermsIn(InputSchema):
    mentee_hopes: str = TEXT
    mentor_hopes: str = TEXT
    cadence: str = Field(
        ..., description="weekly, biweekly or monthly", max_length=CHOICE_MAX_CHARS
    )
    meeting_minutes: int
    channel: str = Field(..., description="in_person, video or phone", max_length=CHOICE_MAX_CHARS)
    place: str = Field("", max_length=200)
    video_link: str = Field("", max_length=500)
    duration_weeks: int
    ends_on: datetime.date | None = Field(None, description="Empty: start + duration.")
    confidentiality: str = TEXT
    feedback: str = TEXT
    points: str = Field("", description="One point per line.", max_length=AGREEMENT_TEXT_MAX_CHARS)
    change_note: str = Field("", max_length=300)


class ConfirmationOut(Schema):
    person: str
    confirmed_at: datetime.datetime


class VersionOut(Schema):
    number: int
    author: str = Field(..., description="Employee ID of who wrote this version.")
    created_at: datetime.datetime
    change_note: str
    mentee_hopes: str
    mentor_hopes: str
    cadence: str
    meeting_minutes: int
    channel: str
    place: str
    video_link: str
    duration_weeks: int
    ends_on: datetime.date
    confidentiality: str
    feedback: str
    points: list[str]
    confirmations: list[ConfirmationOut]


class AgreementOut(Schema):
    stage: str = Field(..., description="none, awaiting or confirmed")
    latest: VersionOut | None
    in_force_version: int | None
    confirmed_by: list[str]
    waiting_for: list[str]
    versions: int


class ConfirmIn(InputSchema):
    number: int = Field(..., description="The version you read; it must be the latest.")


class FieldChangeOut(Schema):
    name: str
    label: str
    old: str
    new: str
    changed: bool
    chunks: list[dict[str, str]]


def version_out(v: AgreementVersion) -> dict[str, object]:
    """A version as the API shows it."""
    return {
        "number": v.number, "author": v.author.employee_id, "created_at": v.created_at,
        "change_note": v.change_note, "mentee_hopes": v.mentee_hopes,
        "mentor_hopes": v.mentor_hopes, "cadence": v.cadence,
        "meeting_minutes": v.meeting_minutes, "channel": v.channel, "place": v.place,
        "video_link": v.video_link, "duration_weeks": v.duration_weeks, "ends_on": v.ends_on,
        "confidentiality": v.confidentiality, "feedback": v.feedback, "points": v.point_list,
        "confirmations": [
            {"person": c.person.employee_id, "confirmed_at": c.confirmed_at}
            for c in v.confirmations.all()
        ],
    }  # fmt: skip


def agreement_out(mentorship_pk: int, request: HttpRequest) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, mentorship_pk)
    state = selectors.agreement_state(mentorship)
    return {
        "stage": state.stage.value,
        "latest": version_out(state.latest) if state.latest else None,
        "in_force_version": state.in_force.number if state.in_force else None,
        "confirmed_by": [p.employee_id for p in state.confirmed_by],
        "waiting_for": [p.employee_id for p in state.waiting_for],
        "versions": state.version_count,
    }


@router.get("/{pk}/agreement", response=AgreementOut, summary="The agreement and who confirmed it")
def get_agreement(request: HttpRequest, pk: int) -> dict[str, object]:
    return agreement_out(pk, request)


@router.post(
    "/{pk}/agreement", response={201: VersionOut}, summary="Draft it from the program's template"
)
def draft_agreement(request: HttpRequest, pk: int) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    version = services.agreement_draft(mentorship=mentorship, by=current_person(request))
    return Status(201, version_out(version))


@router.put(
    "/{pk}/agreement", response=VersionOut, summary="Change it (a new version, confirmed anew)"
)
def change_agreement(request: HttpRequest, pk: int, payload: TermsIn) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    data = payload.dict()
    note = data.pop("change_note")
    version = services.agreement_change(
        mentorship=mentorship, by=current_person(request),
        terms=services.AgreementTerms(**data), note=note,
    )  # fmt: skip
    return version_out(version)


@router.post("/{pk}/agreement/confirm", response=AgreementOut, summary="Confirm the latest version")
def confirm_agreement(request: HttpRequest, pk: int, payload: ConfirmIn) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    services.agreement_confirm(
        mentorship=mentorship, by=current_person(request), number=payload.number
    )
    return agreement_out(pk, request)


@router.get("/{pk}/agreement/versions", response=list[VersionOut], summary="Every version")
def agreement_versions(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    return [version_out(v) for v in selectors.agreement_versions(mentorship)]


@router.get(
    "/{pk}/agreement/versions/{number}", response=VersionOut, summary="One version as it was"
)
def agreement_version(request: HttpRequest, pk: int, number: int) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    return version_out(selectors.agreement_version(mentorship, number))


class CompareQuery(Schema):
    from_: int = Field(..., alias="from", ge=1)
    to: int = Field(..., ge=1)


@router.get(
    "/{pk}/agreement/compare", response=list[FieldChangeOut], summary="What changed between two"
)
def compare_agreement(
    request: HttpRequest, pk: int, query: Query[CompareQuery]
) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    old = selectors.agreement_version(mentorship, query.from_)
    new = selectors.agreement_version(mentorship, query.to)
    return [
        {
            "name": c.name, "label": c.label, "old": c.old, "new": c.new, "changed": c.changed,
            "chunks": [{"kind": k.kind, "text": k.text} for k in c.chunks],
        }
        for c in selectors.agreement_diff(old, new)
    ]  # fmt: skip
