"""Pause and resume, and the closure step (a guide for the closing conversation and the
closure survey)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentees, mentorship_content_for, names, others_of
from mentorbridge.mentorships.lifecycle import introductions, services
from mentorbridge.mentorships.lifecycle.forms import (
    ClosureForm,
    ExtendForm,
    IntroductionForm,
    PauseForm,
)
from mentorbridge.mentorships.lifecycle.selectors import closure_step, shared_with
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.people.models import Person

#: The extended pause's date offered first: two more weeks.
EXTEND_BY = datetime.timedelta(days=14)


@require_http_methods(["GET", "POST"])
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause with a reason and a resume date; the mentor's place stays held. A paused one is
    extended here (a later resume date)."""
    mentorship = mentorship_content_for(request.user, pk)
    if mentorship.status == MentorshipStatus.PAUSED:
        return _extend(request, mentorship, current_person(request))
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
                f"Paused until {form.cleaned_data['resume_on']:%-d %b %Y}. The place stays "
                "held; that day you're asked to resume or extend (without an answer it resumes "
                "a week later).",
            )
            return redirect(mentorship)
    return render(
        request, "mentorships/lifecycle/pause.html", {"mentorship": mentorship, "form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _extend(request: HttpRequest, mentorship: Mentorship, person: Person) -> HttpResponse:
    later = (mentorship.resume_on or timezone.localdate()) + EXTEND_BY
    form = ExtendForm(request.POST or None, initial={"resume_on": max(later, _tomorrow())})
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_extend_pause(
                mentorship=mentorship, by=person, resume_on=form.cleaned_data["resume_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Paused until {form.cleaned_data['resume_on']:%-d %b %Y}. The place "
                "stays held.",
            )  # fmt: skip
            return redirect(mentorship)
    return render(
        request, "mentorships/lifecycle/extend.html",
        {"mentorship": mentorship, "form": form, "token": None},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


@login_not_required
@require_http_methods(["GET", "POST"])
def pause_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The email's one-click choice for the person who paused, on the resume date: resume now
    or extend. GET shows the choice with one button (link scanners change nothing); the signed
    link is the credential, valid while this pause lasts."""
    try:
        mentorship, person, choice = services.read_pause_answer(token)
    except ValidationError as error:
        stale = getattr(error, "code", None) == "stale"  # a fine link, only out of date
        return render(
            request, "mentorships/lifecycle/pause_answer.html", {"error": error.messages[0]},
            status=200 if stale else 400,
        )  # fmt: skip
    later = max((mentorship.resume_on or timezone.localdate()) + EXTEND_BY, _tomorrow())
    form = ExtendForm(request.POST or None, initial={"resume_on": later})
    done = ""
    if request.method == "POST":
        try:
            if request.POST.get("choice") == services.RESUME:
                services.mentorship_resume(mentorship=mentorship, by=person)
                done = "Resumed: welcome back. The other person is told."
            elif form.is_valid():
                resume_on = form.cleaned_data["resume_on"]
                services.mentorship_extend_pause(
                    mentorship=mentorship, by=person, resume_on=resume_on
                )
                done = f"Extended: paused until {resume_on:%-d %b %Y}. The place stays held."
        except ValidationError as error:
            form.add_error(None, error)
        if done:
            mentorship.refresh_from_db()
    return render(
        request, "mentorships/lifecycle/pause_answer.html",
        {"mentorship": mentorship, "person": person, "choice": choice, "form": form,
         "done": done, "token": token},
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
            services.closure_survey_submit(mentorship=mentorship, by=person, **form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you for looking back: your answers are saved.")
            return redirect("mentorships-closure", pk=mentorship.pk)
    others = others_of(mentorship, person)
    waiting = [p for p in others if p.pk not in step.answered_by]
    return render(
        request, "mentorships/lifecycle/closure.html",
        {"mentorship": mentorship, "form": form, "step": step,
         "others": names(others, first=True), "pair": len(others) == 1,
         "waiting": names(waiting, first=True), "waiting_one": len(waiting) == 1,
         "next_for": "you" if person.pk != mentorship.mentor_id
         else names(mentees(mentorship), first=True),
         "shared": shared_with(mentorship, person)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def introduce(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor introduces the mentee to a colleague (who answers first)."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    if person.pk != mentorship.mentor_id:
        raise PermissionDenied(introductions.MENTORS_INTRODUCE)
    group = mentees(mentorship)
    form = IntroductionForm(request.POST or None, mentees=group)
    if request.method == "POST" and form.is_valid():
        try:
            colleague = introductions.colleague_find(form.cleaned_data["colleague"])
            intro = introductions.introduction_create(
                mentorship=mentorship, by=person, colleague=colleague,
                note=form.cleaned_data["note"], mentee=form.cleaned_data["mentee"],
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
        request, "mentorships/lifecycle/introduce.html",
        {"mentorship": mentorship, "form": form, "pair": len(group) == 1},
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
