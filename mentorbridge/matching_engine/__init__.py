"""MentorBridge matching engine: explainable, certified-optimal cohort matching.

Framework-free (numpy, scipy, OR-Tools; never Django). Happy path::

    from mentorbridge.matching_engine import Instance, solve
    result = solve(Instance.from_dict(data))
"""

from mentorbridge.matching_engine.api import Session, solve, why_not
from mentorbridge.matching_engine.instance import Instance, InstanceError
from mentorbridge.matching_engine.result import Assignment, Result

__all__ = ["Assignment", "Instance", "InstanceError", "Result", "Session", "solve", "why_not"]
