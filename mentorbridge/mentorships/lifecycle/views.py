"""Pause and resume, and the closure step (a guide for the closing conversation and the
closure survey)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.lifecycle import introductions, services
from mentorbridge.mentorships.lifecycle.forms import ClosureForm, IntroductionForm, PauseForm
from mentorbridge.mentorships.lifecycle.selectors import closure_step


@require_http_methods(["GET", "POST"])
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause with a reason and a resume date; the mentor's place stays held."""
    mentorship = mentorship_content_for(request.user, pk)
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_pause(
                mentorship=mentorship, by=current_person(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Paused until {form.cleaned_data['resume_on']:%d %b %Y}. The place stays "
                "held; it resumes on its own that day.",
            )
            return redirect(mentorship)
    return render(
        request, "mentorships/lifecycle/pause.html", {"mentorship": mentorship, "form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = mentorship_content_for(request.user, pk)
    try:
        services.mentorship_resume(mentorship=mentorship, by=current_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Resumed: welcome back.")
    return redirect(mentorship)


@require_http_methods(["GET", "POST"])
def closure(request: HttpRequest, pk: int) -> HttpResponse:
    """The closing conversation's guide and each person's closure survey."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    step = closure_step(mentorship, person)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_survey_submit(mentorship=mentorship, by=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you for looking back: your answers are saved.")
            return redirect("mentorships-closure", pk=mentorship.pk)
    other = mentorship.mentor if person.pk == mentorship.mentee_id else mentorship.mentee
    return render(
        request, "mentorships/lifecycle/closure.html",
        {"mentorship": mentorship, "form": form, "step": step, "other": other},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def introduce(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor introduces the mentee to a colleague (who answers first)."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    if person.pk != mentorship.mentor_id:
        raise PermissionDenied(introductions.MENTORS_INTRODUCE)
    form = IntroductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            colleague = introductions.colleague_find(form.cleaned_data["colleague"])
            intro = introductions.introduction_create(
                mentorship=mentorship, by=person, colleague=colleague,
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Asked {intro.colleague.full_name}. Once they accept, you'll both be "
                "connected by email.",
            )
            return redirect(f"{mentorship.get_absolute_url()}#feedback")
    return render(
        request, "mentorships/lifecycle/introduce.html", {"mentorship": mentorship, "form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def introduction(request: HttpRequest, introduction_id: int) -> HttpResponse:
    """The colleague's page: who, why, accept or decline. Nothing of the mentorship."""
    intro = introductions.introduction_for(request.user, introduction_id)
    if request.method == "POST":
        try:
            intro = introductions.introduction_answer(
                introduction=intro, by=current_person(request),
                accept=request.POST.get("answer") == "accept",
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Thank you: you're connected by email." if intro.status == "accepted"
                else "Declined. Thank you for answering.",
            )  # fmt: skip
        return redirect("mentorships-introduction", introduction_id=intro.pk)
    return render(request, "mentorships/lifecycle/introduction.html", {"intro": intro})
