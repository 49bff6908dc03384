"""Finding a mentor: suggestions, requests (mentee side) and the mentor's inbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.core.htmx import HtmxHttpRequest, swaps, vary_on_htmx
from mentorbridge.core.parsing import parse_int
from mentorbridge.core.views import current_person
from mentorbridge.matching import selectors
from mentorbridge.matching.models import DeclineReason, MentorRequest, RequestStatus
from mentorbridge.matching.rules import pair_problems_to_mentor
from mentorbridge.matching.services import requests as request_services
from mentorbridge.people.models import Department, Person
from mentorbridge.people.validators import LANGUAGE_NAMES
from mentorbridge.programs.models import FocusArea
from mentorbridge.programs.selectors import programs_visible_to

NO_SUCH_REQUEST = "No such request."
ALREADY_WAITING = "You already asked {mentor}; that request is waiting for an answer."
NOT_SENT_AGAIN = "The message you just wrote was not sent."


def _my_focus_area(request: HttpRequest, slug: str, focus_area_id: int) -> FocusArea:
    program = get_object_or_404(programs_visible_to(request.user), slug=slug)
    return get_object_or_404(
        FocusArea.objects.select_related("enrollment__program", "enrollment__person"),
        pk=focus_area_id,
        enrollment__program=program,
        enrollment__person=current_person(request),
    )


SUGGESTIONS_PER_PAGE = 10


@require_GET
@vary_on_htmx
def find_mentor(request: HtmxHttpRequest, slug: str, focus_area_id: int) -> HttpResponse:
    """Ranked, explained mentor suggestions for one of your focus areas, with filters, a page
    at a time (the filters and the page stay in the URL)."""
    focus_area = _my_focus_area(request, slug, focus_area_id)
    prefetch_related_objects([focus_area], "skills")  # the cards and the heading read them
    program = focus_area.enrollment.program
    mentee = focus_area.enrollment.person
    filters = selectors.SuggestionFilters(
        query=request.GET.get("q", "").strip(),
        skill=request.GET.get("skill", "").strip(),
        department_id=parse_int(request.GET.get("department")),
        location=request.GET.get("location", "").strip(),
        language=request.GET.get("language", "").strip(),
        meeting=request.GET.get("meeting", ""),
    )
    page_number = max(1, parse_int(request.GET.get("page")) or 1)
    page = selectors.suggestions_page(
        focus_area, filters, page=page_number, per_page=SUGGESTIONS_PER_PAGE
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "program": program,
        "focus_area": focus_area,
        "cards": page.cards,
        "page": page,
        "query_string": query_string.urlencode(),
        "filters": filters,
        "open_requests": selectors.open_request_count(mentee, program),
        "has_mentor": focus_area.mentorships.filter(status__in=["active", "paused"])
        .select_related("mentor")
        .first(),
        "pending_proposal": focus_area.proposals.filter(status="sent")
        .select_related("mentor")
        .first(),
    }
    if swaps(request, "suggestions"):
        return render(request, "matching/_suggestions.html", context)
    context.update(
        departments=Department.objects.order_by("name"),
        languages=sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1]),
        locations=selectors.mentor_locations(program),
        other_areas=focus_area.enrollment.focus_areas.exclude(pk=focus_area.pk),
    )  # fmt: skip
    return render(request, "matching/find.html", context)


@require_POST
@vary_on_htmx
def send_request(
    request: HtmxHttpRequest, slug: str, focus_area_id: int, employee_id: str
) -> HttpResponse:
    """Ask one suggested mentor; the message is kept on the page if anything is wrong. The
    HTMX answer also brings the page's open-request counter up to date."""
    focus_area = _my_focus_area(request, slug, focus_area_id)
    program = focus_area.enrollment.program
    mentor = get_object_or_404(Person, employee_id=employee_id)
    message = request.POST.get("message", "")
    try:
        request_services.request_create(
            mentee=focus_area.enrollment.person,
            mentor=mentor,
            focus_area=focus_area,
            message=message,
        )
    except request_services.AlreadyAsked as already:
        # A form sent twice (or asked again): the open request stands; say so, not an error.
        # Asked again with other words (another tab): say this message was not sent.
        kept = already.existing.message.strip() == message.strip()
        if swaps(request):
            mentee = focus_area.enrollment.person
            return render(
                request,
                "matching/_request_sent.html",
                {"mentor": mentor, "program": program, "not_sent": None if kept else message,
                 "open_requests": selectors.open_request_count(mentee, program)},
            )  # fmt: skip
        text = ALREADY_WAITING.format(mentor=mentor.full_name)
        messages.info(request, text if kept else f"{text} {NOT_SENT_AGAIN}")
        return redirect("matching-my-requests", program.slug)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if swaps(request):
            return render(
                request,
                "matching/_request_form.html",
                {"program": program, "focus_area": focus_area, "mentor": mentor,
                 "message": message, "error": text, "open": True},
                status=422,
            )  # fmt: skip
        messages.error(request, text)
        return redirect("matching-find", slug, focus_area.pk)
    if swaps(request):
        return render(
            request,
            "matching/_request_sent.html",
            {"mentor": mentor, "program": program,
             "open_requests": selectors.open_request_count(focus_area.enrollment.person, program)},
        )  # fmt: skip
    messages.success(request, f"Request sent to {mentor.full_name}.")
    return redirect("matching-my-requests", slug)


