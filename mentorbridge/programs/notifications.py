"""Emails people must act on, sent from the database-backed task queue."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from mentorbridge.accounts.links import link_lifetime, password_link


@task()
def send_invitation_email(*, enrollment_id: int) -> bool:
    """Tell someone they were invited to a program, with the link to join.

    People without a password yet (imported from the HRIS) get a one-time link that sets
    their password, signs them in and opens the program's join page.
    """
    from mentorbridge.programs.models import Enrollment, EnrollmentStatus

    enrollment = (
        Enrollment.objects.select_related("program", "person__user", "invited_by")
        .filter(pk=enrollment_id, status=EnrollmentStatus.INVITED)
        .first()
    )
    if enrollment is None:
        return False
    user = enrollment.person.user
    join_path = reverse("programs-join", args=[enrollment.program.slug])
    needs_password = user.can_sign_in and not user.has_usable_password()
    context = {
        "enrollment": enrollment,
        "program": enrollment.program,
        "join_url": settings.SITE_URL + join_path,
        "set_password_url": password_link(user, join_path) if needs_password else "",
        "lifetime": link_lifetime(),
    }
    send_mail(
        subject=f"You're invited to {enrollment.program.name}",
        message=render_to_string("programs/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True
