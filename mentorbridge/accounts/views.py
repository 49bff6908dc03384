"""Sign-in pages, one-time links to set a password, password change, personal API tokens.

The password pages are Django's own auth views; a link is made with Django's
``default_token_generator`` (see ``mentorbridge.accounts.links``) and emailed from the task queue.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST

from mentorbridge.accounts.links import link_lifetime, safe_next
from mentorbridge.accounts.models import ApiToken, User, normalise_email
from mentorbridge.accounts.services import (
    PASSWORD_LINK_INTERVAL,
    api_token_create,
    api_token_revoke,
    password_link_request,
)
from mentorbridge.core.forms import CleanForm, CleanInputFormMixin

INVALID_LOGIN = (
    "That email and password don't match an account. Check both, then retry. "
    "No password yet, or forgot it? Choose “Send me a link”."
)
INACTIVE = "This account is switched off. Ask HR if you think that's a mistake."
EMAIL_MISSING = "Enter your work email, then choose “Send me a link”."
EMAIL_INVALID = "Enter a whole email address, like sam.okafor@example.com."
PASSWORD_SET = "Your password is set and you're signed in. Welcome to MentorBridge!"
PASSWORD_CHANGED = "Your password is changed. You stay signed in here."
PASSWORD_HELP = (
    "At least 8 characters; not only digits, not a common password, not close to your email."
)
# Where to go after setting a password, kept in the session across Django's redirect that
# takes the token out of the address.
NEXT_SESSION_KEY = "_password_link_next"


class EmailAuthenticationForm(CleanInputFormMixin, AuthenticationForm):
    """Sign-in by work email; errors say what to try."""

    username = forms.EmailField(
        label="Work email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {"invalid_login": INVALID_LOGIN, "inactive": INACTIVE}


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


class PasswordLinkForm(CleanForm):
    """The work email to send a one-time set-password link to."""

    email = forms.EmailField(
        label="Work email",
        max_length=254,
        error_messages={"required": EMAIL_MISSING, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class PasswordLinkView(auth_views.PasswordResetView):
    """Email a one-time link to set a password: first sign-in and forgotten password alike.

    The answer is the same whether or not the address has an account, so nobody learns who
    works here. The sign-in form's “Send me a link” button posts here (its field is
    ``username``).
    """

    template_name = "accounts/password_link.html"
    form_class = PasswordLinkForm
    success_url = reverse_lazy("accounts-password-link-sent")
    first_sign_in = False

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        data = kwargs.get("data")
        if data is not None and "email" not in data and "username" in data:
            data = data.copy()
            data["email"] = data["username"]
            kwargs["data"] = data
        return kwargs

    def _next(self) -> str:
        return safe_next(self.request.POST.get("next") or self.request.GET.get("next"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(first_sign_in=self.first_sign_in, next=self._next())
        return context

    def form_valid(self, form: BaseForm) -> HttpResponse:
        password_link_request(email=form.cleaned_data["email"], next_path=self._next())
        return HttpResponseRedirect(self.get_success_url())


class PasswordLinkSentView(auth_views.PasswordResetDoneView):
    """The same answer for every address: look in your inbox."""

    template_name = "accounts/password_link_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            lifetime=link_lifetime(),
            interval_minutes=int(PASSWORD_LINK_INTERVAL.total_seconds() // 60),
        )
        return context


class NewPasswordForm(SetPasswordForm):
    """A new password, typed twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""


class ChangePasswordForm(PasswordChangeForm, NewPasswordForm):
    """The current password, then a new one typed twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Open a one-time link, set a password, and arrive signed in where the link points.

    Django's view checks the token, moves it from the address into the session, and logs the
    person in once the password is saved. A link to a switched-off account shows as invalid.
    """

    template_name = "accounts/password_set.html"
    form_class = NewPasswordForm
    post_reset_login = True
    # Two backends are configured (axes first); sign in through the email one.
    post_reset_login_backend = "mentorbridge.accounts.backends.EmailBackend"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        next_path = safe_next(request.GET.get("next"))
        if next_path:
            request.session[NEXT_SESSION_KEY] = next_path
        return super().dispatch(request, *args, **kwargs)

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        if user is None or not user.can_sign_in:
            return None
        return user

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            has_password=bool(self.user and self.user.has_usable_password()),
            lifetime=link_lifetime(),
            account_email=self.user.email if self.user and self.validlink else "",
        )
        return context

    def form_valid(self, form: BaseForm) -> HttpResponse:
        self.next_path = safe_next(self.request.session.pop(NEXT_SESSION_KEY, ""))
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_SET)
        return response

    def get_success_url(self) -> str:
        return getattr(self, "next_path", "") or reverse("core-home")


class ChangePasswordView(auth_views.PasswordChangeView):
    """Change your password from the account menu; this browser stays signed in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core-home")

    def get_form_class(self) -> type[BaseForm]:
        user = self.request.user
        if isinstance(user, User) and user.has_usable_password():
            return ChangePasswordForm
        return NewPasswordForm

    def form_valid(self, form: BaseForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response


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
