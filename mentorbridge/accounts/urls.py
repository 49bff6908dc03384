from django.contrib.auth import views as auth_views
from django.urls import path

from mentorbridge.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="accounts-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="accounts-logout"),
    path(
        "first-sign-in/",
        views.PasswordLinkView.as_view(first_sign_in=True),
        name="accounts-first-sign-in",
    ),
    path("password/forgot/", views.PasswordLinkView.as_view(), name="accounts-password-forgot"),
    path(
        "password/link-sent/",
        views.PasswordLinkSentView.as_view(),
        name="accounts-password-link-sent",
    ),
    path(
        "password/set/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="accounts-set-password",
    ),
    path("password/change/", views.ChangePasswordView.as_view(), name="accounts-password-change"),
    path("tokens/", views.tokens, name="accounts-tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="accounts-revoke-token"),
]
