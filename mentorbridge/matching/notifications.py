"""Emails for every message a person must act on, one stored outbox message per recipient.

Each kind names who receives it and which template renders it. :func:`notify` renders the
emails in the transaction that causes them and stores them in the outbox, which delivers each
exactly once from the task queue (see :mod:`mentorbridge.outbox`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from mentorbridge.matching.models import MentorRequest, Proposal
from mentorbridge.mentorships.selectors import mentorship_started_for
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.services import message_queue, next_key
from mentorbridge.people.models import Person


@dataclass(frozen=True)
class Kind:
    """One kind of email."""

    model: type[models.Model]
    recipients: Callable[[Any], list[Person]]
    subject: Callable[[Any], str]
    template: str
    link: Callable[[Any], str]


def _inbox(_: object) -> str:
    return reverse("matching-inbox")


def _my_requests(request: MentorRequest) -> str:
    return reverse("matching-my-requests", args=[request.program.slug])


def _mentorship(obj: MentorRequest | Proposal) -> str:
    started = mentorship_started_for(
        focus_area_id=obj.focus_area_id, mentee_id=obj.mentee_id, mentor_id=obj.mentor_id
    )
    return started.get_absolute_url() if started else _inbox(obj)


def _find(request: MentorRequest) -> str:
    return reverse("matching-find", args=[request.program.slug, request.focus_area_id])


KINDS: dict[str, Kind] = {
    "request_received": Kind(
        MentorRequest, lambda r: [r.mentor],
        lambda r: f"{r.mentee.full_name} would like you as a mentor", "request_received", _inbox,
    ),
    "request_accepted": Kind(
        MentorRequest, lambda r: [r.mentee],
        lambda r: f"{r.mentor.full_name} accepted your request", "request_accepted", _mentorship,
    ),
    "request_declined": Kind(
        MentorRequest, lambda r: [r.mentee],
        lambda r: f"{r.mentor.full_name} can't mentor you this time", "request_declined", _find,
    ),
    "request_info": Kind(
        MentorRequest, lambda r: [r.mentee],
        lambda r: f"{r.mentor.full_name} has a question about your request", "request_info",
        _my_requests,
    ),
    "request_info_answered": Kind(
        MentorRequest, lambda r: [r.mentor],
        lambda r: f"{r.mentee.full_name} answered your question", "request_info_answered", _inbox,
    ),
    "request_withdrawn": Kind(
        MentorRequest, lambda r: [r.mentor],
        lambda r: f"{r.mentee.full_name} withdrew their request", "request_withdrawn", _inbox,
    ),
    "request_mentor_left": Kind(
        MentorRequest, lambda r: [r.mentee],
        lambda r: f"Your request to {r.mentor.full_name} was closed", "request_mentor_left", _find,
    ),
    "request_expired": Kind(
        MentorRequest, lambda r: [r.mentee],
        lambda r: f"Your request to {r.mentor.full_name} expired", "request_expired", _find,
    ),
    "request_replaced_mentee": Kind(
        MentorRequest, lambda r: [r.mentee],
        lambda r: f"Your request to {r.mentor.full_name} was withdrawn: a mentor was proposed",
        "request_replaced_mentee", _my_requests,
    ),
    "request_replaced_mentor": Kind(
        MentorRequest, lambda r: [r.mentor],
        lambda r: f"{r.mentee.full_name}'s request to you was withdrawn by the program team",
        "request_replaced_mentor", _inbox,
    ),
    "proposal_published": Kind(
        Proposal, lambda p: [p.mentee, p.mentor],
        lambda p: f"A mentoring match for you in {p.round.program.name}", "proposal_published",
        lambda p: reverse("matching-proposal", args=[p.pk]),
    ),
    "mentorship_started": Kind(
        Proposal, lambda p: [p.mentee, p.mentor],
        lambda p: f"Your mentorship in {p.round.program.name} has started", "mentorship_started",
        _mentorship,
    ),
}  # fmt: skip


def notify(kind: str, obj: models.Model) -> list[OutboxMessage]:
    """Store one email per recipient, sent once the surrounding transaction commits (never
    for rolled-back work)."""
    spec = KINDS[kind]
    messages = []
    for person in spec.recipients(obj):
        context = {
            "obj": obj, "person": person, "site_url": settings.SITE_URL,
            "link": settings.SITE_URL + spec.link(obj),
        }  # fmt: skip
        messages.append(
            message_queue(
                key=next_key(f"{kind}:{obj.pk}:{person.pk}"),
                to=person.user.email,
                subject=spec.subject(obj),
                body=render_to_string(f"matching/email/{spec.template}.txt", context),
            )
        )
    return messages


@task()
def send_notification(*, kind: str, pk: int) -> int:
    """Tasks queued before the outbox existed: store their emails in the outbox now."""
    obj = KINDS[kind].model._default_manager.filter(pk=pk).first()
    return len(notify(kind, obj)) if obj is not None else 0
