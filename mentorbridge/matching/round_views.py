"""Admin matching rounds (start, progress, preview, pin/forbid, re-solve, compare, publish)
and the proposal page both people answer."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from mentorbridge.core.htmx import HtmxHttpRequest, swaps, vary_on_htmx
from mentorbridge.core.parsing import parse_int
from mentorbridge.core.permissions import is_program_admin
from mentorbridge.core.views import acting_person, current_person
from mentorbridge.matching.explanations import FACTOR_LABELS, reasons, summary
from mentorbridge.matching.models import (
    MatchingRound,
    Objective,
    Proposal,
    ProposalStatus,
    RoundStatus,
)
from mentorbridge.matching.round_selectors import (
    COMPARABLE,
    SHOW_LABELS,
    SORT_LABELS,
    PairFilters,
    comparable_rounds,
    picked_focus_area,
    picked_mentor,
    picker_options,
    round_pairs,
    unmatched_rows,
)
from mentorbridge.matching.round_text import summary_sentences
from mentorbridge.matching.selectors import scored_skills
from mentorbridge.matching.services import round_conflicts as conflict_svc
from mentorbridge.matching.services import rounds as svc
from mentorbridge.matching_engine.instance import DEFAULT_WEIGHTS, FACTORS
from mentorbridge.mentorships.selectors import mentorship_started_for
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from mentorbridge.programs.selectors import programs_visible_to

NOT_ADMIN = "Only this program's admins run matching rounds."
NO_SUCH_PERSON = "No {role} with employee ID “{employee_id}”: forbid a pair from its row."
NOTHING_CHOSEN = "Choose “withdraw” or “keep” for at least one open request."
PICK_TWO = "Pick two different previews of this program to compare."
STAT_ROWS = [
    ("coverage", "Focus areas matched", "percent"),
    ("matched", "Pairs", "int"),
    ("mean_score", "Mean fit (of 100)", "score"),
    ("min_score", "Lowest fit (of 100)", "score"),
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


def _weights_from(post: Any) -> dict[str, Any]:
    return {factor: post.get(f"w_{factor}", DEFAULT_WEIGHTS[factor]) for factor in FACTORS}


class WeightRow(NamedTuple):
    """One weight field of the settings form."""

    key: str
    label: str
    value: str  # as the field shows it: the admin's own text when the form comes back
    error: str


def _weight_rows(weights: dict[str, Any], errors: dict[str, str] | None = None) -> list[WeightRow]:
    rows = []
    for factor in FACTORS:
        value = weights.get(factor, DEFAULT_WEIGHTS[factor])
        shown = value[:40] if isinstance(value, str) else f"{value:g}"
        rows.append(WeightRow(factor, FACTOR_LABELS[factor], shown, (errors or {}).get(factor, "")))
    return rows


def _weight_errors(error: svc.BadWeights) -> dict[str, str]:
    """Each bad weight's message, naming its factor by the label the form shows."""
    return {factor: svc.BAD_WEIGHT.format(field=FACTOR_LABELS[factor]) for factor in error.factors}


def _in_words(error: ValidationError) -> list[str]:
    """A service's refusal for a page: bad weights named as the form names them."""
    if isinstance(error, svc.BadWeights):
        return list(_weight_errors(error).values())
    return error.messages


def _settings_errors(error: ValidationError) -> dict[str, Any]:
    """A refused start as the settings form shows it: each bad weight beside its field, named
    by the label the form shows; the objective's beside its select; the rest above the form."""
    if isinstance(error, svc.BadWeights):
        return {"weight_errors": _weight_errors(error)}
    if not hasattr(error, "error_dict"):
        return {"form_errors": error.messages}
    fields = error.message_dict
    return {
        "objective_error": " ".join(fields.get("objective", [])),
        "weights_error": " ".join(fields.get("weights", [])),
        "form_errors": [
            message
            for field, messages in fields.items()
            if field not in ("objective", "weights")
            for message in messages
        ],
    }


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
    return _rounds_page(request, _admin_program(request, slug))


