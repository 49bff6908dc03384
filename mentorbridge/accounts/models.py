"""Sign-in accounts (login by work email) and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def normalise_email(email: str) -> str:
    """Fold an email address for storage and lookup: trimmed and lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by their (case-insensitive) work email."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """Create an account; without a password it cannot sign in until one is set."""
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        """Create a site admin with access to Django admin."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A person's sign-in account. Profile data lives on ``people.Person``."""

    email = models.EmailField("work email", max_length=254, unique=True)
    is_staff = models.BooleanField(
        "site admin", default=False, help_text="Can sign in to the Django admin."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    password_link_sent_at = models.DateTimeField(
        "set-password link last sent",
        null=True,
        blank=True,
        help_text="When a link to set a password was last emailed (links are rate-limited).",
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        person = getattr(self, "person", None)
        return person.full_name if person else self.email

    def get_short_name(self) -> str:
        person = getattr(self, "person", None)
        return person.first_name if person else self.email

    @property
    def can_sign_in(self) -> bool:
        """Active account of an active person (people who left keep a switched-off account)."""
        person = getattr(self, "person", None)
        return self.is_active and (person is None or person.is_active)


TOKEN_PREFIX = "mb_"


def hash_token(raw: str) -> str:
    """The stored form of a token: its SHA-256 hex digest (tokens are random, no salt needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token for scripts. Only its hash is stored; it is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The token's first characters.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def generate_raw() -> str:
        """A new random token string."""
        return TOKEN_PREFIX + secrets.token_urlsafe(32)
