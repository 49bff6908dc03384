"""Emails people must act on, stored in the outbox and sent from the task queue."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.services import message_queue, next_key
from mentorbridge.programs.models import Enrollment, EnrollmentStatus


def invitation_notify(enrollment: Enrollment) -> OutboxMessage:
    """Store the email telling someone they were invited to a program, with the link to join;
    it is sent once the surrounding transaction commits."""
    program = enrollment.program
    context = {
        "enrollment": enrollment,
        "program": program,
        "join_url": settings.SITE_URL + reverse("programs-join", args=[program.slug]),
    }
    return message_queue(
        key=next_key(f"invitation:{enrollment.pk}"),
        to=enrollment.person.user.email,
        subject=f"You're invited to {program.name}",
        body=render_to_string("programs/email/invitation.txt", context),
    )


@task()
def send_invitation_email(*, enrollment_id: int) -> bool:
    """Tasks queued before the outbox existed: store their email in the outbox now."""
    enrollment = (
        Enrollment.objects.select_related("program", "person__user", "invited_by")
        .filter(pk=enrollment_id, status=EnrollmentStatus.INVITED)
        .first()
    )
    if enrollment is None:
        return False
    invitation_notify(enrollment)
    return True