def _rounds_page(
    request: HttpRequest,
    program: Program,
    *,
    objective: str | None = None,
    weights: dict[str, Any] = DEFAULT_WEIGHTS,
    refused: ValidationError | None = None,
) -> HttpResponse:
    """The rounds page; when a start was ``refused``, its form as the admin filled it in, with
    each error beside its field (422, as other refused forms answer)."""
    rounds = list(program.rounds.select_related("created_by")[:30])
    errors = _settings_errors(refused) if refused is not None else {}
    return render(
        request,
        "matching/rounds.html",
        {"program": program, "rounds": rounds, "objectives": Objective.choices,
         "objective": objective, "weights": _weight_rows(weights, errors.get("weight_errors")),
         "busy": any(r.is_working for r in rounds),
         "comparable": [r for r in rounds if r.status in COMPARABLE], **errors},
        status=422 if refused is not None else 200,
    )  # fmt: skip


@require_POST
def round_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a round with the chosen objective and weights."""
    program = _admin_program(request, slug)
    objective = request.POST.get("objective", "total")
    weights = _weights_from(request.POST)
    try:
        matching_round = svc.round_start(
            program=program, by=acting_person(request), objective=objective, weights=weights
        )
    except svc.RoundAlreadyStarted as already:
        messages.info(request, " ".join(already.messages))
        return redirect("matching-round", slug, already.existing.pk)
    except ValidationError as error:
        return _rounds_page(request, program, objective=objective, weights=weights, refused=error)
    return redirect("matching-round", slug, matching_round.pk)


PAIRS_PER_PAGE = 25
UNMATCHED_SHOWN = 100


@require_GET
@vary_on_htmx
def round_detail(request: HtmxHttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Progress while running; the preview once ready: a summary in words, the conflicts with
    open requests, and the pairs, filtered and paged."""
    matching_round = _round(request, slug, round_id)
    if matching_round.is_working:
        template = "matching/_round_progress.html" if swaps(request) else "matching/round.html"
        response = render(
            request, template, {"round": matching_round, "program": matching_round.program}
        )
        return response
    if swaps(request):
        # The preview is ready: the whole page, with the admin's filters and the changed pair.
        anchor = "#changed" if request.GET.get("changed") else ""
        return HttpResponseClientRedirect(request.get_full_path() + anchor)
    return _preview_page(request, matching_round, request.GET)


def _preview_page(
    request: HttpRequest,
    matching_round: MatchingRound,
    query: QueryDict,
    *,
    objective: str | None = None,
    weights: dict[str, Any] | None = None,
    refused: ValidationError | None = None,
) -> HttpResponse:
    """A finished round's page for the list of pairs ``query`` asks for; when a re-solve was
    ``refused``, its settings form as the admin filled it in, open, each error beside its
    field (422)."""
    ready = matching_round.status == RoundStatus.READY
    conflicts = conflict_svc.round_conflicts(matching_round) if ready else []
    filters = PairFilters.from_get(query)
    filtered_pairs = round_pairs(matching_round, filters, {c.focus_area_id for c in conflicts})
    changed = _changed(matching_round, parse_int(query.get("changed")), filtered_pairs)
    page_number = query.get("page") or (changed or {}).get("page")
    pairs = Paginator(filtered_pairs, PAIRS_PER_PAGE).get_page(page_number)
    if changed:
        changed["on_page"] = changed["page"] == pairs.number
    crossed = {c.focus_area_id: c for c in conflicts}
    for proposal in pairs:
        why = summary(
            reasons(
                proposal.factors,
                mentee=proposal.mentee,
                mentor=proposal.mentor,
                you="the mentee",
                goal_text=f"{proposal.focus_area.title} {proposal.focus_area.description}",
            )
        )
        setattr(proposal, "summary", why)  # noqa: B010 - shown by the template
        setattr(proposal, "conflict", crossed.get(proposal.focus_area_id))  # noqa: B010
    unmatched, unmatched_total = unmatched_rows(matching_round, filters.query, UNMATCHED_SHOWN)
    parent = matching_round.parent
    left_out = list(
        FocusArea.all_objects.select_related("enrollment__person").filter(
            pk__in=[int(a) for a in matching_round.left_out]
        )
    )
    undecided = sum(1 for c in conflicts if not c.choice)
    query = query.copy()
    query.pop("page", None)
    query.pop("changed", None)
    errors = _settings_errors(refused) if refused is not None else {}
    return render(
        request,
        "matching/round.html",
        {
            "round": matching_round,
            "program": matching_round.program,
            "pairs": pairs,
            "pair_count": matching_round.proposals.count(),
            "changed": changed,
            "filters": filters,
            "filtered": bool(filters.query or filters.show),
            "query_string": query.urlencode(),
            "sorts": SORT_LABELS.items(),
            "shows": SHOW_LABELS.items(),
            "unmatched": unmatched,
            "unmatched_total": unmatched_total,
            "left_out": left_out,
            "conflicts": conflicts,
            "undecided": undecided,
            "choices": conflict_svc.CHOICES,
            "will_withdraw": sum(
                len(c.requests) for c in conflicts if c.choice == conflict_svc.WITHDRAW
            ),
            "sentences": summary_sentences(
                matching_round.stats,
                matching_round.objective,
                previous=parent.stats if parent else None,
                previous_id=parent.pk if parent else None,
                left_out=len(left_out),
            ),
            "stats": stat_table(matching_round.stats, parent.stats if parent else None),
            "objectives": Objective.choices,
            "objective": objective or matching_round.objective,
            "weights": _weight_rows(
                matching_round.weights if weights is None else weights,
                errors.get("weight_errors"),
            ),
            "options": picker_options(matching_round) if ready else None,
            "comparable": comparable_rounds(matching_round),
            "settings_refused": refused is not None,
            **errors,
        },
        status=422 if refused is not None else 200,
    )


