"""Hooks for higher apps: a worker is about to take tasks; work that died with a worker must be
failed or resumed."""

from django.dispatch import Signal

# Sent by every recovery pass (worker start, scheduler sweep) with ``worker_ids`` (the workers
# found dead) and ``now``. Receivers fail or resume what those workers were doing.
workers_lost = Signal()

# Sent by ``manage.py run_worker`` with ``worker_id`` once the worker is registered and has
# recovered what dead workers left, before it takes its first task. Receivers prepare what
# that worker's tasks will need; an error in one is logged, never the end of the worker.
worker_starting = Signal()
