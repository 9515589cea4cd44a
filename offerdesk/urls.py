from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from offerdesk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("offerdesk.accounts.urls")),
    path("decisions/", include("decisions.urls")),
    path("decisions/", include("messaging.urls")),
    path("coach/", include("decisions.coach_urls")),
    path("admin/", admin.site.urls),
]
