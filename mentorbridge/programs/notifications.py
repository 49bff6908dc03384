"""Emails people must act on, stored in the outbox and sent from the task queue."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from mentorbridge.accounts.links import link_lifetime, password_link
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.services import message_queue, next_key
from mentorbridge.programs.models import Enrollment, EnrollmentStatus


def invitation_notify(enrollment: Enrollment) -> OutboxMessage:
    """Store the email telling someone they were invited to a program, with the link to join;
    it is sent once the surrounding transaction commits.

    People without a password yet (imported from the HRIS) get a one-time link that sets
    their password, signs them in and opens the program's join page.
    """
    program = enrollment.program
    user = enrollment.person.user
    join_path = reverse("programs-join", args=[program.slug])
    needs_password = user.can_sign_in and not user.has_usable_password()
    context = {
        "enrollment": enrollment,
        "program": program,
        "join_url": settings.SITE_URL + join_path,
        "set_password_url": password_link(user, join_path) if needs_password else "",
        "lifetime": link_lifetime(),
    }
    return message_queue(
        key=next_key(f"invitation:{enrollment.pk}"),
        to=user.email,
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
