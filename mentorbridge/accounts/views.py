"""Sign-in pages and personal API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentorbridge.accounts.models import ApiToken
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
