"""People pages: directory, profile, editing your own profile, skill autocomplete, HRIS import."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.core.htmx import HtmxHttpRequest, swaps, vary_on_htmx
from mentorbridge.core.parsing import parse_int
from mentorbridge.core.permissions import can_import_people
from mentorbridge.core.views import current_person
from mentorbridge.people import checked_uploads, importing
from mentorbridge.people.forms import (
    KEEP_OWN,
    SKILLS_TO_CONFIRM,
    ImportForm,
    ProfileForm,
    SkillToConfirm,
    parse_skill_rows,
    resolve_skill_choices,
    timezone_names,
)
from mentorbridge.people.models import PROFICIENCY_LABELS, Person
from mentorbridge.people.profile_sections import profile_sections
from mentorbridge.people.selectors import (
    DirectoryFilters,
    directory_facets,
    people_directory,
    person_profile,
    reporting_chain,
    skill_suggestions,
)
from mentorbridge.people.services import (
    person_remove_read_skill,
    person_restore_read_skill,
    person_update_profile,
    unknown_skills,
)
from mentorbridge.people.skill_reading import READ_LEVEL, shown_read_skills, skill_name

PAGE_SIZE = 24


@require_GET
@vary_on_htmx
def directory(request: HtmxHttpRequest) -> HttpResponse:
    """Everyone in the company, searchable and filterable; HTMX swaps just the results."""
    filters = DirectoryFilters(
        query=request.GET.get("q", "").strip(),
        department_id=parse_int(request.GET.get("department")),
        skill=request.GET.get("skill", "").strip(),
        level=parse_int(request.GET.get("level")),
        location=request.GET.get("location", "").strip(),
    )
    page = Paginator(people_directory(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query_string": query_string.urlencode(),
        "filtered": any([filters.query, filters.department_id, filters.skill, filters.level,
                         filters.location]),
    }  # fmt: skip
    if swaps(request, "results"):
        return render(request, "people/_directory_results.html", context)
    context["facets"] = directory_facets()
    return render(request, "people/directory.html", context)


@require_GET
def profile(request: HttpRequest, employee_id: str) -> HttpResponse:
    """One person's profile: who they are, what they know, where they sit in the org."""
    try:
        person = person_profile(employee_id)
    except Person.DoesNotExist:
        return render(request, "404.html", {"what": "person"}, status=404)
    is_me = person.user_id == request.user.pk
    picked = [ps.skill.slug for ps in person.person_skills.all()]
    return render(
        request,
        "people/profile.html",
        {
            "person": person,
            "chain": reporting_chain(person),
            "sections": profile_sections(person, getattr(request.user, "person", None)),
            "is_me": is_me,
            "read_shown": shown_read_skills(person.read_skills, person.removed_read_skills, picked),
            # Only the person sees (and can put back) what they removed.
            "read_removed": shown_read_skills(person.removed_read_skills, [], picked)
            if is_me
            else [],
        },
    )


def read_skill_form(
    request: HttpRequest,
    *,
    remove: Callable[[str], object],
    restore: Callable[[str], object],
    where: str,
) -> HttpResponse | None:
    """Carry out a read-skill form (fields ``skill`` and ``action``: remove or restore) with
    the given services and say what happened; ``where`` ends the message ("on your
    profile"). Answers 400 for an unknown action, else None (the caller redirects)."""
    slug, action = request.POST.get("skill", ""), request.POST.get("action", "")
    if action not in ("remove", "restore"):
        return HttpResponseBadRequest("action must be remove or restore.")
    try:
        (remove if action == "remove" else restore)(slug)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "is no longer counted" if action == "remove" else "counts again"
        messages.success(request, f"{skill_name(slug)} {done} {where}.")
    return None


@require_POST
def read_skills(request: HttpRequest) -> HttpResponse:
    """Remove a skill read wrongly from your profile, or put a removed one back."""
    person = current_person(request)
    refused = read_skill_form(
        request,
        remove=lambda slug: person_remove_read_skill(person=person, slug=slug),
        restore=lambda slug: person_restore_read_skill(person=person, slug=slug),
        where="on your profile",
    )
    return refused or redirect("people-profile", person.employee_id)


