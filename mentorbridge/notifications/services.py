"""Notifying people: one call stores the in-app notification and, if the person wants it,
the email (HTML with a plain-text part and a signed one-click unsubscribe link for its kind).

Every notification names its occasion with a ``key``; the same key never notifies the same
person twice, so sweeps can run again (or after a killed worker) without sending anything
twice.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mentorbridge.notifications.kinds import KINDS, kind_label
from mentorbridge.notifications.models import Channel, DailyRun, Notification, Preference
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.services import Draft, messages_queue_many

UNSUBSCRIBE_SALT = "mentorbridge.notifications.unsubscribe"
UNKNOWN_KIND = "There is no notification kind “{kind}”."
UNKNOWN_CHANNEL = "“{channel}” is not a choice for {kind}: pick email, digest, in_app or off."
BAD_LINK = "This unsubscribe link is not valid. Change your choices on the notifications page."
CHUNK = 1000


@dataclasses.dataclass(frozen=True)
class Note:
    """One notification to one person. ``key`` names the occasion (``checkin_due:12:3``)."""

    user: Any
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""
    action: str = ""
    name: str = ""  # the greeting's first name
    #: More choices the email offers after the main action, as (label, address) pairs (the
    #: in-app notification opens ``url``, which offers them too).
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def stored_key(self) -> str:
        return f"{self.key}:u{self.user.pk}"[:200]


def absolute(url: str) -> str:
    return url if url.startswith("http") or not url else settings.SITE_URL + url


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user_id: int, kind: str) -> str:
    return settings.SITE_URL + reverse(
        "notifications-unsubscribe", args=[unsubscribe_token(user_id, kind)]
    )


@dataclasses.dataclass(frozen=True)
class _EmailParts:
    """What every notification email of one batch shares: the compiled templates and the
    addresses, looked up once per batch instead of once per email (a sweep sends thousands)."""

    text: Any
    html: Any
    preferences_url: str
    unsubscribe_prefix: str
    unsubscribe_suffix: str
    _skeletons: dict[tuple[bool, bool, bool, int], tuple[str, str]] = dataclasses.field(
        default_factory=dict
    )

    @classmethod
    def load(cls) -> _EmailParts:
        stand_in = "TOKEN-STAND-IN"
        prefix, suffix = reverse("notifications-unsubscribe", args=[stand_in]).split(stand_in)
        return cls(
            get_template("notifications/email/notification.txt"),
            get_template("notifications/email/notification.html"),
            settings.SITE_URL + reverse("notifications-preferences"),
            settings.SITE_URL + prefix, suffix,
        )  # fmt: skip

    def unsubscribe_url(self, user_id: int, kind: str) -> str:
        return self.unsubscribe_prefix + unsubscribe_token(user_id, kind) + self.unsubscribe_suffix

    def skeleton(self, note: Note) -> tuple[str, str]:
        """Both parts rendered once per shape of note (which optional parts it has), with a
        marker where each value goes; :func:`_fill` puts the values in. Rendering the
        templates for each of a sweep's thousands of emails was most of its CPU time."""
        shape = (bool(note.name), bool(note.body), bool(note.url), len(note.choices))
        found = self._skeletons.get(shape)
        if found is None:
            marked = Note(
                None, note.kind, "", _mark("title"), _mark("body") if note.body else "",
                _mark("url") if note.url else "", _mark("action"),
                _mark("name") if note.name else "",
                tuple((_mark(f"label{i}"), _mark(f"link{i}")) for i in range(len(note.choices))),
            )  # fmt: skip
            context = {
                "note": marked, "url": marked.url, "choices": list(marked.choices),
                "unsubscribe_url": _mark("unsubscribe"),
                "preferences_url": self.preferences_url, "kind_label": _mark("kind"),
            }  # fmt: skip
            found = self._skeletons[shape] = (self.text.render(context), self.html.render(context))
        return found


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The user id and kind a link names; ``ValidationError`` for a forged or broken one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(BAD_LINK) from None
    if kind not in KINDS:
        raise ValidationError(BAD_LINK)
    return user_id, kind


