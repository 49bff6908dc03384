"""One record for one intent: a form sent twice (a double click, a browser's retry after a slow
answer, a script posting again) finds the record the first one made instead of making a twin.

A service locks the row its record hangs on (the mentorship or the meeting: on PostgreSQL a
row lock, SQLite serialises every writer), then :func:`refuse_twin` looks for the same record
by the same person made moments ago and raises :class:`AlreadySent` carrying it; pages say
"already sent" and go on, the API answers with the record already made."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import timezone

from mentorbridge.mentorships.models import Mentorship

JUST_SENT = datetime.timedelta(minutes=2)  # the same text again within this is a second send


class AlreadySent(ValidationError):
    """The same record was made moments ago; ``existing`` is it."""

    def __init__(self, existing: Model, message: str) -> None:
        super().__init__(message)
        self.existing = existing


def lock_mentorship(mentorship: Mentorship) -> None:
    """Hold the mentorship's row until the transaction ends (NO KEY UPDATE: rows that only
    point at it are not held up), so two sends at once are one after the other."""
    rows = Mentorship.objects.select_for_update(no_key=True).filter(pk=mentorship.pk)
    list(rows.values_list("pk", flat=True))


def refuse_twin(records: QuerySet[Any], message: str, *, at: str = "created_at") -> None:
    """Raise :class:`AlreadySent` if ``records`` (filtered to the same author and content)
    holds one made within :data:`JUST_SENT`."""
    twin = records.filter(**{f"{at}__gte": timezone.now() - JUST_SENT}).order_by(f"-{at}").first()
    if twin is not None:
        raise AlreadySent(twin, message)
