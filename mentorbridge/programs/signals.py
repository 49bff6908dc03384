"""What happens in programs that higher apps (matching, the workspace) react to.

Programs never import the apps built on them; they announce events here and those apps
connect receivers in their ``AppConfig.ready``.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.dispatch import Signal

#: Mentor places may have opened in a program (a mentor joined or raised their capacity, a
#: mentorship ended). Sent after the transaction commits, with ``program_id``.
mentor_places_opened = Signal()

#: A person's part in a program is over (they withdrew, left the company, the program
#: closed): their requests, proposals and mentorships there must be wound up. Sent inside the
#: transaction with ``person``, ``program`` and ``reason`` (words shown to the others).
participation_ended = Signal()

#: A program was closed. Sent inside the transaction with ``program``.
program_closed = Signal()

#: A program's settings changed (``program_update``). Sent inside the transaction with
#: ``program`` and ``changed`` (setting name -> [before, after]).
program_settings_changed = Signal()


def announce_mentor_places_opened(program_id: int) -> None:
    """Tell listeners, once the current transaction commits, that places may have opened."""
    transaction.on_commit(partial(mentor_places_opened.send, sender=None, program_id=program_id))
