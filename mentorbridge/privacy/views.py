"""Pages about a person's data: what we hold and a download for everyone; erasure for site
admins."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from mentorbridge.core.permissions import is_site_admin
from mentorbridge.core.personal_data import personal_data_sources
from mentorbridge.core.views import current_person
from mentorbridge.people.models import Person
from mentorbridge.privacy.models import ErasureRecord
from mentorbridge.privacy.selectors import erasure_preview
from mentorbridge.privacy.services import (
    NOT_SITE_ADMIN,
    erased_label,
    person_erase,
    personal_data_download,
)

ERASED = (
    "{name} is erased and is now “{label}”: profile anonymised, private content deleted, "
    "sign-in switched off."
)


@require_GET
def privacy_home(request: HttpRequest) -> HttpResponse:
    """What MentorBridge holds about you, and the download of all of it."""
    return render(
        request,
        "privacy/home.html",
        {
            "sources": personal_data_sources(),
            "has_profile": getattr(request.user, "person", None) is not None,
            "can_erase": is_site_admin(request.user),
            "erasures": ErasureRecord.objects.select_related("person", "erased_by")[:20]
            if is_site_admin(request.user)
            else [],
        },
    )


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """All your data as one JSON file."""
    person = current_person(request)
    response = HttpResponse(
        personal_data_download(person=person), content_type="application/json; charset=utf-8"
    )
    name = f"mentorbridge-my-data-{person.employee_id}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def erase_person(request: HttpRequest, employee_id: str) -> HttpResponse:
    """Confirm, then erase a person (site admins). The page names the person and what goes."""
    if not is_site_admin(request.user):
        raise PermissionDenied(NOT_SITE_ADMIN)
    person = get_object_or_404(Person.objects.select_related("user"), employee_id=employee_id)
    errors: list[str] = []
    typed = ""
    if request.method == "POST":
        typed = request.POST.get("confirm", "")
        name = person.full_name  # said once, to the admin who typed it, then gone
        try:
            person_erase(person=person, by=request.user, confirm=typed)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, ERASED.format(name=name, label=erased_label(person)))
            return redirect("privacy-home")
    return render(
        request,
        "privacy/erase.html",
        {
            "person": person,
            "preview": erasure_preview(person),
            "already": ErasureRecord.objects.filter(person=person).first(),
            "is_self": person.user_id == request.user.pk,
            "errors": errors,
            "typed": typed,
        },
        status=422 if errors else 200,
    )