def _changed(
    matching_round: MatchingRound, area_id: int | None, filtered: Any
) -> dict[str, Any] | None:
    """The focus area the admin just pinned, forbade or put back, as this preview has it: its
    pair (or None: it waits without a mentor), and the page of the filtered list showing it
    (None: the filter hides it)."""
    if not area_id:
        return None
    proposal = (
        matching_round.proposals.select_related("mentee", "mentor", "focus_area")
        .filter(focus_area_id=area_id)
        .first()
    )
    if proposal is not None:
        area, mentee = proposal.focus_area, proposal.mentee
    else:
        found = (
            FocusArea.all_objects.select_related("enrollment__person")
            .filter(pk=area_id, enrollment__program=matching_round.program)
            .first()
        )
        if found is None:
            return None
        area, mentee = found, found.enrollment.person
    page = None
    if proposal is not None:
        order = list(filtered.values_list("focus_area_id", flat=True))
        if area_id in order:
            page = order.index(area_id) // PAIRS_PER_PAGE + 1
    return {
        "area": area,
        "mentee": mentee,
        "proposal": proposal,
        "page": page,
        "left_out": str(area_id) in matching_round.left_out,
    }


def _person(employee_id: str, role: str) -> Person:
    found = Person.objects.filter(employee_id=employee_id.strip()).first() if employee_id else None
    if found is None:
        raise ValidationError(NO_SUCH_PERSON.format(role=role, employee_id=employee_id[:40]))
    return found


def _decisions(post: Any) -> dict[int, str]:
    """Choices from the conflicts form: every listed ``area`` gets ``all`` (a button for every
    conflict at once) or its own ``choice_<id>``; areas left unanswered stay undecided."""
    apply_all = post.get("all", "")
    choices: dict[int, str] = {}
    for key in post.getlist("area"):
        choice = apply_all or post.get(f"choice_{key}", "")
        if key.isdigit() and choice:
            choices[int(key)] = choice
    if not choices:
        raise ValidationError(NOTHING_CHOSEN)
    return choices


