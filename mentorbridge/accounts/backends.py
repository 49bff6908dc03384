"""Authentication by case-insensitive work email."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from mentorbridge.accounts.models import User, normalise_email


class EmailBackend(ModelBackend):
    """Sign in with work email + password; the email's case does not matter."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = username or kwargs.get("email")
        if not email or password is None:
            return None
        try:
            user = User.objects.get(email=normalise_email(email))
        except User.DoesNotExist:
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in line: refuses sign-ins from a locked-out email and
    address. Sign-ins from code without a request (tests, shell) are not web sign-ins and
    pass through to the next backend."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None,
        password: str | None = None, **kwargs: Any,
    ) -> User | None:  # fmt: skip
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
