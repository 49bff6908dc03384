"""Role changes of accounts, for the audit log, however they are made (Django admin, code):
site-admin flags, groups (HR is a group) and single permissions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from mentorbridge.accounts.models import User
from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record

ROLE_FLAGS = ("is_superuser", "is_staff", "is_active")
FLAG_NAMES = {"is_superuser": "site admin", "is_staff": "admin site access", "is_active": "active"}


def remember_role_flags(sender: Any, instance: User, update_fields: Any = None, **_: Any) -> None:
    """Before a user is saved: note their flags as stored, to compare after the save."""
    if instance.pk is None or (
        update_fields is not None and not set(update_fields) & set(ROLE_FLAGS)
    ):
        instance._stored_role_flags = None  # type: ignore[attr-defined]
        return
    instance._stored_role_flags = (  # type: ignore[attr-defined]
        User.objects.filter(pk=instance.pk).values(*ROLE_FLAGS).first()
    )


def record_role_flags(sender: Any, instance: User, created: bool, **_: Any) -> None:
    """After a user is saved: one event if a site-admin, staff or active flag changed."""
    stored = getattr(instance, "_stored_role_flags", None)
    instance._stored_role_flags = None  # type: ignore[attr-defined]
    if created:
        flags = [FLAG_NAMES[f] for f in ROLE_FLAGS[:2] if getattr(instance, f)]
        if flags:
            audit_record(
                action=AuditAction.ROLE_CHANGED,
                target=instance,
                summary=f"Account {instance.email} created as " + " and ".join(flags),
                details={"user_id": instance.pk, "created": True, **{f: True for f in flags}},
            )
        return
    if not stored:
        return
    changed = {
        f: [stored[f], getattr(instance, f)]
        for f in ROLE_FLAGS
        if stored[f] != getattr(instance, f)
    }
    if changed:
        words = ", ".join(
            f"{FLAG_NAMES[f]} {'on' if new else 'off'}" for f, (_old, new) in changed.items()
        )
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            target=instance,
            summary=f"Account {instance.email}: {words}",
            details={"user_id": instance.pk, "changed": changed},
        )


def record_group_change(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **_: Any
) -> None:
    """Groups or permissions added to or taken from accounts (from either side)."""
    if action not in ("post_add", "post_remove", "pre_clear") or (
        not pk_set and action != "pre_clear"
    ):
        return
    what = "group" if model is Group or isinstance(instance, Group) else "permission"
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
        chosen = User.objects.filter(pk__in=pk_set) if pk_set else instance.user_set.all()
        users = list(chosen)
        names = [str(instance)]
    else:
        users = [instance]
        related = (
            model.objects.filter(pk__in=pk_set)
            if pk_set
            else getattr(instance, "groups" if what == "group" else "user_permissions").all()
        )
        names = [str(item) for item in related]
    if not names or not users:
        return
    verb = {"post_add": "added to", "post_remove": "removed from", "pre_clear": "removed from"}[
        action
    ]
    for user in users:
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            target=user,
            summary=f"Account {user.email} {verb} {what} {', '.join(names)}",
            details={"user_id": user.pk, what: names, "change": action.split("_")[1]},
        )


def connect() -> None:
    """Listen for role changes (called from the app's ``ready``)."""
    from django.db.models.signals import m2m_changed, post_save, pre_save

    pre_save.connect(remember_role_flags, sender=User, dispatch_uid="audit-role-flags-before")
    post_save.connect(record_role_flags, sender=User, dispatch_uid="audit-role-flags-after")
    m2m_changed.connect(
        record_group_change, sender=User.groups.through, dispatch_uid="audit-groups"
    )
    m2m_changed.connect(
        record_group_change, sender=User.user_permissions.through, dispatch_uid="audit-permissions"
    )
