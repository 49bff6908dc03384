"""What happens to people that higher apps react to (they connect receivers in ``ready``)."""

from __future__ import annotations

from django.dispatch import Signal

#: People marked as having left the company by an HRIS import. Sent inside the import's
#: transaction with ``people`` (a list of Person) and ``reason`` (words shown to others).
people_left = Signal()
