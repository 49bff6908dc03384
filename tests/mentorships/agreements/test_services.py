"""The agreement: drafted from the program's template, every change a new version, in force
only once both people confirmed the same version."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorbridge.mentorships.agreements import services
from mentorbridge.mentorships.agreements.models import AgreementVersion
from mentorbridge.mentorships.agreements.selectors import (
    AgreementStage,
    agreement_diff,
    agreement_state,
)
from mentorbridge.mentorships.agreements.services import AgreementTerms
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_end
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from mentorbridge.programs.services import agreement_template_update

pytestmark = pytest.mark.django_db


def test_a_draft_starts_from_the_programs_template_cadence_and_duration(
    mentorship: Mentorship, program: Program, mentee: Person
) -> None:
    program.default_cadence = "monthly"
    program.default_duration_weeks = 12
    program.save()
    agreement_template_update(
        program=program, points="Come prepared\nOne hour max", meeting_minutes=60,
        channel="phone", confidentiality="Nothing leaves the room.", feedback="Every month.",
    )  # fmt: skip
    version = services.agreement_draft(mentorship=mentorship, by=mentee)
    assert (version.number, version.cadence, version.duration_weeks) == (1, "monthly", 12)
    assert (version.meeting_minutes, version.channel) == (60, "phone")
    assert version.point_list == ["Come prepared", "One hour max"]
    assert version.confidentiality == "Nothing leaves the room."
    assert version.ends_on == mentorship.started_at.date() + datetime.timedelta(weeks=12)
    assert agreement_state(mentorship).stage is AgreementStage.AWAITING


def test_a_program_without_a_template_drafts_from_the_house_default(
    mentorship: Mentorship, mentor: Person
) -> None:
    version = services.agreement_draft(mentorship=mentorship, by=mentor)
    assert version.channel == "video"
    assert version.meeting_minutes == 45
    assert "stays between us" in version.confidentiality


def test_an_agreement_is_drafted_once(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    with pytest.raises(ValidationError, match="already has an agreement"):
        services.agreement_draft(mentorship=mentorship, by=mentor)


LINK = "https://meet.example.com/mia-max"


def _change(mentorship: Mentorship, by: Person, **changes: object) -> AgreementVersion:
    latest = agreement_state(mentorship).latest
    assert latest is not None
    changes.setdefault("video_link", LINK)
    terms = dataclasses.replace(AgreementTerms.of(latest), **changes)  # type: ignore[arg-type]
    return services.agreement_change(mentorship=mentorship, by=by, terms=terms)


def test_it_is_in_force_only_when_both_confirmed_the_same_version(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    _change(mentorship, mentor, mentor_hopes="See Mia lead a design review.")
    services.agreement_confirm(mentorship=mentorship, by=mentor, number=2)
    state = agreement_state(mentorship)
    assert (state.stage, state.in_force, [p.pk for p in state.waiting_for]) == (
        AgreementStage.AWAITING, None, [mentee.pk],
    )  # fmt: skip
    services.agreement_confirm(mentorship=mentorship, by=mentee, number=2)
    state = agreement_state(mentorship)
    assert state.stage is AgreementStage.CONFIRMED
    assert state.in_force is not None and state.in_force.number == 2


def test_a_later_change_needs_both_to_confirm_again_and_the_old_version_stays_in_force(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    _change(mentorship, mentee)
    for person in (mentee, mentor):
        services.agreement_confirm(mentorship=mentorship, by=person, number=2)
    _change(mentorship, mentee, cadence="weekly")
    state = agreement_state(mentorship)
    assert state.stage is AgreementStage.AWAITING
    assert state.latest is not None and state.latest.number == 3
    assert state.in_force is not None and state.in_force.number == 2
    assert {p.pk for p in state.waiting_for} == {mentee.pk, mentor.pk}


def test_confirming_a_version_that_was_changed_meanwhile_is_refused(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    _change(mentorship, mentor, meeting_minutes=30)
    with pytest.raises(ValidationError) as caught:
        services.agreement_confirm(mentorship=mentorship, by=mentee, number=1)
    assert caught.value.messages == [services.NOT_THE_LATEST.format(latest=2)]


def test_one_person_confirms_a_version_once(mentorship: Mentorship, mentee: Person) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    _change(mentorship, mentee)
    services.agreement_confirm(mentorship=mentorship, by=mentee, number=2)
    with pytest.raises(ValidationError, match="already confirmed version 2"):
        services.agreement_confirm(mentorship=mentorship, by=mentee, number=2)


def test_every_version_is_kept_unchanged(mentorship: Mentorship, mentee: Person) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    _change(mentorship, mentee, cadence="weekly")
    _change(mentorship, mentee, cadence="monthly", place="Room 4", channel="in_person")
    cadences = list(
        AgreementVersion.objects.filter(mentorship=mentorship)
        .order_by("number")
        .values_list("number", "cadence")
    )
    assert cadences == [(1, "biweekly"), (2, "weekly"), (3, "monthly")]
    assert AgreementVersion.objects.get(number=1).video_link == ""


def test_saving_the_same_terms_makes_no_version(mentorship: Mentorship, mentee: Person) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    _change(mentorship, mentee)
    with pytest.raises(ValidationError, match="Nothing changed"):
        _change(mentorship, mentee)
    assert AgreementVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"video_link": "not a link"}, "video_link", "Enter a valid URL."),
        ({"meeting_minutes": 5}, "meeting_minutes", "greater than or equal to 15"),
        ({"duration_weeks": 10**9}, "duration_weeks", services.DURATION_RANGE),
        ({"ends_on": datetime.date(2000, 1, 1)}, "ends_on", "must be after the mentorship"),
    ],
)
def test_bad_terms_are_refused_naming_the_field_and_write_nothing(
    mentorship: Mentorship, mentee: Person, changes: dict[str, object], field: str, message: str
) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    with pytest.raises(ValidationError) as caught:
        _change(mentorship, mentee, **changes)
    assert message in " ".join(caught.value.message_dict[field])
    assert AgreementVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"channel": "in_person", "place": ""}, "place", services.PLACE_NEEDED),
        ({"channel": "video", "video_link": ""}, "video_link", services.LINK_NEEDED),
    ],
)
def test_a_draft_may_be_incomplete_but_is_confirmed_only_once_complete(
    mentorship: Mentorship, mentee: Person, changes: dict[str, object], field: str, message: str
) -> None:
    services.agreement_draft(mentorship=mentorship, by=mentee)
    _change(mentorship, mentee, meeting_minutes=50, **changes)
    with pytest.raises(ValidationError) as caught:
        services.agreement_confirm(mentorship=mentorship, by=mentee, number=2)
    assert caught.value.message_dict == {field: [message]}
    assert agreement_state(mentorship).confirmed_by == []


def test_only_its_people_change_it_and_only_while_it_lasts(
    mentorship: Mentorship, mentee: Person, outsider: Person, program_admin: Person
) -> None:
    for person in (outsider, program_admin):
        with pytest.raises(PermissionDenied):
            services.agreement_draft(mentorship=mentorship, by=person)
    mentorship_end(mentorship=mentorship, by=mentee, reason="Done")
    mentorship.refresh_from_db()
    with pytest.raises(ValidationError, match="has ended"):
        services.agreement_draft(mentorship=mentorship, by=mentee)


def test_the_comparison_marks_removed_and_added_words_per_field(
    mentorship: Mentorship, mentee: Person
) -> None:
    first = services.agreement_draft(mentorship=mentorship, by=mentee)
    second = _change(
        mentorship, mentee, feedback="We say what works at the end of each meeting.",
        cadence="weekly",
    )  # fmt: skip
    changes = {c.name: c for c in agreement_diff(first, second)}
    assert not changes["meeting_minutes"].changed
    assert (changes["cadence"].old, changes["cadence"].new) == ("Every two weeks", "Weekly")
    feedback = changes["feedback"]
    assert [(c.kind, c.text) for c in feedback.chunks if c.kind != "same"] == [
        ("removed", " and what doesn't")
    ]


def test_a_new_duration_moves_the_end_date_unless_the_end_date_was_changed_too(
    mentorship: Mentorship, mentee: Person
) -> None:
    start = mentorship.started_at.date()
    services.agreement_draft(mentorship=mentorship, by=mentee)
    assert _change(mentorship, mentee, duration_weeks=10).ends_on == start + datetime.timedelta(
        weeks=10
    )
    chosen = start + datetime.timedelta(days=100)
    assert _change(mentorship, mentee, duration_weeks=12, ends_on=chosen).ends_on == chosen
