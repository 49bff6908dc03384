"""Each health rule fires at its threshold, says why in words, and 0 turns it off."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from mentorbridge.mentorships.health.rules import Facts, Level, Thresholds, evaluate

TODAY = datetime.date(2026, 12, 3)


def _facts(**changes: object) -> Facts:
    base: dict[str, object] = {
        "today": TODAY, "started_on": TODAY - datetime.timedelta(days=60),
        "last_meeting_on": TODAY - datetime.timedelta(days=10), "goals": 2,
        "agreement_confirmed": True,
    }  # fmt: skip
    base.update(changes)
    return Facts(**base)  # type: ignore[arg-type]


def test_a_healthy_mentorship_is_on_track_with_no_reasons() -> None:
    health = evaluate(_facts(), Thresholds())
    assert health.level is Level.ON_TRACK and health.reasons == []


def test_no_meeting_for_45_days_is_at_risk_and_says_since_when() -> None:
    health = evaluate(_facts(last_meeting_on=TODAY - datetime.timedelta(days=45)), Thresholds())
    assert health.level is Level.AT_RISK
    assert [r.text for r in health.reasons] == ["No meeting for 45 days (last one 19 Oct 2026)."]
    assert (
        evaluate(_facts(last_meeting_on=TODAY - datetime.timedelta(days=44)), Thresholds()).level
        is Level.ON_TRACK
    )


def test_two_missed_meetings_in_a_row_are_at_risk() -> None:
    health = evaluate(_facts(missed_in_a_row=2), Thresholds())
    assert [r.rule for r in health.reasons] == ["missed_in_a_row"]


def test_a_check_in_no_or_low_satisfaction_is_at_risk() -> None:
    assert evaluate(_facts(latest_working=("yes", "no")), Thresholds()).level is Level.AT_RISK
    low = evaluate(_facts(latest_satisfaction=(4, 2)), Thresholds())
    assert low.reasons[0].text == "A check-in rated satisfaction 2 out of 5."
    assert evaluate(_facts(latest_satisfaction=(3,)), Thresholds()).level is Level.ON_TRACK


def test_no_goals_after_30_days_needs_attention() -> None:
    health = evaluate(_facts(goals=0), Thresholds())
    assert health.level is Level.NEEDS_ATTENTION
    assert health.reasons[0].text == "No goals 60 days after the start."


def test_overdue_action_items_and_an_unconfirmed_agreement_need_attention() -> None:
    health = evaluate(_facts(overdue_action_items=3, agreement_confirmed=False), Thresholds())
    assert [r.text for r in health.reasons] == [
        "3 action items overdue.",
        "Agreement not confirmed by both 60 days after the start.",
    ]


def test_the_worst_rule_decides_and_every_fired_rule_is_listed() -> None:
    health = evaluate(_facts(goals=0, missed_in_a_row=3), Thresholds())
    assert health.level is Level.AT_RISK and len(health.reasons) == 2


def test_a_threshold_of_zero_turns_the_rule_off() -> None:
    off = Thresholds(no_goals_days=0, missed_in_a_row=0)
    assert evaluate(_facts(goals=0, missed_in_a_row=5), off).level is Level.ON_TRACK


@given(
    days=st.integers(0, 400), missed=st.integers(0, 10), goals=st.integers(0, 5),
    overdue=st.integers(0, 5), confirmed=st.booleans(),
)  # fmt: skip
def test_the_level_is_on_track_exactly_when_no_reason_fires(
    days: int, missed: int, goals: int, overdue: int, confirmed: bool
) -> None:
    facts = _facts(
        started_on=TODAY - datetime.timedelta(days=days), last_meeting_on=None,
        missed_in_a_row=missed, goals=goals, overdue_action_items=overdue,
        agreement_confirmed=confirmed,
    )  # fmt: skip
    health = evaluate(facts, Thresholds())
    assert (health.level is Level.ON_TRACK) == (not health.reasons)
    assert health.level == max((r.level for r in health.reasons), default=Level.ON_TRACK)
