"""Admin matching rounds (start, progress, preview, pin/forbid, re-solve, compare, publish)
and the proposal page both people answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentorbridge.core.parsing import parse_int
from mentorbridge.core.permissions import is_program_admin
from mentorbridge.core.views import acting_person, current_person
from mentorbridge.matching.explanations import FACTOR_LABELS, reasons, summary
from mentorbridge.matching.models import MatchingRound, Objective, Proposal
from mentorbridge.matching.services import rounds as svc
from mentorbridge.matching_engine.instance import DEFAULT_WEIGHTS, FACTORS
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program, Role
from mentorbridge.programs.selectors import programs_visible_to

NOT_ADMIN = "Only this program's admins run matching rounds."
STAT_ROWS = [
    ("coverage", "Focus areas matched", "percent"),
    ("matched", "Pairs", "int"),
    ("mean_score", "Mean score", "score"),
    ("min_score", "Lowest score", "score"),
    ("mentors_used", "Mentors used", "int"),
    ("capacity_used", "Mentor places used", "percent"),
    ("max_load", "Most mentees for one mentor", "int"),
    ("cross_department", "Pairs across departments", "percent"),
    ("gap", "Optimality gap", "gap"),
]


def _admin_program(request: HttpRequest, slug: str) -> Program:
    program = get_object_or_404(programs_visible_to(request.user), slug=slug)
    if not is_program_admin(request.user, program):
        raise PermissionDenied(NOT_ADMIN)
    return program


def _round(request: HttpRequest, slug: str, round_id: int) -> MatchingRound:
    program = _admin_program(request, slug)
    return get_object_or_404(
        MatchingRound.objects.select_related("program", "parent"), pk=round_id, program=program
    )


def _weights_from(post: Any) -> dict[str, str]:
    return {factor: post.get(f"w_{factor}", DEFAULT_WEIGHTS[factor]) for factor in FACTORS}


def _weight_rows(weights: dict[str, float]) -> list[tuple[str, str, float]]:
    return [(f, FACTOR_LABELS[f], weights.get(f, DEFAULT_WEIGHTS[f])) for f in FACTORS]


def stat_table(current: dict[str, Any], previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Rows of figures for a preview, with the change from the previous preview."""
    rows = []
    for key, label, kind in STAT_ROWS:
        value = current.get(key)
        before = previous.get(key) if previous else None
        delta = (
            value - before
            if isinstance(value, int | float) and isinstance(before, int | float)
            else None
        )
        rows.append(
            {
                "key": key,
                "label": label,
                "kind": kind,
                "value": value,
                "before": before,
                "delta": delta,
            }
        )
    return rows


