from __future__ import annotations

from django.urls import path

from offerdesk.accounts import views

# Every other account page (log-in, sign-up, passwords, addresses, two factors,
# sessions) is django-allauth's, under the same /accounts/ prefix (offerdesk/urls.py).
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("session/", views.session, name="session"),
]