@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    """Edit your own profile. Typed skills stay on the page if anything needs fixing; a skill
    outside the catalogue is saved only once the person picks a catalogue skill or keeps it."""
    person = current_person(request)
    skill_rows: list[tuple[str, str]]
    to_confirm: dict[str, SkillToConfirm] = {}
    if request.method == "POST":
        form = ProfileForm(request.POST)
        names, levels = request.POST.getlist("skill_name"), request.POST.getlist("skill_level")
        skill_rows = list(zip(names, levels, strict=False))
        entries, skill_errors = parse_skill_rows(names, levels)
        if not skill_errors:
            unknown = unknown_skills(person=person, names=[e.name for e in entries])
            entries, to_confirm = resolve_skill_choices(entries, unknown, request.POST.getlist)
            if to_confirm:
                skill_errors = [SKILLS_TO_CONFIRM]
        if form.is_valid() and not skill_errors:
            try:
                person_update_profile(person=person, skills=entries, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("people-profile", person.employee_id)
    else:
        form = ProfileForm(
            initial={
                "bio": person.bio,
                "career_goals": person.career_goals,
                "expertise": "\n".join(person.expertise),
                "languages": ", ".join(person.language_names),
                "timezone": person.timezone,
                "mentoring_hours_per_month": person.mentoring_hours_per_month,
            }
        )
        skill_errors = []
        skill_rows = [
            (ps.skill.name, str(ps.proficiency))
            for ps in person.person_skills.select_related("skill")
        ]
    skill_rows.append(("", ""))
    return render(
        request,
        "people/edit_profile.html",
        {
            "person": person,
            "form": form,
            "skill_rows": [
                {"name": name, "level": level, "confirm": to_confirm.get(" ".join(name.split()))}
                for name, level in skill_rows
            ],
            "skill_errors": skill_errors,
            "levels": PROFICIENCY_LABELS,
            "read_level": READ_LEVEL,
            "read_shown": shown_read_skills(
                person.read_skills,
                person.removed_read_skills,
                person.person_skills.values_list("skill__slug", flat=True),
            ),
            "keep_own": KEEP_OWN,
            "timezones": timezone_names(),
            # The default "UTC" is rarely a choice: offer the browser's timezone instead.
            "suggest_browser_timezone": request.method == "GET" and person.timezone == "UTC",
        },
    )


@require_GET
def skill_row(request: HttpRequest) -> HttpResponse:
    """An empty skill row for the profile form (HTMX "Add a skill"): no level chosen yet."""
    return render(
        request,
        "people/_skill_row.html",
        {"row": {"name": "", "level": ""}, "levels": PROFICIENCY_LABELS},
    )


@require_GET
def skill_autocomplete(request: HttpRequest) -> HttpResponse:
    """Skill names for a typed prefix: ``<option>`` elements for a datalist, or JSON."""
    text = next((request.GET[k] for k in ("q", "skill_name", "skill") if request.GET.get(k)), "")
    names = skill_suggestions(text)
    if request.GET.get("format") == "json":
        return JsonResponse({"skills": names})
    return render(request, "people/_skill_options.html", {"names": names})


CHECKED_FILE_GONE = (
    "The checked file is no longer on the server (it was imported, replaced by another check, "
    "or cleared after a day): choose it again."
)


@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    """HR uploads an HRIS export: checked first, applied only if every row is right. A file
    that passed "Check only" is kept for this session, so "Import" applies it without a second
    upload (checked again as it is applied: nothing is written if it no longer checks)."""
    if not can_import_people(request.user):
        raise PermissionDenied("Only HR staff and site admins can import people.")
    report = None
    checked = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = request.POST.get("mode") == "check"
        overwrite = form.cleaned_data["overwrite_profiles"]
        refused = importing.upload_refused(upload) if upload else None
        if refused is not None:
            report, data, name = refused, b"", ""
        elif upload:
            data, name = upload.read(), upload.name
        else:
            found = checked_uploads.checked_upload(request.session, form.cleaned_data["checked"])
            if found is None:
                form.add_error("file", CHECKED_FILE_GONE)
                data, name = b"", ""
            else:
                data, name = found[1], found[0].name
        if name:
            report = importing.import_people(data, dry_run=dry_run, overwrite_profiles=overwrite)
            if report.ok and dry_run:
                checked = checked_uploads.keep_checked(
                    request.session, data=data, name=name, overwrite_profiles=overwrite
                )
            else:
                checked_uploads.forget_checked(request.session)
        if report is not None and report.ok and report.applied:
            messages.success(
                request,
                f"Imported {name}: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged.",
            )
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "report": report,
            "checked": checked,
            "required_columns": importing.REQUIRED_COLUMNS,
            "optional_columns": importing.OPTIONAL_COLUMNS,
        },
    )
