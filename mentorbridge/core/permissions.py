"""Who may do what. One place, so views, the API and templates agree.

- Anonymous: nothing but sign-in.
- Employee (any active person): the directory, their own profile, programs open to them.
- Program admin: everything about the programs they administer.
- HR (``people.import_people`` / ``programs.add_program``): HRIS import, creating programs.
- Site admin (superuser): all of the above and Django admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mentorbridge.programs.models import Program


def can_import_people(user: Any) -> bool:
    """HR staff and site admins may import people from an HRIS export."""
    return bool(user.is_authenticated and user.has_perm("people.import_people"))


def can_create_programs(user: Any) -> bool:
    """HR staff and site admins may create programs (they become the program's admin)."""
    return bool(user.is_authenticated and user.has_perm("programs.add_program"))


def is_program_admin(user: Any, program: Program) -> bool:
    """Site admins and the program's own admins manage a program."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    person = getattr(user, "person", None)
    if person is None:
        return False
    return program.admins.filter(pk=person.pk).exists()


def is_site_admin(user: Any) -> bool:
    """Site admins (superusers) read the audit log and erase people."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
