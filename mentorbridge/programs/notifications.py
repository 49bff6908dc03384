"""Emails people must act on, sent from the database-backed task queue."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task


@task()
def send_invitation_email(*, enrollment_id: int) -> bool:
    """Tell someone they were invited to a program, with the link to join."""
    from mentorbridge.programs.models import Enrollment, EnrollmentStatus

    enrollment = (
        Enrollment.objects.select_related("program", "person__user", "invited_by")
        .filter(pk=enrollment_id, status=EnrollmentStatus.INVITED)
        .first()
    )
    if enrollment is None:
        return False
    context = {
        "enrollment": enrollment,
        "program": enrollment.program,
        "join_url": settings.SITE_URL + reverse("programs-join", args=[enrollment.program.slug]),
    }
    send_mail(
        subject=f"You're invited to {enrollment.program.name}",
        message=render_to_string("programs/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[enrollment.person.user.email],
    )
    return True
