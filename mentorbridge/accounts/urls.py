from django.contrib.auth import views as auth_views
from django.urls import path

from mentorbridge.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="accounts-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="accounts-logout"),
    path("tokens/", views.tokens, name="accounts-tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="accounts-revoke-token"),
]
