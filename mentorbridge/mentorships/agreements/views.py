"""Agreement pages: draft from the template, change it, confirm it, read and compare versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.core.parsing import parse_int
from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.agreements import selectors, services
from mentorbridge.mentorships.agreements.forms import AgreementForm, ConfirmForm


@require_POST
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the agreement from the program's template, then edit it."""
    mentorship = mentorship_content_for(request.user, pk)
    try:
        services.agreement_draft(mentorship=mentorship, by=current_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(mentorship)
    messages.success(request, "Drafted from the program's template. Make it yours, then save.")
    return redirect("mentorships-agreement-edit", pk)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the agreement: saving makes a new version that everyone confirms again."""
    mentorship = mentorship_content_for(request.user, pk)
    state = selectors.agreement_state(mentorship)
    if state.latest is None:
        messages.error(request, services.NO_AGREEMENT)
        return redirect(mentorship)
    form = AgreementForm(request.POST or None, instance=state.latest, mentorship=mentorship)
    if request.method == "GET":
        form.initial["change_note"] = ""
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_change(
                mentorship=mentorship, by=current_person(request), terms=form.terms(),
                note=form.cleaned_data["change_note"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Saved as version {version.number}. Confirm it when it reads right."
            )
            return redirect(f"{mentorship.get_absolute_url()}#agreement")
    return render(
        request,
        "mentorships/agreements/edit.html",
        {"mentorship": mentorship, "form": form, "state": state},
        status=400 if form.errors else 200,
    )


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the version you read (it must still be the latest)."""
    mentorship = mentorship_content_for(request.user, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say which version you confirm.")
        return redirect(mentorship)
    try:
        services.agreement_confirm(
            mentorship=mentorship, by=current_person(request), number=form.cleaned_data["number"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        state = selectors.agreement_state(mentorship)
        if state.waiting_for:
            names = " and ".join(p.first_name for p in state.waiting_for)
            messages.success(request, f"Confirmed. It is in force once {names} confirms too.")
        else:
            messages.success(request, "Confirmed by both of you: the agreement is in force.")
    return redirect(f"{mentorship.get_absolute_url()}#agreement")


@require_GET
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version, who wrote and who confirmed it; pick two to compare."""
    mentorship = mentorship_content_for(request.user, pk)
    found = selectors.agreement_versions(mentorship)
    return render(
        request,
        "mentorships/agreements/versions.html",
        {"mentorship": mentorship, "versions": list(reversed(found))},
    )


@require_GET
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version as it was."""
    mentorship = mentorship_content_for(request.user, pk)
    found = selectors.agreement_version(mentorship, number)
    return render(
        request, "mentorships/agreements/version.html", {"mentorship": mentorship, "version": found}
    )


@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two versions, field by field and word by word."""
    mentorship = mentorship_content_for(request.user, pk)
    old_number = parse_int(request.GET.get("from"))
    new_number = parse_int(request.GET.get("to"))
    if old_number is None or new_number is None:
        messages.error(request, "Pick two versions to compare.")
        return redirect("mentorships-agreement-versions", pk)
    old = selectors.agreement_version(mentorship, old_number)
    new = selectors.agreement_version(mentorship, new_number)
    return render(
        request,
        "mentorships/agreements/compare.html",
        {
            "mentorship": mentorship, "old": old, "new": new,
            "changes": selectors.agreement_diff(old, new),
        },
    )  # fmt: skip