@require_GET
def my_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """Your requests in a program and what became of them."""
    program = get_object_or_404(programs_visible_to(request.user), slug=slug)
    mentee = current_person(request)
    return render(
        request,
        "matching/my_requests.html",
        {
            "program": program,
            "requests": selectors.requests_sent(mentee, program),
            "open_requests": selectors.open_request_count(mentee, program),
        },
    )


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Requests to you as a mentor, in every program: who asks, for what, how well you fit,
    and how many of your places are taken."""
    mentor = current_person(request)
    received = list(selectors.requests_received(mentor))
    items = selectors.inbox_items(mentor, [r for r in received if r.is_open])
    places = selectors.mentor_places(mentor)
    full = {p.program.pk: p for p in places if p.used >= p.capacity}
    # What stands in the way of "Accept", in the mentor's words, before they press it.
    blocked = pair_problems_to_mentor(mentor, [item.request for item in items])
    for item in items:
        r = item.request
        setattr(item, "blocked", blocked[r.pk])  # noqa: B010 - shown by the template
        setattr(item, "full", full.get(r.program_id))  # noqa: B010
    return render(
        request,
        "matching/inbox.html",
        {
            # What waits for the mentor (the menu's badge) apart from what waits for the
            # mentee's answer to the mentor's question.
            "open": [i for i in items if i.request.status != RequestStatus.INFO_REQUESTED],
            "asked": [i for i in items if i.request.status == RequestStatus.INFO_REQUESTED],
            "closed": [r for r in received if not r.is_open][:50],
            "places": places,
            "reasons": DeclineReason.choices,
        },
    )


def _request_for(request: HttpRequest, pk: int) -> MentorRequest:
    person = current_person(request)
    found = MentorRequest.objects.filter(pk=pk).first()
    if found is None or person.pk not in (found.mentee_id, found.mentor_id):
        # The same answer whether the request exists or is between other people.
        raise Http404(NO_SUCH_REQUEST)
    return found


@require_http_methods(["POST"])
def answer_request(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept, decline, ask, reply or withdraw; each refusal says why."""
    mentor_request = _request_for(request, pk)
    person = current_person(request)
    post = request.POST
    try:
        if action == "accept":
            started = request_services.request_accept(request=mentor_request, by=person)
            done: str = format_html(
                "You're now mentoring {}. Say hello! <a href=\"{}\">Open your mentorship</a>",
                mentor_request.mentee.full_name, started.get_absolute_url(),
            )  # fmt: skip
        elif action == "decline":
            request_services.request_decline(
                request=mentor_request, by=person, reason=post.get("reason", ""),
                note=post.get("note", ""),
            )  # fmt: skip
            done = "Declined. Thank you for answering: it helps them find someone else."
        elif action == "ask":
            request_services.request_ask_info(
                request=mentor_request, by=person, question=post.get("question", "")
            )
            done = "Question sent."
        elif action == "reply":
            request_services.request_answer_info(
                request=mentor_request, by=person, answer=post.get("answer", "")
            )
            done = "Answer sent."
        elif action == "withdraw":
            request_services.request_withdraw(request=mentor_request, by=person)
            done = "Request withdrawn."
        else:
            raise PermissionDenied("Unknown action.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    if person.pk == mentor_request.mentor_id:
        return redirect("matching-inbox")
    return redirect("matching-my-requests", mentor_request.program.slug)
