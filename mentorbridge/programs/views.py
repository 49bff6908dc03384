"""Program pages: the list, a program, joining it, and its admins' enrollment tools."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.core.htmx import HtmxHttpRequest, swaps, vary_on_htmx
from mentorbridge.core.once import AlreadySent
from mentorbridge.core.parsing import parse_int
from mentorbridge.core.permissions import can_create_programs, is_program_admin
from mentorbridge.core.views import acting_person, current_person
from mentorbridge.mentorships.access import mentorships_of, with_members
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.forms import (
    KEEP_OWN,
    SKILLS_TO_CONFIRM,
    SkillToConfirm,
    resolve_skill_choices,
)
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, unknown_skills
from mentorbridge.people.skill_reading import shown_read_skills
from mentorbridge.people.views import read_skill_form
from mentorbridge.programs.forms import AgreementTemplateForm, InviteForm, JoinForm, ProgramForm
from mentorbridge.programs.models import (
    Enrollment,
    EnrollmentStatus,
    FocusArea,
    Program,
    ProgramStatus,
    Role,
)
from mentorbridge.programs.selectors import (
    enrollment_counts,
    enrollment_filters_check,
    enrollment_list,
    enrollments_of,
    invitees,
    programs_visible_to,
)
from mentorbridge.programs.services import (
    FocusAreaInput,
    agreement_template_for,
    agreement_template_update,
    eligibility_problem,
    enrollment_decide,
    enrollment_invite,
    enrollment_join,
    enrollment_set_mentoring,
    enrollment_withdraw,
    focus_area_remove_read_skill,
    focus_area_restore_read_skill,
    program_create,
    program_set_status,
    program_update,
)
from mentorbridge.programs.standing import standing

NOT_ADMIN = "Only this program's admins can do that."

# What the program page says instead of "Join" to an account without an employee profile.
NO_PROFILE_TO_JOIN = (
    "Your account has no employee profile, so it cannot join programs. Ask HR to include you "
    "in the next HRIS import."
)


def invite_summary(invited: int, already_in: int) -> str:
    """ "Invited 2 people; 1 was already in." in words that agree with the numbers."""
    text = (
        f"Invited {invited} {'person' if invited == 1 else 'people'}"
        if invited
        else ("No one new to invite")
    )
    if already_in:
        text += f"; {already_in} {'was' if already_in == 1 else 'were'} already in"
    return text + "."


def _program_for(request: HttpRequest, slug: str, *, admin: bool = False) -> Program:
    program = get_object_or_404(programs_visible_to(request.user), slug=slug)
    if admin and not is_program_admin(request.user, program):
        raise PermissionDenied(NOT_ADMIN)
    return program


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    """Programs you're in, programs open to join, and the rest."""
    programs = list(programs_visible_to(request.user).prefetch_related("admins"))
    person = getattr(request.user, "person", None)
    mine = enrollments_of(person) if person else {}
    # admins are prefetched: no query per program
    me = getattr(person, "pk", None)
    managed = {
        p.pk for p in programs
        if request.user.is_superuser or any(a.pk == me for a in p.admins.all())
    }  # fmt: skip
    return render(
        request,
        "programs/list.html",
        {
            "mine": [(p, mine[p.pk]) for p in programs if p.pk in mine],
            "open": [p for p in programs if p.pk not in mine and p.is_enrollment_open()],
            "others": [p for p in programs if p.pk not in mine and not p.is_enrollment_open()],
            "can_create": can_create_programs(request.user),
            "managed": managed,
        },
    )


@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    """HR creates a program; it starts as a draft only its admins see."""
    if not can_create_programs(request.user):
        raise PermissionDenied("Only HR staff and site admins can create programs.")
    creator = acting_person(request)
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["admins"] = data.pop("admin_people")
        try:
            program = program_create(creator=creator, **data)
        except AlreadySent as already:
            messages.info(request, " ".join(already.messages))
            assert isinstance(already.existing, Program)
            return redirect(already.existing)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{program.name} created as a draft. Open enrollment when ready."
            )
            return redirect(program)
    return render(request, "programs/form.html", {"form": form, "program": None})