@require_POST
def round_change(request: HttpRequest, slug: str, round_id: int, action: str) -> HttpResponse:
    """Pin, forbid, re-solve or leave a focus area out: each makes a new preview that remembers
    its parent. Deciding the conflicts with open requests changes this preview."""
    matching_round = _round(request, slug, round_id)
    by = acting_person(request)
    post = request.POST
    back = request.POST.get("back", "")
    changed: int | None = None
    try:
        if action == "pin":
            area = picked_focus_area(matching_round, post.get("focus_area", ""))
            changed = area.pk
            new = svc.round_pin(
                matching_round=matching_round, by=by, mentee=area.enrollment.person,
                focus_area=area, mentor=picked_mentor(matching_round, post.get("mentor", "")),
            )  # fmt: skip
        elif action == "forbid":
            new = svc.round_forbid(
                matching_round=matching_round, by=by,
                mentee=_person(post.get("mentee", ""), "mentee"),
                mentor=_person(post.get("mentor", ""), "mentor"),
                permanent=post.get("permanent") == "on",
            )  # fmt: skip
            changed = parse_int(post.get("focus_area"))
        elif action == "resolve":
            try:
                new = svc.round_resolve(
                    matching_round=matching_round, by=by, objective=post.get("objective", "total"),
                    weights=_weights_from(post),
                )  # fmt: skip
            except svc.RoundAlreadyStarted:
                raise
            except ValidationError as error:
                # the page again, the settings form as typed with each error by its field
                return _preview_page(
                    request, matching_round,
                    QueryDict(_back_to(slug, round_id, back).partition("?")[2]),
                    objective=post.get("objective", "total"), weights=_weights_from(post),
                    refused=error,
                )  # fmt: skip
        elif action in ("leave_out", "put_back"):
            area = picked_focus_area(matching_round, post.get("focus_area", ""))
            new = svc.round_leave_out(
                matching_round=matching_round, by=by, out=action == "leave_out", focus_area=area
            )
            changed = area.pk
        elif action == "decide":
            choices = _decisions(post)
            conflict_svc.round_decide_conflicts(
                matching_round=matching_round, by=by, choices=choices
            )
            messages.success(request, _decided_message(choices))
            return redirect(_back_to(slug, round_id, back) + "#conflicts")
        else:
            raise Http404("No such change.")
    except svc.RoundAlreadyStarted as already:
        messages.info(request, " ".join(already.messages))
        return redirect("matching-round", slug, already.existing.pk)
    except ValidationError as error:
        messages.error(request, " ".join(_in_words(error)))
        return redirect(_back_to(slug, round_id, back))
    if new.status == "failed":
        messages.error(request, new.error)
    return redirect(_new_preview(slug, new.pk, back, changed))


def _new_preview(slug: str, round_id: int, back: str, changed: int | None) -> str:
    """The new preview a change made, with the admin's filters (not the page: the list may
    have moved) and, when one focus area changed, that one: its page opens, its row marked."""
    url = _back_to(slug, round_id, back, keep=("q", "show", "sort"))
    if not changed:
        return url
    return f"{url}{'&' if '?' in url else '?'}changed={changed}#changed"


def _decided_message(choices: dict[int, str]) -> str:
    withdraw = sum(1 for c in choices.values() if c == conflict_svc.WITHDRAW)
    keep = len(choices) - withdraw
    parts = []
    if withdraw:
        parts.append(f"{withdraw} to withdraw when you publish")
    if keep:
        parts.append(f"{keep} to keep open")
    return "Saved: open requests " + " and ".join(parts) + "."


def _back_to(
    slug: str, round_id: int, back: str, keep: tuple[str, ...] = ("q", "show", "sort", "page")
) -> str:
    """The round page, keeping the admin's filters and page (only this page's own fields)."""
    url = reverse("matching-round", args=[slug, round_id])
    given = QueryDict(back)
    kept = QueryDict(mutable=True)
    for key in keep:
        if given.get(key):
            kept[key] = str(given.get(key))[:100]
    return f"{url}?{kept.urlencode()}" if kept else url


