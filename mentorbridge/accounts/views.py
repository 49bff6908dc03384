"""Sign-in pages and personal API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentorbridge.accounts.models import ApiToken, normalise_email
from mentorbridge.accounts.services import api_token_create, api_token_revoke
from mentorbridge.core.forms import CleanForm, CleanInputFormMixin


class EmailAuthenticationForm(CleanInputFormMixin, AuthenticationForm):
    """Sign-in by work email; errors say what to try."""

    username = forms.EmailField(
        label="Work email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "That email and password don't match an account. Check both, then retry.",
        "inactive": "This account is switched off. Ask HR if you think that's a mistake.",
    }


LOCKED_OUT = (
    "Too many wrong passwords for {email} from your network: signing in is paused. "
    "Try again in {minutes} minutes (after {until:%H:%M} UTC), or ask HR to reset your password."
)


def sign_in_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email as attempts are counted: any case counts as the same account."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return normalise_email(str(raw))[:254]


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, saying what happened and when to retry (429, Retry-After)."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cool_off.total_seconds() / 60))
    email = sign_in_name(request, credentials)
    form = EmailAuthenticationForm(request, initial={"username": email})
    message = LOCKED_OUT.format(
        email=email or "this account", minutes=minutes, until=timezone.now() + cool_off
    )
    response = render(
        request, "accounts/login.html", {"form": form, "locked_out": message}, status=429
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class TokenForm(CleanForm):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="What the token is for, e.g. “HRIS sync”."
    )


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke your personal API tokens. A new token is shown once."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user_id=request.user.pk or 0),
        },
    )


@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Delete one of your tokens; scripts using it stop working at once."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts-tokens")
