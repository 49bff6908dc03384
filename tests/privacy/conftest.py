from __future__ import annotations

import pytest

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.privacy.world import World, build_world


@pytest.fixture
def world(program: Program, mentee: Person, mentor: Person) -> World:
    return build_world(program, mentee, mentor)
