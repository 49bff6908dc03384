"""People pages: directory, profile, editing your own profile, skill autocomplete, HRIS import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mentorbridge.core.parsing import parse_int
from mentorbridge.core.permissions import can_import_people
from mentorbridge.core.views import current_person
from mentorbridge.people import importing
from mentorbridge.people.forms import ImportForm, ProfileForm, parse_skill_rows
from mentorbridge.people.models import PROFICIENCY_LABELS, Person
from mentorbridge.people.selectors import (
    DirectoryFilters,
    directory_facets,
    people_directory,
    person_profile,
    reporting_chain,
    skill_suggestions,
)
from mentorbridge.people.services import person_update_profile

PAGE_SIZE = 24


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
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
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
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
    return render(
        request,
        "people/profile.html",
        {
            "person": person,
            "chain": reporting_chain(person),
            "is_me": person.user_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    """Edit your own profile. Typed skills stay on the page if anything needs fixing."""
    person = current_person(request)
    skill_rows: list[tuple[str, str]]
    if request.method == "POST":
        form = ProfileForm(request.POST)
        names, levels = request.POST.getlist("skill_name"), request.POST.getlist("skill_level")
        skill_rows = list(zip(names, levels, strict=False))
        entries, skill_errors = parse_skill_rows(names, levels)
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
    skill_rows.append(("", "3"))
    return render(
        request,
        "people/edit_profile.html",
        {
            "person": person,
            "form": form,
            "skill_rows": skill_rows,
            "skill_errors": skill_errors,
            "levels": PROFICIENCY_LABELS,
        },
    )


@require_GET
def skill_row(request: HttpRequest) -> HttpResponse:
    """An empty skill row for the profile form (HTMX "Add a skill")."""
    return render(
        request, "people/_skill_row.html", {"name": "", "level": "3", "levels": PROFICIENCY_LABELS}
    )


@require_GET
def skill_autocomplete(request: HttpRequest) -> HttpResponse:
    """Skill names for a typed prefix: ``<option>`` elements for a datalist, or JSON."""
    text = next((request.GET[k] for k in ("q", "skill_name", "skill") if request.GET.get(k)), "")
    names = skill_suggestions(text)
    if request.GET.get("format") == "json":
        return JsonResponse({"skills": names})
    return render(request, "people/_skill_options.html", {"names": names})


@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    """HR uploads an HRIS export: checked first, applied only if every row is right."""
    if not can_import_people(request.user):
        raise PermissionDenied("Only HR staff and site admins can import people.")
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = request.POST.get("mode") == "check"
        report = importing.import_upload(
            upload,
            dry_run=dry_run,
            overwrite_profiles=form.cleaned_data["overwrite_profiles"],
        )
        if report.ok and report.applied:
            messages.success(
                request,
                f"Imported {upload.name}: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged.",
            )
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "report": report,
            "required_columns": importing.REQUIRED_COLUMNS,
            "optional_columns": importing.OPTIONAL_COLUMNS,
        },
    )
