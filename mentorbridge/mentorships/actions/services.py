"""Action items: agree who does what by when, tick them off, reopen them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.mentorships.access import check_can_change
from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.actions.selectors import first_due_date
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import lock_mentorship, refuse_twin
from mentorbridge.people.models import Person

TITLE_NEEDED = "Say in a few words what is to be done."
OWNER_OUTSIDE = "{name} is not in this mentorship: an action item belongs to one of its people."
MEETING_OUTSIDE = "Meeting {meeting} is not part of this mentorship."
ALREADY_DONE = "“{item}” was already done on {done:%-d %b %Y}."
NOT_DONE = "“{item}” is still open."
ALREADY_ADDED = "“{item}” is already on the list: it was added a moment ago."
DUE_BEFORE_START = "The due date is before the mentorship started: pick {start:%-d %b %Y} or later."


def _lock(item: ActionItem) -> ActionItem:
    return (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("mentorship__program")
        .get(pk=item.pk)
    )


@transaction.atomic
def action_item_add(
    *,
    mentorship: Mentorship,
    by: Person,
    title: str,
    owner: Person,
    due_on: datetime.date | None = None,
    meeting: Meeting | None = None,
) -> ActionItem:
    """Someone takes on a task, usually at a meeting; it stays on every next agenda until
    done."""
    check_can_change(mentorship, by)
    if owner.pk not in mentorship.participant_ids:
        raise ValidationError({"owner": OWNER_OUTSIDE.format(name=owner.full_name)})
    if meeting is not None and meeting.mentorship_id != mentorship.pk:
        raise ValidationError({"meeting": MEETING_OUTSIDE.format(meeting=meeting.pk)})
    if not title.strip():
        raise ValidationError({"title": TITLE_NEEDED})
    start = first_due_date(mentorship)
    if due_on is not None and due_on < start:  # a typo (1999 for 2025), never a plan
        raise ValidationError({"due_on": DUE_BEFORE_START.format(start=start)})
    lock_mentorship(mentorship)
    refuse_twin(
        ActionItem.objects.filter(  # another meeting or due day is another item
            mentorship=mentorship,
            created_by=by,
            owner=owner,
            title=title.strip(),
            meeting=meeting,
            due_on=due_on,
        ),
        ALREADY_ADDED.format(item=title.strip()),
    )
    item = ActionItem(
        mentorship=mentorship, meeting=meeting, owner=owner, title=title.strip(),
        due_on=due_on, created_by=by,
    )  # fmt: skip
    item.full_clean(exclude=["mentorship", "meeting", "owner", "created_by"])
    item.save()
    return item


@transaction.atomic
def action_item_done(*, item: ActionItem, by: Person) -> ActionItem:
    """Tick an action item off; it leaves the next agendas."""
    item = _lock(item)
    check_can_change(item.mentorship, by)
    if item.done_at is not None:
        raise ValidationError(ALREADY_DONE.format(item=item, done=item.done_at))
    item.done_at = timezone.now()
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def action_item_reopen(*, item: ActionItem, by: Person) -> ActionItem:
    """Reopen an item ticked by mistake; it carries over again."""
    item = _lock(item)
    check_can_change(item.mentorship, by)
    if item.done_at is None:
        raise ValidationError(NOT_DONE.format(item=item))
    item.done_at = None
    item.save(update_fields=["done_at"])
    return item
