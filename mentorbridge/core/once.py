"""One record for one intent: a form sent twice (a double click, a browser's retry after a slow
answer, a script posting again) finds the record the first one made instead of making a twin.

A service serialises the writers first (a row lock on what the record hangs on; SQLite
serialises every writer), then :func:`refuse_twin` looks for the same record made moments ago
and raises :class:`AlreadySent` carrying it; pages say "already sent" and go on, the API
answers 422 with that sentence."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import timezone

JUST_SENT = datetime.timedelta(minutes=2)  # the same text again within this is a second send


class AlreadySent(ValidationError):
    """The same record was made moments ago; ``existing`` is it."""

    def __init__(self, existing: Model, message: str) -> None:
        super().__init__(message)
        self.existing = existing


def refuse_twin(records: QuerySet[Any], message: str, *, at: str = "created_at") -> None:
    """Raise :class:`AlreadySent` if ``records`` (filtered to the same author and content)
    holds one made within :data:`JUST_SENT`."""
    twin = records.filter(**{f"{at}__gte": timezone.now() - JUST_SENT}).order_by(f"-{at}").first()
    if twin is not None:
        raise AlreadySent(twin, message)
