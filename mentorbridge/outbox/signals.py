"""Hooks for higher apps: work that died with a worker must be failed or resumed."""

from django.dispatch import Signal

# Sent by every recovery pass (worker start, scheduler sweep) with ``worker_ids`` (the workers
# found dead) and ``now``. Receivers fail or resume what those workers were doing.
workers_lost = Signal()
