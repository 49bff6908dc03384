"""Emails about accounts, sent from the database-backed task queue."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from mentorbridge.accounts.links import link_lifetime, password_link
from mentorbridge.accounts.models import User

CHOOSE_NEW = "Choose a new MentorBridge password"
SET_FIRST = "Set your MentorBridge password"


@task()
def send_password_link(*, user_id: int, next_path: str = "") -> bool:
    """Email a one-time link to set a password. Nothing goes to a switched-off account.

    The token is made when the email is sent, so the link's lifetime starts then.
    """
    user = User.objects.select_related("person").filter(pk=user_id).first()
    if user is None or not user.can_sign_in:
        return False
    has_password = user.has_usable_password()
    context = {
        "name": user.get_short_name() if hasattr(user, "person") else "",
        "has_password": has_password,
        "link": password_link(user, next_path),
        "lifetime": link_lifetime(),
        "site_url": settings.SITE_URL,
    }
    send_mail(
        subject=CHOOSE_NEW if has_password else SET_FIRST,
        message=render_to_string("accounts/email/password_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True
