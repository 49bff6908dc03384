"""The programs' change log (``ProgramChange``): keeping it short.

The database's triggers add a row per writing statement (per row on SQLite) and program; the
suggestions' cache stamp is the count and the highest id of a program's rows. Nothing else
reads the rows, so all but the stamp's meaning can go: :func:`program_changes_prune` replaces
a program's long log by one fresh row.

Why a fresh row and not just the newest kept: a writer whose transaction is still open holds
an id below the newest (ids are taken in statement order, rows show in commit order). Were the
log cut to its newest row M, that writer's late commit would give (2, M), a stamp the log may
already have had before the cut, with other data behind it: a cache would serve stale
suggestions. After the cut the highest id is the fresh row's, above every id taken before, so
no stamp from before the cut comes back; late commits then only raise the count.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from mentorbridge.programs.models import ProgramChange

#: A program's log is cut once it holds more rows than this (each cut makes its cached
#: suggester build again once, so not at every write).
PRUNE_ABOVE = 1000


def program_changes_prune(*, above: int = PRUNE_ABOVE) -> int:
    """Cut every program's change log longer than ``above`` rows to one fresh row; the number
    of rows deleted."""
    long_logs = (
        ProgramChange.objects.values("program_id")
        .annotate(rows=Count("id"))
        .filter(rows__gt=above)
        .values_list("program_id", flat=True)
    )
    deleted = 0
    for program_id in list(long_logs):
        with transaction.atomic():
            # the fresh row first: its id is above every id taken so far, committed or not
            fresh = ProgramChange.objects.create(program_id=program_id)
            gone, _ = ProgramChange.objects.filter(program_id=program_id, id__lt=fresh.pk).delete()
            deleted += gone
    return deleted
