"""The demo organisation as ``manage.py seed_demo`` builds it, seeded once per test process.

Seeding builds 400 people and their programs, mentorships and meetings: about 5 CPU seconds,
which a dozen tests paid each. ``demo_organisation`` seeds once and writes the seed's rows
again for each test that asks (``tests.kept_rows``). Tests of the seed itself (what its first
run reports, seeding again) call the command.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mentorbridge.demo.seed import seed_demo
from tests.kept_rows import KeptBuilds, SeededRows


@pytest.fixture
def demo_seed(db: None, kept_builds: KeptBuilds) -> Callable[[], SeededRows]:
    """What seeding this test's database writes: kept from an earlier test when that one
    started from the same rows on the same day, else seeded (and rolled back) now."""
    return lambda: kept_builds.rows("demo organisation", seed_demo)[0]


@pytest.fixture
def demo_organisation(demo_seed: Callable[[], SeededRows]) -> None:
    """The database as ``manage.py seed_demo`` leaves it."""
    demo_seed().write()
