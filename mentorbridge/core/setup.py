"""Data every installation needs: the HR role (the skills catalogue is loaded by ``people``)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

HR_GROUP = "HR"
HR_PERMISSIONS = (("people", "import_people"), ("programs", "add_program"))


def hr_group() -> Group:
    """The group whose members import people and create programs."""
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in HR_PERMISSIONS
    ]
    group.permissions.add(*permissions)
    return group


def ensure_base_data(using: str = "default") -> None:
    """Create the HR group; safe to run any number of times."""
    hr_group()