def channels_for(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Every stored choice of these people, by (user id, kind); missing means email."""
    ids = sorted(set(user_ids))
    found: dict[tuple[int, str], str] = {}
    for start in range(0, len(ids), CHUNK):
        for user_id, kind, channel in Preference.objects.filter(
            user_id__in=ids[start : start + CHUNK]
        ).values_list("user_id", "kind", "channel"):
            found[(user_id, kind)] = channel
    return found


def _mark(name: str) -> str:
    return f"\x00{name}\x00"


def _fill(skeleton: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        skeleton = skeleton.replace(_mark(name), value)
    return skeleton


def _email(note: Note, parts: _EmailParts) -> Draft:
    unsubscribe = parts.unsubscribe_url(note.user.pk, note.kind)
    text, html = parts.skeleton(note)
    values = {
        "name": note.name, "title": note.title, "body": note.body, "url": absolute(note.url),
        "action": note.action or "Open MentorBridge", "unsubscribe": unsubscribe,
        "kind": kind_label(note.kind),
    }  # fmt: skip
    for i, (label, url) in enumerate(note.choices):
        values[f"label{i}"], values[f"link{i}"] = label, absolute(url)
    values = {name: value.replace("\x00", "") for name, value in values.items()}
    escaped = {name: str(escape(value)) for name, value in values.items()}
    escaped["body"] = str(linebreaksbr(values["body"], autoescape=True))
    return Draft(
        key=f"notification:{note.stored_key}",
        to=note.user.email,
        subject=note.title,
        body=_fill(text, values),
        html_body=_fill(html, escaped),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@transaction.atomic
def notify_many(notes: Sequence[Note]) -> list[Notification]:
    """Store each note as a notification and email those who want it now, in a few queries
    however many notes there are. Notes whose occasion already notified that person, and
    kinds the person turned off, are skipped. Returns the new notifications."""
    for note in notes:
        if note.kind not in KINDS:
            raise ValueError(UNKNOWN_KIND.format(kind=note.kind))
    channels = channels_for(n.user.pk for n in notes)
    wanted = {
        n.stored_key: (n, channels.get((n.user.pk, n.kind), Channel.EMAIL))
        for n in notes
        if channels.get((n.user.pk, n.kind), Channel.EMAIL) != Channel.OFF
    }
    keys = list(wanted)
    taken: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        taken |= set(
            Notification.objects.filter(key__in=keys[start : start + CHUNK]).values_list(
                "key", flat=True
            )
        )
    now = timezone.now()
    new = [
        Notification(
            recipient_id=note.user.pk, kind=note.kind, key=key, title=note.title[:200],
            body=note.body, url=note.url[:500], action=note.action[:60], channel=channel,
            created_at=now,
        )
        for key, (note, channel) in wanted.items()
        if key not in taken
    ]  # fmt: skip
    Notification.objects.bulk_create(new, batch_size=CHUNK)
    parts = _EmailParts.load()
    messages_queue_many(
        _email(wanted[n.key][0], parts) for n in new if wanted[n.key][1] == Channel.EMAIL
    )
    return new


def notify(
    *,
    user: Any,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    action: str = "",
    name: str = "",
) -> Notification | None:
    """Notify one person (see :func:`notify_many`); ``None`` if they turned the kind off or
    the occasion already notified them."""
    new = notify_many([Note(user, kind, key, title, body, url, action, name)])
    return new[0] if new else None


def preference_set(*, user: Any, kind: str, channel: str) -> Preference:
    """Choose how one kind of notification reaches the person."""
    if kind not in KINDS:
        raise ValidationError({"kind": UNKNOWN_KIND.format(kind=kind)})
    if channel not in Channel.values:
        raise ValidationError({"channel": UNKNOWN_CHANNEL.format(channel=channel, kind=kind)})
    preference, _ = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"channel": channel, "updated_at": timezone.now()}
    )
    return preference


def preferences_of(user: Any) -> dict[str, str]:
    """Every kind with the person's choice (email when they never chose)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, Channel.EMAIL) for kind in KINDS}


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[Any, str]:
    """The one-click link: no more emails of its kind (it stays in the app). Returns the user
    and the kind."""
    from django.contrib.auth import get_user_model

    user_id, kind = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError(BAD_LINK)
    current = preferences_of(user)[kind]
    if current in (Channel.EMAIL, Channel.DIGEST):
        preference_set(user=user, kind=kind, channel=Channel.IN_APP)
    return user, kind


def notification_open(*, notification: Notification) -> Notification:
    """Opening a notification marks it read."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Email everyone on the weekly digest what gathered since their last one (one email per
    person per ISO week, whatever happens to the worker). Returns how many were stored."""
    now = now or timezone.now()
    year, week, _ = timezone.localdate(now).isocalendar()
    due = list(
        Notification.objects.filter(channel=Channel.DIGEST, digested_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in due:
        by_user.setdefault(notification.recipient_id, []).append(notification)
    # This week's digest already went to these people: the rest waits for next week's.
    keys = {user_id: f"digest:{user_id}:{year}-W{week:02d}" for user_id in by_user}
    for key in OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True):
        by_user.pop(int(key.split(":")[1]))
    drafts = []
    for items in by_user.values():
        user = items[0].recipient
        context = {
            "items": [(n, absolute(n.url), kind_label(n.kind)) for n in items],
            "preferences_url": settings.SITE_URL + reverse("notifications-preferences"),
            "list_url": settings.SITE_URL + reverse("notifications-list"),
        }
        drafts.append(
            Draft(
                key=keys[user.pk],
                to=user.email,
                subject=f"Your week in MentorBridge: {len(items)} update"
                + ("s" if len(items) != 1 else ""),
                body=render_to_string("notifications/email/digest.txt", context),
                html_body=render_to_string("notifications/email/digest.html", context),
            )
        )
    with transaction.atomic():
        sent = messages_queue_many(drafts)
        Notification.objects.filter(
            pk__in=[n.pk for items in by_user.values() for n in items]
        ).update(digested_at=now)
    return sent


def daily_run_start(name: str, day: datetime.date) -> DailyRun | None:
    """The day's run of a sweep, or ``None`` if it already finished today."""
    run, _ = DailyRun.objects.get_or_create(name=name, day=day)
    return None if run.finished_at else run


def daily_run_finish(run: DailyRun, counts: dict[str, int]) -> None:
    run.finished_at = timezone.now()
    run.counts = counts
    run.save(update_fields=["finished_at", "counts"])
