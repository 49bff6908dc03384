"""Engine sessions kept alive for open rounds, so pin and forbid re-solve without the database.

A round's engine ``Session`` holds everything expensive: the cohort read from the database,
features, scores and the shortlist. After a round stores its preview, the process keeps that
session under the round's id. When the admin pins or forbids a pair on that preview, the new
round (whose ``parent`` is the kept one) takes the session, applies the one change and solves
again: no cohort read, no scoring.

A kept session is used only while it still describes the program: the round records
``session_stamp`` when it starts reading the cohort, and the child round reuses the session
only when the stamp is unchanged (any enrollment, focus area, mentorship, pending proposal,
decline, exclusion or people change moves it) and the child differs from its parent by exactly
the change ``round_pin`` or ``round_forbid`` makes. Anything else (another objective or weights,
a focus area left out or put back, a pin replacing another pin, another process, a restart)
builds the session from the database as before. Each process keeps at most
``MATCHING_KEPT_SESSIONS`` sessions (default 2), the most recently used.

A kept session is half a million Python objects or more at cohort scale (the instance read
from the database, the worded factor breakdowns): each full collection of Python's cyclic
garbage collector walked them all, about 0.4 CPU s that fell into every pin or forbid at 20,000
focus areas. So keeping a session freezes the objects alive then (``gc.freeze``: collections
leave them alone); when a session leaves the store without being passed on, they are unfrozen
(collected as usual again, with any cycles among them).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from mentorbridge.matching.adapter import program_stamp
from mentorbridge.matching.models import (
    PUBLISHED_STATUSES,
    MatchingRound,
    PairExclusion,
    Proposal,
)
from mentorbridge.matching_engine import InstanceError, Session
from mentorbridge.programs.models import Program

DEFAULT_KEPT = 2


@dataclass
class KeptSession:
    """An engine session with the round settings and program state it was built for."""

    session: Session
    data: dict[str, Any]  # the instance as read from the database (people, mentees, mentors)
    stamp: tuple[object, ...]
    objective: str
    weights: dict[str, float]
    pins: list[dict[str, str]]
    forbids: list[dict[str, str]]
    left_out: list[str]
    person_pks: dict[str, int] = field(default_factory=dict)  # employee id → Person pk
    # the last preview stored from this session: focus area id → (mentee, mentor, pinned) pks
    stored_pairs: dict[int, tuple[int, int, bool]] = field(default_factory=dict)


_kept: OrderedDict[int, KeptSession] = OrderedDict()
_lock = threading.Lock()


def session_stamp(program: Program, forbids: list[dict[str, str]]) -> tuple[object, ...]:
    """What a kept session depends on: ``program_stamp`` without the rows a round writes
    itself (its preview proposals, and the exclusions of its own permanent forbids)."""
    base = program_stamp(program, proposals=False, exclusions=False)
    # (0.3 s of PostgreSQL with three previews at 20k when this passed over the preview rows)
    proposals = Proposal.objects.filter(
        round__program=program, status__in=PUBLISHED_STATUSES
    ).aggregate(n=Count("pk"), top=Max("pk"), answered=Max("answered_at"))
    own = {(f["mentee"], f["mentor"]) for f in forbids}
    exclusions = sorted(
        pk
        for pk, mentee, mentor in PairExclusion.objects.filter(program=program).values_list(
            "pk", "mentee__employee_id", "mentor__employee_id"
        )
        if (mentee, mentor) not in own
    )
    return (*base, tuple(proposals.values()), tuple(exclusions))


def keep(matching_round: MatchingRound, kept: KeptSession) -> None:
    """Keep a round's session for its children (the oldest goes beyond the limit)."""
    limit = int(getattr(settings, "MATCHING_KEPT_SESSIONS", DEFAULT_KEPT))
    if limit <= 0:
        return
    kept.session.warm_up()  # the first pin on this preview should not load compiled kernels
    with _lock:
        _kept[matching_round.pk] = kept
        _kept.move_to_end(matching_round.pk)
        dropped = len(_kept) > limit
        while len(_kept) > limit:
            _kept.popitem(last=False)
    if dropped:
        gc.unfreeze()  # the dropped session's objects may be collected again
    gc.freeze()  # collections leave the kept sessions' objects alone


def _dropped() -> None:
    """A session left the store without being passed on: its objects are no longer frozen
    (the ones still kept are frozen again by the next ``keep``)."""
    gc.unfreeze()


def forget_all() -> None:
    """Drop every kept session (as a restart does)."""
    with _lock:
        _kept.clear()
    _dropped()


def kept_rounds() -> list[int]:
    """Ids of the rounds whose sessions this process keeps, oldest first."""
    with _lock:
        return list(_kept)


def peek(round_id: int) -> KeptSession | None:
    """The session kept for this round, left in the store (None when not kept)."""
    with _lock:
        return _kept.get(round_id)


def take_for(matching_round: MatchingRound, stamp: tuple[object, ...]) -> KeptSession | None:
    """The parent's session with this round's one change applied, or None (build it anew).

    The session leaves the store: it now describes this round, not its parent."""
    if matching_round.parent_id is None:
        return None
    with _lock:
        kept = _kept.pop(matching_round.parent_id, None)
    if kept is None:
        return None
    if (
        kept.stamp != stamp
        or kept.objective != matching_round.objective
        or kept.weights != matching_round.weights
        or kept.left_out != matching_round.left_out
    ):
        _dropped()
        return None
    try:
        if not _apply(kept, matching_round.pins, matching_round.forbids):
            _dropped()
            return None
    except InstanceError:
        _dropped()
        return None  # the full build says what is wrong, in the instance's words
    kept.pins, kept.forbids = list(matching_round.pins), list(matching_round.forbids)
    kept.session.seconds.clear()  # this solve's stats count only what it does itself
    return kept


def _apply(kept: KeptSession, pins: list[dict[str, str]], forbids: list[dict[str, str]]) -> bool:
    """Apply the change ``round_pin`` or ``round_forbid`` made; False for anything else."""
    session = kept.session
    old_pins, old_forbids = kept.pins, kept.forbids
    if pins == old_pins and forbids == old_forbids:
        return True
    added_forbids = [f for f in forbids if f not in old_forbids]
    # round_forbid: one forbid more, and the pins of that pair gone
    if len(added_forbids) == 1 and forbids == [*old_forbids, added_forbids[0]]:
        rule = added_forbids[0]
        pair = (rule["mentee"], rule["mentor"])
        if pins != [p for p in old_pins if (p["mentee"], p["mentor"]) != pair]:
            return False
        session.forbid(rule["mentee"], rule["mentor"])
        return True
    # round_pin: one pin more on a focus area with no pin yet, and that pair's forbid gone
    if not pins or pins[:-1] != old_pins or added_forbids:
        return False
    pin = pins[-1]
    if any(p["focus_area"] == pin["focus_area"] for p in old_pins):
        return False  # replacing a pin would leave the old pin's rules behind
    pair = (pin["mentee"], pin["mentor"])
    if forbids != [f for f in old_forbids if (f["mentee"], f["mentor"]) != pair]:
        return False
    if len(forbids) != len(old_forbids):
        return False  # a forbid taken back applies to every focus area: build anew
    session.pin(pin["mentee"], pin["mentor"], pin["focus_area"])
    return True