@require_GET
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Past and current rounds, and the form to start one."""
    program = _admin_program(request, slug)
    rounds = list(program.rounds.select_related("created_by")[:30])
    return render(
        request,
        "matching/rounds.html",
        {"program": program, "rounds": rounds, "objectives": Objective.choices,
         "weights": _weight_rows(DEFAULT_WEIGHTS), "busy": any(r.is_working for r in rounds)},
    )  # fmt: skip


@require_POST
def round_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a round with the chosen objective and weights."""
    program = _admin_program(request, slug)
    try:
        matching_round = svc.round_start(
            program=program, by=acting_person(request),
            objective=request.POST.get("objective", "total"), weights=_weights_from(request.POST),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching-rounds", slug)
    return redirect("matching-round", slug, matching_round.pk)


@require_GET
def round_detail(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Progress while running; the preview once ready."""
    matching_round = _round(request, slug, round_id)
    if matching_round.is_working:
        template = (
            "matching/_round_progress.html"
            if request.headers.get("HX-Request")
            else "matching/round.html"
        )
        response = render(
            request, template, {"round": matching_round, "program": matching_round.program}
        )
        return response
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.path
        return response
    proposals = list(
        matching_round.proposals.select_related(
            "mentee__department", "mentor__department", "focus_area"
        )
    )
    for proposal in proposals:
        why = summary(
            reasons(
                proposal.factors, mentee=proposal.mentee, mentor=proposal.mentor, you="the mentee"
            )
        )
        setattr(proposal, "summary", why)  # noqa: B010 - shown by the template
    area_ids = [int(u["focus_area"]) for u in matching_round.unmatched]
    areas = FocusArea.objects.select_related("enrollment__person").in_bulk(area_ids)
    unmatched = [{**u, "area": areas.get(int(u["focus_area"]))} for u in matching_round.unmatched]
    mentors = Person.objects.filter(
        enrollments__program=matching_round.program, enrollments__status="active",
        enrollments__role__in=[Role.MENTOR, Role.BOTH],
    ).order_by("last_name", "first_name")[:1000]  # fmt: skip
    return render(
        request,
        "matching/round.html",
        {
            "round": matching_round,
            "program": matching_round.program,
            "proposals": proposals,
            "unmatched": unmatched,
            "stats": stat_table(
                matching_round.stats, matching_round.parent.stats if matching_round.parent else None
            ),
            "objectives": Objective.choices,
            "weights": _weight_rows(matching_round.weights),
            "mentors": mentors,
        },
    )


def _person(employee_id: str) -> Person:
    return get_object_or_404(Person, employee_id=employee_id.strip())


@require_POST
def round_change(request: HttpRequest, slug: str, round_id: int, action: str) -> HttpResponse:
    """Pin, forbid or re-solve: each makes a new preview that remembers its parent."""
    matching_round = _round(request, slug, round_id)
    by = acting_person(request)
    post = request.POST
    try:
        if action == "pin":
            area = get_object_or_404(
                FocusArea,
                pk=parse_int(post.get("focus_area")) or 0,
                enrollment__program=matching_round.program,
            )
            new = svc.round_pin(
                matching_round=matching_round, by=by, mentee=area.enrollment.person,
                focus_area=area, mentor=_person(post.get("mentor", "")),
            )  # fmt: skip
        elif action == "forbid":
            new = svc.round_forbid(
                matching_round=matching_round, by=by, mentee=_person(post.get("mentee", "")),
                mentor=_person(post.get("mentor", "")), permanent=post.get("permanent") == "on",
            )  # fmt: skip
        elif action == "resolve":
            new = svc.round_resolve(
                matching_round=matching_round, by=by, objective=post.get("objective", "total"),
                weights=_weights_from(post),
            )  # fmt: skip
        else:
            raise PermissionDenied("Unknown change.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching-round", slug, round_id)
    if new.status == "failed":
        messages.error(request, new.error)
    return redirect("matching-round", slug, new.pk)


@require_POST
def round_publish(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Send the proposals to both people in each pair."""
    matching_round = _round(request, slug, round_id)
    try:
        sent, dropped = svc.round_publish(matching_round=matching_round, by=acting_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        note = (
            f" {dropped} pair(s) were dropped: they found a mentor since the preview."
            if dropped
            else ""
        )
        messages.success(request, f"Published: {sent} proposals sent to both people.{note}")
    return redirect("matching-round", slug, round_id)


@require_POST
def round_cancel(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Stop a queued or running round (say, stuck after a crash); a new one can start."""
    matching_round = _round(request, slug, round_id)
    try:
        svc.round_cancel(matching_round=matching_round, by=acting_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Round cancelled. You can start a new round now.")
    return redirect("matching-round", slug, round_id)


@require_GET
def round_compare(request: HttpRequest, slug: str, round_id: int, other_id: int) -> HttpResponse:
    """Two previews side by side: figures and the pairs that differ."""
    left = _round(request, slug, round_id)
    right = _round(request, slug, other_id)

    def pairs(r: MatchingRound) -> dict[int, Proposal]:
        return {
            p.focus_area_id: p for p in r.proposals.select_related("mentee", "mentor", "focus_area")
        }

    a, b = pairs(left), pairs(right)
    changed = [
        {
            "area": (a.get(k) or b[k]).focus_area,
            "mentee": (a.get(k) or b[k]).mentee,
            "left": a.get(k),
            "right": b.get(k),
        }
        for k in sorted(set(a) | set(b))
        if (a.get(k) and a[k].mentor_id) != (b.get(k) and b[k].mentor_id)
    ]
    rows = [{**row, "other": right.stats.get(row["key"])} for row in stat_table(left.stats, None)]
    return render(
        request, "matching/compare.html",
        {"program": left.program, "left": left, "right": right, "rows": rows, "changed": changed},
    )  # fmt: skip


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed pair, explained, with accept/decline for whichever side you are."""
    person = current_person(request)
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "round__program", "mentee__department", "mentor__department", "focus_area"
        ),
        pk=pk,
    )
    if person.pk not in (proposal.mentee_id, proposal.mentor_id) or proposal.status == "preview":
        raise Http404("No such proposal.")
    is_mentee = person.pk == proposal.mentee_id
    other = proposal.mentor if is_mentee else proposal.mentee
    answered = proposal.mentee_accepted if is_mentee else proposal.mentor_accepted
    return render(
        request,
        "matching/proposal.html",
        {
            "proposal": proposal, "is_mentee": is_mentee, "other": other, "answered": answered,
            "reasons": reasons(
                proposal.factors,
                mentee=proposal.mentee,
                mentor=proposal.mentor,
                you="you" if is_mentee else proposal.mentee.first_name,
                focus_skills={s.slug: s.name for s in proposal.focus_area.skills.all()},
                mentor_skills={
                    ps.skill.slug: ps.proficiency
                    for ps in proposal.mentor.person_skills.select_related("skill")
                },
            ),
        },
    )  # fmt: skip


@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline a proposal."""
    person = current_person(request)
    proposal = get_object_or_404(Proposal, pk=pk)
    if person.pk not in (proposal.mentee_id, proposal.mentor_id) or proposal.status == "preview":
        raise Http404("No such proposal.")
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        return HttpResponseBadRequest("Answer with accept or decline.")
    accept = answer == "accept"
    try:
        proposal = svc.proposal_answer(
            proposal=proposal, by=person, accept=accept, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if proposal.status == "withdrawn":
            messages.error(request, proposal.decline_note)
        elif not accept:
            messages.success(
                request, "Declined. Thank you for saying so: we'll look for a better match."
            )
        elif proposal.status == "accepted":
            messages.success(request, "You're matched! Your mentorship has started.")
        else:
            messages.success(request, "Accepted. We'll tell you when the other person answers.")
    return redirect("matching-proposal", pk)
