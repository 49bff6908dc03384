"""MentorBridge matching engine: explainable, certified-optimal cohort matching.

Framework-free (numpy, scipy, OR-Tools; never Django). Happy path::

    from mentorbridge.matching_engine import Instance, solve
    result = solve(Instance.from_dict(data))
"""

from mentorbridge.matching_engine.jit_cache import use_writable_cache

use_writable_cache()  # before any kernel module imports numba

from mentorbridge.matching_engine.startup import import_scipy_sparse  # noqa: E402

import_scipy_sparse()  # before the modules that use it import it (see startup)

from mentorbridge.matching_engine.api import Session, solve, why_not  # noqa: E402
from mentorbridge.matching_engine.instance import Instance, InstanceError  # noqa: E402
from mentorbridge.matching_engine.result import Assignment, Result  # noqa: E402

__all__ = ["Assignment", "Instance", "InstanceError", "Result", "Session", "solve", "why_not"]