@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Program admins change the program's settings."""
    program = _program_for(request, slug, admin=True)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        editor = getattr(request.user, "person", None)
        data["admins"] = [*data.pop("admin_people"), *([editor] if editor else [])]
        try:
            program_update(program=program, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Program settings saved.")
            return redirect(program)
    template_form = AgreementTemplateForm(instance=agreement_template_for(program))
    return render(
        request,
        "programs/form.html",
        {"form": form, "program": program, "template_form": template_form},
    )


@require_POST
def program_agreement_template(request: HttpRequest, slug: str) -> HttpResponse:
    """Program admins set what new mentorship agreements in the program start from."""
    program = _program_for(request, slug, admin=True)
    form = AgreementTemplateForm(request.POST, instance=agreement_template_for(program))
    if form.is_valid():
        agreement_template_update(program=program, **form.cleaned_data)
        messages.success(request, "Agreement template saved: new agreements start from it.")
        return redirect("programs-edit", program.slug)
    return render(
        request,
        "programs/form.html",
        {"form": ProgramForm(instance=program), "program": program, "template_form": form},
        status=400,
    )


@require_GET
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """What the program is, whether you can join, and (for admins) where it stands."""
    program = _program_for(request, slug)
    person = getattr(request.user, "person", None)
    enrollment = (
        Enrollment.objects.filter(program=program, person=person)
        .prefetch_related("focus_areas__skills")
        .first()
        if person
        else None
    )
    admin = is_program_admin(request.user, program)
    mentorships = (
        with_members(
            mentorships_of(person)
            .filter(program=program, status__in=HOLDS_CAPACITY)
            .select_related("mentee", "mentor", "focus_area")
        )
        if person
        else Mentorship.objects.none()
    )
    # The prefetched focus areas are the template's own objects: give each its read skills.
    for area in enrollment.focus_areas.all() if enrollment else ():
        picked = [skill.slug for skill in area.skills.all()]
        area.read_shown = shown_read_skills(  # type: ignore[attr-defined]
            area.read_skills, area.removed_read_skills, picked
        )
        area.read_removed = shown_read_skills(  # type: ignore[attr-defined]
            area.removed_read_skills, [], picked
        )
    return render(
        request,
        "programs/detail.html",
        {
            "mentorships": mentorships,
            "program": program,
            "enrollment": enrollment,
            "is_admin": admin,
            "counts": enrollment_counts(program) if admin else None,
            "ineligible": eligibility_problem(program, person) if person else NO_PROFILE_TO_JOIN,
            "admins": program.admins.select_related("user"),
            "departments": program.eligible_departments.all(),
            "statuses": [(s, ProgramStatus(s).label) for s in program.allowed_next_statuses()],
        },
    )


@require_POST
def program_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Program admins move the program to its next stage."""
    program = _program_for(request, slug, admin=True)
    try:
        program_set_status(program=program, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{program.name} is now {program.get_status_display().lower()}.")
    return redirect(program)


def _confirm_focus_area_skills(
    request: HttpRequest, person: Person, items: list[FocusAreaInput]
) -> tuple[list[FocusAreaInput], dict[str, SkillToConfirm]]:
    """Focus-area skills outside the catalogue wait for the person's choice, as on the
    profile: a catalogue skill they meant, or their own skill kept as typed."""
    names = [" ".join(s.split()) for item in items for s in item.skills if s.strip()]
    unknown = unknown_skills(person=person, names=names)
    resolved: list[FocusAreaInput] = []
    pending: dict[str, SkillToConfirm] = {}
    for item in items:
        # The profile's resolver takes entries with a level; focus-area skills have none, so
        # every entry gets level 1 and only the names are kept below.
        entries = [SkillEntry(name=" ".join(s.split()), proficiency=1) for s in item.skills]
        chosen, waiting = resolve_skill_choices(
            [e for e in entries if e.name], unknown, request.POST.getlist
        )
        pending.update(waiting)
        skills = list(dict.fromkeys(e.name for e in chosen))
        resolved.append(FocusAreaInput(item.title, item.description, skills))
    return resolved, pending


@require_http_methods(["GET", "POST"])
def program_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Answer the program's questions to join as mentee, mentor or both."""
    program = _program_for(request, slug)
    person = current_person(request)
    existing = Enrollment.objects.filter(program=program, person=person).first()
    invited = existing is not None and existing.status == EnrollmentStatus.INVITED
    problem = None if invited else eligibility_problem(program, person)
    if not invited and not program.is_enrollment_open():
        problem = f"{program.name} is not open for enrollment right now."
    initial = {"role": existing.role} if invited and existing else {}
    if not initial and request.GET.get("role") in Role.values:  # "become a mentor" links
        initial = {"role": request.GET["role"]}
    form = JoinForm(request.POST or None, program=program, initial=initial)
    to_confirm: dict[str, SkillToConfirm] = {}
    focus_areas: list[FocusAreaInput] = []
    if request.method == "POST" and problem is None and form.is_valid():
        focus_areas, to_confirm = _confirm_focus_area_skills(request, person, form.focus_areas())
        if to_confirm:
            form.add_error(None, SKILLS_TO_CONFIRM)
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            enrollment = enrollment_join(
                program=program,
                person=person,
                focus_areas=focus_areas,
                **{
                    **form.cleaned_data,
                    "mentor_capacity": form.cleaned_data["mentor_capacity"] or 0,
                },
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        except PermissionDenied as error:
            problem = str(error)
        else:
            if enrollment.status == EnrollmentStatus.PENDING:
                messages.success(request, "Thanks! The program team will confirm your place soon.")
            else:
                messages.success(request, _welcome(program, enrollment))
            return redirect(program)
    focus_rows = [
        {
            "n": n,
            "title": form.data.get(f"fa-{n}-title", ""),
            "description": form.data.get(f"fa-{n}-description", ""),
            "skills": form.data.get(f"fa-{n}-skills", ""),
            "confirm": [
                to_confirm[name]
                for name in dict.fromkeys(
                    " ".join(s.split()) for s in form.data.get(f"fa-{n}-skills", "").split(",")
                )
                if name in to_confirm
            ],
        }
        for n in range(program.max_mentors_per_mentee)
    ]
    return render(
        request,
        "programs/join.html",
        {
            "program": program,
            "form": form,
            "problem": problem,
            "focus_rows": focus_rows,
            "invited": invited,
            "keep_own": KEEP_OWN,
            "focus_error": form.errors.get("focus_areas"),
        },
    )


@require_POST
def program_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave a program or turn down an invitation."""
    program = _program_for(request, slug)
    person = current_person(request)
    enrollment = get_object_or_404(Enrollment, program=program, person=person)
    try:
        enrollment_withdraw(enrollment=enrollment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have left {program.name}.")
    return redirect(program)


@require_POST
def focus_area_read_skills(request: HttpRequest, slug: str, focus_area_id: int) -> HttpResponse:
    """A mentee removes a skill read wrongly from one of their goals, or puts it back."""
    program = _program_for(request, slug)
    area = get_object_or_404(
        FocusArea,
        pk=focus_area_id,
        enrollment__program=program,
        enrollment__person=current_person(request),
    )
    refused = read_skill_form(
        request,
        remove=lambda skill: focus_area_remove_read_skill(focus_area=area, slug=skill),
        restore=lambda skill: focus_area_restore_read_skill(focus_area=area, slug=skill),
        where=f"for “{area.title}”",
    )
    return refused or redirect(program)


@require_POST
def program_mentoring(request: HttpRequest, slug: str) -> HttpResponse:
    """A mentor sets their capacity and pauses or resumes new requests."""
    program = _program_for(request, slug)
    enrollment = get_object_or_404(
        Enrollment, program=program, person=current_person(request), status=EnrollmentStatus.ACTIVE
    )
    raw = request.POST.get("mentor_capacity", "")
    try:
        enrollment_set_mentoring(
            enrollment=enrollment,
            capacity=parse_int(raw, maximum=1000) or 0,
            accepting_requests=request.POST.get("accepting_requests") == "on",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        state = "open to new mentees" if enrollment.accepting_requests else "paused"
        messages.success(request, f"Saved: {enrollment.mentor_capacity} places, {state}.")
    return redirect(program)


ENROLLMENTS_PER_PAGE = 50


def _welcome(program: Program, enrollment: Enrollment) -> str:
    """Welcome, and the next step: find a mentor for the first goal, or wait for requests."""
    area = enrollment.focus_areas.order_by("pk").first() if enrollment.is_mentee else None
    if area is not None and program.accepts_requests:
        return format_html(
            'Welcome to {}! Next: <a href="{}">find a mentor for “{}”</a>.',
            program.name, reverse("matching-find", args=[program.slug, area.pk]), area.title,
        )  # fmt: skip
    if enrollment.is_mentor:
        return format_html(
            "Welcome to {}! Mentees' requests will wait in <a href=\"{}\">your inbox</a>, "
            "and you get an email for each.",
            program.name, reverse("matching-inbox"),
        )  # fmt: skip
    return f"Welcome to {program.name}!"


@require_http_methods(["GET", "POST"])
@vary_on_htmx
def program_enrollments(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Program admins: who is enrolled, head counts, approvals and invitations."""
    program = _program_for(request, slug, admin=True)
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        found = invitees(invite_form.identifiers())
        if not found.people:
            invite_form.add_error("people", found.problem_text())
        else:
            try:
                invited = enrollment_invite(
                    program=program,
                    people=found.people,
                    role=invite_form.cleaned_data["role"],
                    invited_by=acting_person(request),
                )
            except ValidationError as error:
                invite_form.add_error("people", error)
            else:
                messages.success(
                    request, invite_summary(len(invited), len(found.people) - len(invited))
                )
                if not found.problems:
                    return redirect("programs-enrollments", program.slug)
                # Keep only what could not be invited in the box, to correct and send again.
                role = invite_form.cleaned_data["role"]
                invite_form = InviteForm({"people": "\n".join(found.problems), "role": role})
                invite_form.is_valid()
                invite_form.add_error("people", found.problem_text())
    role, status, state = _list_filters(request)
    query = request.GET.get("q", "").strip()
    registered = standing()
    states = registered.labels if registered is not None else {}
    enrollments = enrollment_list(program, role=role, status=status, query=query, state=state)
    context = {
        "program": program,
        "enrollments": Paginator(enrollments, ENROLLMENTS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "total": enrollments.count(),
        "counts": enrollment_counts(program),
        "invite_form": invite_form,
        "role": role,
        "status": status,
        "query": query,
        "state": state,
        "states": list(states.items()),
        "statuses": EnrollmentStatus.choices,
        # the filters as applied (a refused value is not carried into the CSV link)
        "filters": urlencode(
            {
                k: v
                for k, v in (("role", role), ("status", status), ("state", state), ("q", query))
                if v
            }
        ),
    }
    if swaps(request, "enrollment-rows"):
        return render(request, "programs/_enrollment_rows.html", context)
    return render(request, "programs/enrollments.html", context)


def _list_filters(request: HttpRequest) -> tuple[str, str, str]:
    """The enrollment list's role, status and standing filters from the query string. A value
    that names none (a hand-edited or stale link: ``role=mentors``) is dropped with a message
    that says so, so the page never lists everyone while looking filtered."""
    found = {name: request.GET.get(name, "") for name in ("role", "status", "state")}
    try:
        enrollment_filters_check(**found)
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            messages.error(request, f"{' '.join(problems)} The list is not filtered by {name}.")
            found[name] = ""
    return found["role"], found["status"], found["state"]


@require_POST
def enrollment_decision(request: HtmxHttpRequest, slug: str, enrollment_id: int) -> HttpResponse:
    """Approve or decline one enrollment awaiting approval (HTMX swaps its row)."""
    program = _program_for(request, slug, admin=True)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("person__user", "person__department"),
        pk=enrollment_id,
        program=program,
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return HttpResponseBadRequest("Decide with approve or decline.")
    try:
        enrollment_decide(enrollment=enrollment, approve=decision == "approve")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if swaps(request):
        return render(
            request, "programs/_enrollment_row.html", {"e": enrollment, "program": program}
        )
    return redirect("programs-enrollments", program.slug)