@require_POST
def round_publish(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Send the proposals to both people in each pair."""
    matching_round = _round(request, slug, round_id)
    try:
        published = svc.round_publish(matching_round=matching_round, by=acting_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        note = (
            f" {published.dropped} pair(s) were dropped: they found a mentor since the preview."
            if published.dropped
            else ""
        )
        if published.requests_withdrawn:
            note += (
                f" {published.requests_withdrawn} open request(s) were withdrawn as you chose; "
                "the mentees and those mentors were told."
            )
        messages.success(
            request, f"Published: {published.sent} proposals sent to both people.{note}"
        )
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
def round_compare_pick(request: HttpRequest, slug: str) -> HttpResponse:
    """The compare picker's answer: two previews of this program → their comparison."""
    program = _admin_program(request, slug)
    left, right = parse_int(request.GET.get("left")), parse_int(request.GET.get("right"))
    found = set(
        MatchingRound.objects.filter(program=program, pk__in=[left or 0, right or 0]).values_list(
            "pk", flat=True
        )
    )
    if not left or not right or left == right or {left, right} - found:
        messages.error(request, PICK_TWO)
        back = parse_int(request.GET.get("from"))
        if back in found:
            return redirect("matching-round", slug, back)
        return redirect("matching-rounds", slug)
    return redirect("matching-round-compare", slug, left, right)


def _mentee_key(proposal: Proposal) -> tuple[str, str, int]:
    return (proposal.mentee.last_name, proposal.mentee.first_name, proposal.focus_area_id)


@require_GET
def round_compare(request: HttpRequest, slug: str, round_id: int, other_id: int) -> HttpResponse:
    """Two previews side by side: figures and the pairs that differ."""
    left = _round(request, slug, round_id)
    right = _round(request, slug, other_id)

    def pairs(r: MatchingRound) -> dict[int, Proposal]:
        return {
            p.focus_area_id: p
            for p in r.proposals.select_related("mentee", "mentor", "focus_area").order_by(
                "mentee__last_name", "mentee__first_name", "focus_area_id"
            )
        }

    a, b = pairs(left), pairs(right)
    changed = [
        {
            "area": (a.get(k) or b[k]).focus_area,
            "mentee": (a.get(k) or b[k]).mentee,
            "left": a.get(k),
            "right": b.get(k),
        }
        for k in sorted(set(a) | set(b), key=lambda k: _mentee_key(a.get(k) or b[k]))
        if (a.get(k) and a[k].mentor_id) != (b.get(k) and b[k].mentor_id)
    ]
    rows = [{**row, "other": right.stats.get(row["key"])} for row in stat_table(left.stats, None)]
    page = Paginator(changed, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "matching/compare.html",
        {"program": left.program, "left": left, "right": right, "rows": rows, "changed": page},
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
    crossed = (
        conflict_svc.conflicting_requests(
            program=proposal.round.program, pairs=[(proposal.focus_area_id, proposal.mentor_id)]
        ).get(proposal.focus_area_id, [])
        if proposal.status == ProposalStatus.SENT
        else []
    )
    return render(
        request,
        "matching/proposal.html",
        {
            "proposal": proposal, "is_mentee": is_mentee, "other": other, "answered": answered,
            "mentorship": mentorship_started_for(
                focus_area_id=proposal.focus_area_id, mentee_id=proposal.mentee_id,
                mentor_id=proposal.mentor_id,
            ) if proposal.status == "accepted" else None,
            "open_requests": crossed,
            "reasons": reasons(
                proposal.factors,
                mentee=proposal.mentee,
                mentor=proposal.mentor,
                you="you" if is_mentee else proposal.mentee.first_name,
                goal_text=f"{proposal.focus_area.title} {proposal.focus_area.description}",
                focus_skills=proposal.focus_area.wanted_skills(),
                mentor_skills=scored_skills(proposal.mentor),
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
            started = mentorship_started_for(
                focus_area_id=proposal.focus_area_id, mentee_id=proposal.mentee_id,
                mentor_id=proposal.mentor_id,
            )  # fmt: skip
            link = started.get_absolute_url() if started else ""
            messages.success(
                request,
                format_html(
                    "You're matched! Your mentorship has started. "
                    '<a href="{}">Open your mentorship</a>', link,
                ),
            )  # fmt: skip
        else:
            messages.success(request, "Accepted. We'll tell you when the other person answers.")
    return redirect("matching-proposal", pk)
